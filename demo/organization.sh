#!/bin/sh
# The demo `make demo-org` runs while the local endpoint serves at $LOCAL_AWS_ENDPOINT_URL and moto's server, playing
# AWS Organizations, at $MOTO_ENDPOINT_URL: one inventory file for the whole organization (examples/), the guard in
# check mode then for real, and the report, as the estate guide's walkthrough shows.
set -eu
cd "$(dirname "$0")/.."
echo "### An organization in moto: OUs workloads and production, four accounts (one closed), each with a role"
echo "### search-guard at the local endpoint and a secret and a public domain in two regions, asked by a partner and a stranger"
PYTHONPATH=tests python demo/organization.py
# The management account's credentials: the local endpoint's key pair of account 111111111111 (moto takes any key).
export AWS_ACCESS_KEY_ID=AKIDLOCALOWNERA0001 AWS_SECRET_ACCESS_KEY=local-secret-owner-a AWS_REGION=us-east-1
export AWS_ENDPOINT_URL="$LOCAL_AWS_ENDPOINT_URL" AWS_ENDPOINT_URL_ORGANIZATIONS="$MOTO_ENDPOINT_URL"
export ANSIBLE_LOCALHOST_WARNING=false
cd examples
echo "### The guard in check mode, from examples/ (its ansible.cfg names the inventory): nothing is changed"
ansible-playbook aws_search.cross_cluster.guard -e @allow.yml -e report_dir=../build/demo-org/report --check
echo "### For real"
ansible-playbook aws_search.cross_cluster.guard -e @allow.yml -e report_dir=../build/demo-org/report
echo "### Who can reach each domain now, and what changed (build/demo-org/report/report.md):"
# Each section whole, up to the next heading: a section with nothing to say says so in words.
section() { awk -v heading="## $1" '$0 == heading {on = 1; print; next} /^## / {on = 0} on' ../build/demo-org/report/report.md; }
for heading in "Who can reach each domain now" "What changed"; do
  [ "$(section "$heading" | grep -cv '^\(## .*\)\?$')" -gt 0 ] || { echo "report.md: no section $heading, or an empty one"; exit 1; }
  section "$heading"
done
echo "### The report: file://$(cd ../build/demo-org/report && pwd)/report.html"
