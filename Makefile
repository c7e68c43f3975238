# Every target does its own set-up from a fresh clone: virtual environment, requirements,
# and a staged copy of the collection where ansible-test and Ansible find it.
#
# Two legs make the version matrix (README, "Supported versions"; the table in docs/running.md):
#   LEG=newest (default): ansible-core 2.21 on Python 3.12, with everything else that make test runs;
#   LEG=oldest:           ansible-core 2.17 on Python 3.11, the oldest meta/runtime.yml declares.
# make test runs both; the oldest leg runs units, sanity and integration, in parallel with the newest.

SHELL := /bin/bash
.SHELLFLAGS := -o pipefail -c
LEG ?= newest
NEWEST_PYTHON := $(shell PYENV_VERSION=3.12.1 pyenv which python3.12 2>/dev/null || command -v python3.12)
ifeq ($(LEG),oldest)
PYTHON_VERSION := 3.11
PYTHON := python3.11
VENV := .venv-oldest
REQUIREMENTS := tests/matrix/oldest-requirements.txt
else
PYTHON_VERSION := 3.12
PYTHON := $(NEWEST_PYTHON)
VENV := .venv
REQUIREMENTS := test-requirements.txt
endif

BIN := $(abspath $(VENV))/bin
STAMP := $(VENV)/.installed
BUILD := build/$(LEG)
COLLECTIONS := $(abspath $(BUILD)/collections)
STAGED := $(COLLECTIONS)/ansible_collections/aws_search/cross_cluster
ENDPOINT := PYTHONPATH=$(abspath tests) $(BIN)/python -m local_endpoint
ANSIBLE_ENV := PATH=$(BIN):$$PATH ANSIBLE_COLLECTIONS_PATH=$(COLLECTIONS)
ANSIBLE_TEST := cd $(STAGED) && $(ANSIBLE_ENV) ansible-test
PIP_CACHE := $(HOME)/.ansible/test/cache
# make demo needs only what running the modules needs (demo/requirements.txt), not the test and docs toolchain:
# ansible-core and boto3, and amazon.aws unpacked from the ansible wheel the newest leg pins.
DEMO_VENV := .venv-demo
DEMO_BIN := $(abspath $(DEMO_VENV))/bin
DEMO_COLLECTIONS := $(abspath build/demo/collections)
ANSIBLE_VERSION := $(shell sed -n 's/^ansible==//p' test-requirements.txt)
RULEBOOK_VERSION := $(shell sed -n 's/^ansible-rulebook==//p' test-requirements.txt)
# A check that passed is not run again while the repository's files are the same: its stamp sits in a folder named
# for a hash of every tracked and untracked (not ignored) file's path and content, so that a file deleted,
# renamed or changed makes every check run again. A stamp keyed on file times could outlive a deleted test.
CONTENT := $(shell git ls-files --cached --others --exclude-standard -z | xargs -0 sha256sum 2>&1 | sha256sum | cut -c1-16)
PASSED := $(BUILD)/passed/$(CONTENT)

.PHONY: test-aws test newest oldest demo demo-estate demo-org demo-eda endpoints benchmark docs lint sanity units endpoint-tests eda-tests robustness-tests integration package-checks stage clean

test:
	$(MAKE) -j2 --output-sync=recurse newest oldest

newest:
	$(MAKE) -j1 LEG=newest lint units endpoint-tests eda-tests robustness-tests docs sanity integration package-checks

oldest:
	$(MAKE) -j1 LEG=oldest units sanity integration

lint: $(PASSED)/lint
units: $(PASSED)/units
endpoint-tests: $(PASSED)/endpoint-tests
eda-tests: $(PASSED)/eda-tests
robustness-tests: $(PASSED)/robustness-tests
docs: $(PASSED)/docs
sanity: $(PASSED)/sanity
integration: $(PASSED)/integration
package-checks: $(PASSED)/package-checks

$(STAMP): requirements.txt $(REQUIREMENTS)
	rm -rf $(VENV) && $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r $(REQUIREMENTS)
	touch $@

# ansible-test lists a collection's files with git, so the staged copy is a repository of its own.
# ansible-test downloads a pip bootstrap script for each virtual environment it makes; offline, it
# reads the cache, so the cache gets a stand-in that bootstraps pip with the standard library,
# under the name of each pip version this ansible-test pins.
stage: $(STAMP)
	rm -rf $(STAGED)
	mkdir -p $(STAGED) $(PIP_CACHE)
	tar --exclude=./.venv --exclude=./.venv-oldest --exclude=./.venv-demo --exclude=./build --exclude=./.git --exclude=./tests/output \
	    --exclude='__pycache__' -cf - . | tar -xf - -C $(STAGED)
	cd $(STAGED) && git init --quiet && git add --all
	mkdir -p $(COLLECTIONS)/ansible_collections/amazon
	aws=$$($(BIN)/python -c 'import ansible_collections.amazon.aws as m; print(m.__path__[0])') && test -d "$$aws" \
	    && rm -rf $(COLLECTIONS)/ansible_collections/amazon/aws && ln -s "$$aws" $(COLLECTIONS)/ansible_collections/amazon/aws
	for version in $$(grep -ohE "pip='[0-9.]+'" $(BIN)/../lib/python*/site-packages/ansible_test/_internal/python_requirements.py \
	    | tr -d "pip='" | tr . _ | sort -u); do cp tests/tools/offline_get_pip.py $(PIP_CACHE)/get_pip_$$version.py; done

