#!/usr/bin/env bash
# ansible-test runs this target with the collection and its dependencies on ANSIBLE_COLLECTIONS_PATH.
set -eux
output="${OUTPUT_DIR:-$(mktemp -d)}"
python estate.py "$output"
python every_path.py "$output"
python verdicts.py "$output"
python security_hub.py "$output"
python fix_policy.py "$output"
python one_process.py "$output"
