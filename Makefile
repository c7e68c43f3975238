# Every target does its own set-up from a fresh clone: virtual environment, requirements,
# and a staged copy of the collection where ansible-test and Ansible find it.

PYTHON ?= python3.11
PYTHON_VERSION ?= 3.11
VENV := .venv
BIN := $(abspath $(VENV))/bin
STAMP := $(VENV)/.installed
COLLECTIONS := $(abspath build/collections)
STAGED := $(COLLECTIONS)/ansible_collections/aws_search/cross_cluster
ENDPOINT := PYTHONPATH=$(abspath tests) $(BIN)/python -m local_endpoint
ANSIBLE_ENV := PATH=$(BIN):$$PATH ANSIBLE_COLLECTIONS_PATH=$(COLLECTIONS)
ANSIBLE_TEST := cd $(STAGED) && $(ANSIBLE_ENV) ansible-test
PIP_CACHE := $(HOME)/.ansible/test/cache
# A check that passed is not run again until a file it could read changes.
SOURCES := $(wildcard $(shell git ls-files --cached --others --exclude-standard))
PASSED := build/passed

.PHONY: test demo docs lint sanity units endpoint-tests integration package-checks stage clean

test: lint units endpoint-tests docs sanity integration package-checks

lint: $(PASSED)/lint
units: $(PASSED)/units
endpoint-tests: $(PASSED)/endpoint-tests
sanity: $(PASSED)/sanity
integration: $(PASSED)/integration
package-checks: $(PASSED)/package-checks
docs: $(PASSED)/docs

$(STAMP): requirements.txt test-requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r test-requirements.txt
	touch $@

# ansible-test lists a collection's files with git, so the staged copy is a repository of its own.
# ansible-test downloads a pip bootstrap script for each virtual environment it makes; offline, it
# reads the cache, so the cache gets a stand-in that bootstraps pip with the standard library.
stage: $(STAMP)
	rm -rf $(STAGED)
	mkdir -p $(STAGED) $(PIP_CACHE)
	tar --exclude=./.venv --exclude=./build --exclude=./.git --exclude=./tests/output \
	    --exclude='__pycache__' -cf - . | tar -xf - -C $(STAGED)
	cd $(STAGED) && git init --quiet && git add --all
	mkdir -p $(COLLECTIONS)/ansible_collections/amazon
	aws=$$($(BIN)/python -c 'import ansible_collections.amazon.aws as m; print(m.__path__[0])') && test -d "$$aws" \
	    && rm -rf $(COLLECTIONS)/ansible_collections/amazon/aws && ln -s "$$aws" $(COLLECTIONS)/ansible_collections/amazon/aws
	for version in 24_2 25_2; do cp tests/tools/offline_get_pip.py $(PIP_CACHE)/get_pip_$$version.py; done

$(PASSED)/lint: $(SOURCES) | stage
	$(BIN)/black --check --quiet --line-length 120 plugins tests
	$(BIN)/isort --check-only --quiet plugins tests
	$(BIN)/yamllint --strict .
	$(ANSIBLE_ENV) ansible-lint -q
	mkdir -p $(PASSED) && touch $@

$(PASSED)/units: $(SOURCES) | stage
	$(ANSIBLE_TEST) units --venv --python $(PYTHON_VERSION) --color no
	mkdir -p $(PASSED) && touch $@

$(PASSED)/endpoint-tests: $(SOURCES) $(STAMP)
	PYTHONPATH=$(abspath tests) $(BIN)/pytest -q -p no:cacheprovider tests/local_endpoint
	mkdir -p $(PASSED) && touch $@

$(PASSED)/sanity: $(SOURCES) | stage
	$(ANSIBLE_TEST) sanity --venv --python $(PYTHON_VERSION) --color no
	mkdir -p $(PASSED) && touch $@

$(PASSED)/integration: $(SOURCES) | stage
	$(ENDPOINT) run --integration-config $(STAGED)/tests/integration/integration_config.yml -- \
	    sh -c 'cd $(STAGED) && $(ANSIBLE_ENV) ansible-test integration --local --python $(PYTHON_VERSION) --color no'
	mkdir -p $(PASSED) && touch $@

# The documentation site: antsibull-docs writes each module's page from its own documentation
# and the guides in docs/docsite/, then Sphinx builds it with warnings as errors; build/docs/html.
$(PASSED)/docs: $(SOURCES) | stage
	rm -rf build/docs && mkdir -p build/docs && mkdir -m 700 build/docs/rst
	$(ANSIBLE_ENV) antsibull-docs --config-file docs/site/antsibull-docs.cfg collection --use-current \
	    --dest-dir build/docs/rst aws_search.cross_cluster
	cp docs/site/index.rst build/docs/rst/index.rst
	$(BIN)/sphinx-build -q -b html -c docs/site -W --keep-going build/docs/rst build/docs/html
	DOCS_HTML=build/docs/html $(BIN)/pytest -q -p no:cacheprovider tests/docs
	mkdir -p $(PASSED) && touch $@

$(PASSED)/package-checks: $(SOURCES) $(STAMP)
	rm -rf build/package && mkdir -p build/package
	$(BIN)/ansible-galaxy collection build --output-path build/package .
	cp build/package/aws_search-cross_cluster-*.tar.gz build/package/aws_search-cross_cluster.tar.gz
	PATH=$(BIN):$$PATH PYTHON_VERSION=$(PYTHON_VERSION) sh tests/package/check.sh build/package/aws_search-cross_cluster-[0-9]*.tar.gz
	mkdir -p $(PASSED) && touch $@

demo: stage
	$(ENDPOINT) run -- env $(ANSIBLE_ENV) sh demo/run.sh

clean:
	rm -rf build $(VENV) tests/output
