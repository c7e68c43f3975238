#!/usr/bin/env bash
# ansible-test runs this target with the collection and its dependencies on ANSIBLE_COLLECTIONS_PATH.
set -eux
python organization.py "${OUTPUT_DIR:-$(mktemp -d)}"
