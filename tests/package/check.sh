#!/bin/sh
# Checks the built collection as users get it: install the tarball into an empty collections
# path, lint its docs, check what ansible-builder and galaxy-importer make of it, then run the demo and one
# integration target against the installed copy, so a file missing from the tarball fails here.
# The argument is the tarball as ansible-galaxy names it (galaxy-importer reads the name); the
# execution environment definition takes a copy named build/aws_search-cross_cluster.tar.gz.
set -eu
tarball=$(realpath "$1")
repo=$(pwd)
# Outside the repository: ansible-test lists the installed copy's files itself only there.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "### Install $tarball into an empty collections path"
ansible-galaxy collection install --no-deps -p "$work" "$tarball"
installed="$work/ansible_collections/aws_search/cross_cluster"
# A copy, not a link, and the only one antsibull-docs sees (no sys.path scan): it copies a dependency
# with git when its path lies in a repository, which would leave out an amazon.aws in the venv.
mkdir -p "$work/ansible_collections/amazon"
cp -r "$(python -c 'import ansible_collections.amazon.aws as m; print(m.__path__[0])')" "$work/ansible_collections/amazon/aws"

echo "### antsibull-docs lints the collection's documentation"
(cd "$installed" && ANSIBLE_COLLECTIONS_SCAN_SYS_PATH=false ANSIBLE_COLLECTIONS_PATH="$work" \
  antsibull-docs lint-collection-docs --plugin-docs .)

echo "### ansible-builder finds the collection's Python and system requirements"
ansible-builder introspect --sanitize "$work" > "$work/introspect.txt"
grep -q "boto3>=1.34.0  # from collection aws_search.cross_cluster" "$work/introspect.txt" || {
  cat "$work/introspect.txt"; echo "ansible-builder did not find this collection's requirements"; exit 1; }

echo "### ansible-builder accepts an execution environment with the collection"
ansible-builder create -f tests/package/execution-environment.yml --context "$work/ee" > /dev/null
test -f "$work/ee/_build/collection/aws_search-cross_cluster.tar.gz"
grep -q "aws_search-cross_cluster.tar.gz" "$work/ee/_build/requirements.yml"

echo "### galaxy-importer runs Galaxy's import checks (ansible-test needs a container engine: off)"
(cd "$work" && GALAXY_IMPORTER_CONFIG="$repo/tests/package/galaxy-importer.cfg" \
  python -m galaxy_importer.main "$tarball") > "$work/importer.log" 2>&1 || {
  cat "$work/importer.log"; exit 1; }
if grep -E "WARNING|ERROR" "$work/importer.log"; then echo "galaxy-importer reported the lines above"; exit 1; fi

echo "### The demo against the installed copy"
cd "$installed"
ANSIBLE_COLLECTIONS_PATH="$work" PYTHONPATH=tests python -m local_endpoint run -- sh demo/run.sh > "$work/demo.log" 2>&1 || {
  cat "$work/demo.log"; exit 1; }

echo "### The playbook the collection ships runs by its name"
ANSIBLE_COLLECTIONS_PATH="$work" ansible-playbook --syntax-check aws_search.cross_cluster.organization_allowlist

echo "### The handshake integration target against the installed copy"
PYTHONPATH=tests python -m local_endpoint run --integration-config tests/integration/integration_config.yml -- \
  ansible-test integration connection_handshake --local --python "$PYTHON_VERSION" --color no > "$work/integration.log" 2>&1 || {
  tail -50 "$work/integration.log"; exit 1; }
echo "### The installed collection works"
