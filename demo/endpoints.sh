#!/bin/sh
# make endpoints: the local endpoint and moto's AWS Organizations with the organization of `make demo-org`, and their
# addresses, served until you stop it (Ctrl-C), for the estate guide's walkthrough by hand.
set -eu
cd "$(dirname "$0")/.."
PYTHONPATH=tests python demo/organization.py
echo "### The local endpoint and moto serve until you stop this (Ctrl-C). In another terminal, from this folder:"
echo "export AWS_ENDPOINT_URL=$LOCAL_AWS_ENDPOINT_URL AWS_ENDPOINT_URL_ORGANIZATIONS=$MOTO_ENDPOINT_URL"
echo "export AWS_ACCESS_KEY_ID=AKIDLOCALOWNERA0001 AWS_SECRET_ACCESS_KEY=local-secret-owner-a AWS_REGION=us-east-1"
echo "export PATH=$(dirname "$(command -v ansible-playbook)"):\$PATH ANSIBLE_COLLECTIONS_PATH=${ANSIBLE_COLLECTIONS_PATH:-}"
echo "cd examples && ansible-playbook aws_search.cross_cluster.guard -e @allow.yml --check --diff"
# Serving is what was asked: wait until stopped.
while :; do sleep 3600; done
