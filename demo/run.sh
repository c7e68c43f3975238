#!/bin/sh
# The demo `make demo` runs while the local endpoint serves at $LOCAL_AWS_ENDPOINT_URL.
set -eu
cd "$(dirname "$0")/.."
# The local endpoint's key pair for account 111111111111, the destination domain's owner.
export AWS_ACCESS_KEY_ID=AKIDLOCALOWNERA0001 AWS_SECRET_ACCESS_KEY=local-secret-owner-a
export ANSIBLE_STDOUT_CALLBACK=default ANSIBLE_LOCALHOST_WARNING=false ANSIBLE_INVENTORY_UNPARSED_WARNING=false

id=$(PYTHONPATH=tests python -m local_endpoint seed --status PENDING_ACCEPTANCE)
echo "### A partner account asked to connect: inbound connection $id is PENDING_ACCEPTANCE"

echo "### 1-3. Check mode (no write), then for real (changed), then again (ok): one playbook"
ansible-playbook demo/reject.yml -e request_id="$id"

echo "### 4. The same from an ad-hoc command"
ansible localhost -m aws_search.cross_cluster.inbound_connection \
  -a "connection_id=$id state=rejected region=us-east-1 endpoint_url=$LOCAL_AWS_ENDPOINT_URL"

echo "### 5. The handshake across two accounts: A requests, B accepts what it expects, A deletes"
PYTHONPATH=tests python -m local_endpoint domain --owner-id 222222222222 --domain-name b-logs
# A request B does not expect, from account 333333333333.
PYTHONPATH=tests python -m local_endpoint seed --created-with opensearch --source-owner 333333333333 \
  --destination-owner 222222222222 --destination-domain b-logs >/dev/null
ansible-playbook demo/handshake.yml -e @demo/local_accounts.yml

echo "### 6. Keep only your partners: every request to account A's domains decided in one task"
PYTHONPATH=tests python -m local_endpoint reset
seed() { PYTHONPATH=tests python -m local_endpoint seed --destination-owner 111111111111 "$@" >/dev/null; }
seed --source-owner 222222222222 --destination-domain shared-logs                  # the partner, to a shared domain
seed --source-owner 222222222222 --destination-domain private-logs                 # the partner, where it may not
seed --source-owner 333333333333 --destination-domain shared-logs                  # a stranger
seed --source-owner 444444444444 --destination-domain shared-logs --status ACTIVE  # accepted once, not on the list
seed --source-owner 333333333333 --destination-domain shared-logs --status REJECTED
echo "### 6a-c. Check mode with the diff (no write), for real (changed), again (ok): one playbook"
ansible-playbook demo/policy.yml
echo "### Next: the guard over an estate of two accounts and two regions, and its report: make demo-estate"
echo "### The same over a whole AWS Organization (played by moto), from the files in examples/: make demo-org"
echo "### The Event-Driven Ansible act (ansible-rulebook on Java 17) runs with: make demo-eda"
