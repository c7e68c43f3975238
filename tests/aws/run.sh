#!/bin/sh
# make test-aws: the handshake playbook against real AWS. Opt-in only; never part of make test or CI.
set -eu
cd "$(dirname "$0")/../.."
if [ "${AWS_SEARCH_REAL_AWS:-}" != "yes" ]; then
  cat >&2 <<'TEXT'
make test-aws runs against real AWS and is off unless you opt in. It needs:
  AWS_SEARCH_REAL_AWS=yes          the opt-in
  AWS_SEARCH_PROFILE_A, _PROFILE_B two profiles: account A (owns domain A), account B (owns domain B)
  AWS_SEARCH_REGION                the region of both domains
  AWS_SEARCH_DOMAIN_A, _DOMAIN_B   two existing domains it may connect (it never creates or deletes domains)
  AWS_SEARCH_API                   es or opensearch (default opensearch)
docs/running.md, section "Real AWS", lists the IAM policy each profile needs.
TEXT
  exit 2
fi
: "${AWS_SEARCH_PROFILE_A:?}" "${AWS_SEARCH_PROFILE_B:?}" "${AWS_SEARCH_REGION:?}" "${AWS_SEARCH_DOMAIN_A:?}" "${AWS_SEARCH_DOMAIN_B:?}"
api="${AWS_SEARCH_API:-opensearch}"
echo "### make test-aws will, in $AWS_SEARCH_REGION through the $api API:"
echo "###  - as $AWS_SEARCH_PROFILE_A: request connections (alias aws-search-test) from $AWS_SEARCH_DOMAIN_A to $AWS_SEARCH_DOMAIN_B"
echo "###  - as $AWS_SEARCH_PROFILE_B: reject the first, accept the second, by their ids; report the policy in check mode"
echo "###  - as $AWS_SEARCH_PROFILE_A: delete every connection it created, also when a step fails"
echo "### It creates and deletes no domain, and acts on no other connection."
set -- -e profile_a="$AWS_SEARCH_PROFILE_A" -e profile_b="$AWS_SEARCH_PROFILE_B" -e region="$AWS_SEARCH_REGION" \
  -e domain_a="$AWS_SEARCH_DOMAIN_A" -e domain_b="$AWS_SEARCH_DOMAIN_B" -e api="$api"
if [ -n "${AWS_SEARCH_ENDPOINT_URL:-}" ]; then
  set -- "$@" -e endpoint_url="$AWS_SEARCH_ENDPOINT_URL"
fi
exec ansible-playbook tests/aws/handshake.yml "$@"