$(PASSED)/lint: | stage
	$(BIN)/black --check --quiet --line-length 120 plugins extensions tests demo
	$(BIN)/isort --check-only --quiet plugins extensions tests demo
	$(BIN)/yamllint --strict .
	$(ANSIBLE_ENV) ansible-lint -q
	mkdir -p $(PASSED) && touch $@

$(PASSED)/units: | stage
	rm -rf $(STAGED)/tests/output/junit
	$(ANSIBLE_TEST) units --venv --python $(PYTHON_VERSION) --color no
	@# ansible-test passes when it finds no test: a run of none is a failure here.
	grep -qs 'tests="[1-9]' $(STAGED)/tests/output/junit/*.xml || { echo "ansible-test units ran no test"; exit 1; }
	mkdir -p $(PASSED) && touch $@

$(PASSED)/endpoint-tests: $(STAMP)
	PYTHONPATH=$(abspath tests) $(BIN)/pytest -q -p no:cacheprovider tests/local_endpoint
	mkdir -p $(PASSED) && touch $@

# The rulebook, run by the real ansible-rulebook (Java 17) against the local endpoint, with the staged collection.
$(PASSED)/eda-tests: | stage
	$(ANSIBLE_ENV) PYTHONPATH=$(abspath tests) $(BIN)/pytest -q -p no:cacheprovider tests/eda
	mkdir -p $(PASSED) && touch $@

# The modules run by ansible against the local endpoint when AWS is not the happy path: faults, concurrency, bad
# input, secrets, regions and lagging reads.
$(PASSED)/robustness-tests: | stage
	$(ANSIBLE_ENV) PYTHONPATH=$(abspath tests) $(BIN)/pytest -q -p no:cacheprovider -n 3 tests/robustness
	mkdir -p $(PASSED) && touch $@

# The documentation site: antsibull-docs writes each module's page from its own documentation
# and the guides in docs/docsite/, then Sphinx builds it with warnings as errors; build/newest/docs/html.
$(PASSED)/docs: | stage
	rm -rf $(BUILD)/docs && mkdir -p $(BUILD)/docs && mkdir -m 700 $(BUILD)/docs/rst
	$(ANSIBLE_ENV) antsibull-docs --config-file docs/site/antsibull-docs.cfg collection --use-current \
	    --dest-dir $(BUILD)/docs/rst aws_search.cross_cluster
	cp docs/site/index.rst $(BUILD)/docs/rst/index.rst
	$(BIN)/sphinx-build -q -b html -c docs/site -W --keep-going $(BUILD)/docs/rst $(BUILD)/docs/html
	cp docs/site/report-screenshot.png $(BUILD)/docs/html/collections/aws_search/cross_cluster/docsite/
	DOCS_HTML=$(BUILD)/docs/html $(BIN)/pytest -q -p no:cacheprovider tests/docs
	mkdir -p $(PASSED) && touch $@

$(PASSED)/sanity: | stage
	$(ANSIBLE_TEST) sanity --venv --python $(PYTHON_VERSION) --color no
	mkdir -p $(PASSED) && touch $@

$(PASSED)/integration: | stage
	$(ENDPOINT) run --with-moto --integration-config $(STAGED)/tests/integration/integration_config.yml -- \
	    sh -c 'cd $(STAGED) && $(ANSIBLE_ENV) ansible-test integration --local --python $(PYTHON_VERSION) --color no' \
	    | tee $(BUILD)/integration.log
	@# ansible-test passes when it finds no target: a run of none is a failure here.
	grep -q "Running .* integration test role" $(BUILD)/integration.log || { echo "ran no integration target"; exit 1; }
	mkdir -p $(PASSED) && touch $@

$(PASSED)/package-checks: $(STAMP)
	rm -rf $(BUILD)/package && mkdir -p $(BUILD)/package
	$(BIN)/ansible-galaxy collection build --output-path $(BUILD)/package .
	cp $(BUILD)/package/aws_search-cross_cluster-*.tar.gz build/aws_search-cross_cluster.tar.gz
	PATH=$(BIN):$$PATH PYTHON_VERSION=$(PYTHON_VERSION) sh tests/package/check.sh $(BUILD)/package/aws_search-cross_cluster-[0-9]*.tar.gz
	mkdir -p $(PASSED) && touch $@

$(DEMO_VENV)/.installed: requirements.txt demo/requirements.txt test-requirements.txt
	rm -rf $(DEMO_VENV) build/demo && $(NEWEST_PYTHON) -m venv $(DEMO_VENV)
	$(DEMO_BIN)/pip install --quiet --disable-pip-version-check -r demo/requirements.txt
	$(DEMO_BIN)/pip download --quiet --disable-pip-version-check --no-deps --dest build/demo ansible==$(ANSIBLE_VERSION)
	$(DEMO_BIN)/python tests/tools/unpack_collection.py build/demo/ansible-$(ANSIBLE_VERSION)-*.whl amazon.aws $(DEMO_COLLECTIONS)
	rm build/demo/ansible-$(ANSIBLE_VERSION)-*.whl
	mkdir -p $(DEMO_COLLECTIONS)/ansible_collections/aws_search
	ln -sfn $(CURDIR) $(DEMO_COLLECTIONS)/ansible_collections/aws_search/cross_cluster
	touch $@

demo: $(DEMO_VENV)/.installed
	PYTHONPATH=$(abspath tests) $(DEMO_BIN)/python -m local_endpoint run -- \
	    env PATH=$(DEMO_BIN):$$PATH ANSIBLE_COLLECTIONS_PATH=$(DEMO_COLLECTIONS) sh demo/run.sh

# The estate act: two accounts and two regions governed by the guard, in check mode then for real, and the report.
demo-estate: $(DEMO_VENV)/.installed
	PYTHONPATH=$(abspath tests) $(DEMO_BIN)/python -m local_endpoint run -- \
	    env PATH=$(DEMO_BIN):$$PATH ANSIBLE_COLLECTIONS_PATH=$(DEMO_COLLECTIONS) sh demo/estate.sh

# The organization act: moto's AWS Organizations, one inventory file for the whole organization (examples/), the guard.
demo-org: $(DEMO_VENV)/.installed
	rm -rf build/demo-org
	PYTHONPATH=$(abspath tests) $(DEMO_BIN)/python -m local_endpoint run --with-moto -- \
	    env PATH=$(DEMO_BIN):$$PATH ANSIBLE_COLLECTIONS_PATH=$(DEMO_COLLECTIONS) sh demo/organization.sh

# The endpoints of make demo-org, with its organization, and their addresses, until stopped (Ctrl-C): for the estate
# guide's walkthrough by hand.
endpoints: $(DEMO_VENV)/.installed
	PYTHONPATH=$(abspath tests) $(DEMO_BIN)/python -m local_endpoint run --with-moto -- \
	    env PATH=$(DEMO_BIN):$$PATH ANSIBLE_COLLECTIONS_PATH=$(DEMO_COLLECTIONS) sh demo/endpoints.sh

# The Event-Driven Ansible act: ansible-rulebook (Java 17) rejects a request seconds after it arrives.
$(DEMO_VENV)/.rulebook: $(DEMO_VENV)/.installed
	$(DEMO_BIN)/pip install --quiet --disable-pip-version-check ansible-rulebook==$(RULEBOOK_VERSION)
	touch $@

demo-eda: $(DEMO_VENV)/.rulebook
	PYTHONPATH=$(abspath tests) $(DEMO_BIN)/python -m local_endpoint run -- \
	    env PATH=$(DEMO_BIN):$$PATH ANSIBLE_COLLECTIONS_PATH=$(DEMO_COLLECTIONS) PYTHONPATH=tests python demo/react.py

benchmark: stage
	$(ANSIBLE_ENV) PYTHONPATH=$(abspath tests) $(BIN)/python tests/benchmarks/list_connections.py
	$(ANSIBLE_ENV) PYTHONPATH=$(abspath tests) $(BIN)/python tests/benchmarks/policy_vs_loop.py
	$(ANSIBLE_ENV) PYTHONPATH=$(abspath tests) $(BIN)/python tests/benchmarks/reaction_time.py
	$(ANSIBLE_ENV) PYTHONPATH=$(abspath tests):$(COLLECTIONS) $(BIN)/python tests/benchmarks/allowlist_size.py
	$(ANSIBLE_ENV) PYTHONPATH=$(abspath tests) $(BIN)/python tests/benchmarks/estate_scale.py
	$(ANSIBLE_ENV) PYTHONPATH=$(abspath tests) $(BIN)/python tests/benchmarks/guard_scale.py
	$(ANSIBLE_ENV) PYTHONPATH=$(abspath tests) $(BIN)/python tests/benchmarks/organization_scale.py
	$(ANSIBLE_ENV) PYTHONPATH=$(abspath tests) $(BIN)/python tests/benchmarks/domain_access_scale.py
	$(ANSIBLE_ENV) PYTHONPATH=$(abspath tests) $(BIN)/python tests/benchmarks/guard_access_scale.py
	$(ANSIBLE_ENV) PYTHONPATH=$(abspath tests) $(BIN)/python tests/benchmarks/guard_runs_scale.py

# Opt-in, against real AWS, never part of make test or CI: tests/aws/run.sh says what it needs and what it touches.
test-aws: stage
	$(ANSIBLE_ENV) sh tests/aws/run.sh

clean:
	rm -rf build .venv .venv-oldest .venv-demo tests/output
