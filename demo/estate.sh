#!/bin/sh
# The demo `make demo-estate` runs while the local endpoint serves at $LOCAL_AWS_ENDPOINT_URL: two accounts, two
# regions, a secret and a public domain in each, plus a domain open to everyone and a VPC domain shared with the
# partner and a stranger, governed by the guard in check mode, then for real.
set -eu
cd "$(dirname "$0")/.."
endpoint() { PYTHONPATH=tests python -m local_endpoint "$@"; }
# The play's credentials: the local endpoint's key pair of account 111111111111, which assumes each account's role.
export AWS_ACCESS_KEY_ID=AKIDLOCALOWNERA0001 AWS_SECRET_ACCESS_KEY=local-secret-owner-a
# The modules reach the endpoint through AWS_ENDPOINT_URL: the inventory's endpoint_url does not reach them.
export AWS_ENDPOINT_URL="$LOCAL_AWS_ENDPOINT_URL"
export ANSIBLE_LOCALHOST_WARNING=false

work=build/demo-estate
rm -rf "$work" && mkdir -p "$work/inventory/group_vars"
echo "### Two accounts, two regions: a secret and a public domain each; a partner and a stranger ask to connect"
for account in 444444444444 555555555555; do
  # The endpoint knows the account and its role search-guard (another role name is refused, as AWS refuses it).
  endpoint account --account-id "$account" --role search-guard >/dev/null
  for region in us-east-1 eu-west-1; do
    endpoint security-hub --account-id "$account" --region "$region"
    for domain in secret public; do
      endpoint hosted --owner-id "$account" --region "$region" --domain-name "$domain-logs" \
        --tag "data-classification=$domain"
      for source in 222222222222 333333333333; do
        endpoint seed --source-owner "$source" --destination-owner "$account" --destination-domain "$domain-logs" \
          --destination-region "$region" >/dev/null
      done
    done
  done
  if [ "$account" = 444444444444 ]; then
    echo "### Account $account, us-east-1: open-logs is open to everyone; vpc-logs is shared with the partner and a stranger"
    endpoint hosted --owner-id "$account" --region us-east-1 --domain-name open-logs --tag data-classification=public \
      --access-policy '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"es:*","Resource":"*"}]}'
    endpoint hosted --owner-id "$account" --region us-east-1 --domain-name vpc-logs --tag data-classification=shared \
      --vpc-id vpc-0demo --vpc-endpoint-access 222222222222 --vpc-endpoint-access 333333333333
  fi
  cat > "$work/inventory/$account.domains.aws_search.yml" <<SOURCE
plugin: aws_search.cross_cluster.domains
regions: [us-east-1, eu-west-1]
iam_role_arn: arn:aws:iam::$account:role/search-guard
endpoint_url: $LOCAL_AWS_ENDPOINT_URL
include_tags: true
keyed_groups:
  - key: domain_tags['data-classification'] | default('unclassified')
    prefix: classification
SOURCE
done
# Estate-wide: the partner's requests are accepted. Secret data: nobody's, and what was accepted is revoked. Shared
# data: the partner's, and whatever else reaches it through a VPC endpoint is revoked.
printf 'allow:\n  - owner_id: "222222222222"\nallowed: accept\n' > "$work/allow.yml"
printf 'guard_allow: []\nguard_revoke: true\n' > "$work/inventory/group_vars/classification_secret.yml"
printf 'guard_revoke: true\n' > "$work/inventory/group_vars/classification_shared.yml"

guard() { ansible-playbook aws_search.cross_cluster.guard -i "$work/inventory" -e "@$work/allow.yml" \
  -e "report_dir=$(pwd)/$work/report" --forks 8 "$@"; }
# A finding (open-logs, open to everyone) fails the run after the report is written: both runs below fail on it.
echo "### 1. Check mode: nothing is written; the report of what would be done is report-check.*"
guard --check || echo "### The check run failed on the finding, as the real one will"
echo "### 2. For real: the stranger's VPC endpoint access is revoked; the finding fails the run"
guard || echo "### The run failed on the finding (the guard never edits an access policy): fix it, or -e findings=report"
python - "$work/report" <<'CHECK'
import json, sys
from pathlib import Path
folder = Path(sys.argv[1])
predicted = json.loads((folder / "report-check.json").read_text())
report = json.loads((folder / "report.json").read_text())
assert report["summary"]["accepted"] == 4 and report["summary"]["rejected"] == 12, report["summary"]
assert report["access"]["findings"] == 1 and report["access"]["domains_open_to_everyone"] == 1, report["access"]
assert report["access"]["outside_accounts"] == 1 and report["not_governed"] == [], report["access"]
def outcomes(found):
    return {(d["domain_name"], g["path"], g["who"]): g["outcome"] for a in found["accounts"] for r in a["regions"]
            for d in r["domains"] for g in d["grants"]}
assert outcomes(predicted)[("vpc-logs", "vpc_endpoint", "333333333333")] == "revoked" == outcomes(report)[
    ("vpc-logs", "vpc_endpoint", "333333333333")]
revoked = [f"{who}'s {path.replace('_', ' ')} access to {name}" for (name, path, who), v in outcomes(predicted).items() if v == "revoked"]
print("### The check run said it would revoke:", ", ".join(revoked))
print("### Access nobody allowed (findings), most severe first")
for item in report["findings"]:
    print(f"  {item['severity'].upper()}: {item['message']}\n    fix: {item['fix']}")
assert [item["severity"] for item in report["findings"]] == ["critical"], report["findings"]
print("### Who can reach each domain now (account / region / domain: path who -> outcome)")
for account in report["accounts"]:
    for region in account["regions"]:
        for domain in region["domains"]:
            grants = [f"{g['path']} {g['who']} -> {g['outcome']}" for g in domain["grants"]]
            print(f"  {account['account_id']} / {region['region']} / {domain['domain_name']}: {'; '.join(grants) or 'nobody'}")
CHECK
echo "### 3. The findings go to AWS Security Hub (-e security_hub=true), each in its domain's own account and region"
guard -e findings=report -e security_hub=true >/dev/null
python - "$work/report" <<'CHECK'
import json, sys
from pathlib import Path
report = json.loads((Path(sys.argv[1]) / "report.json").read_text())
for item in report["security_hub"]:
    print(f"  account {item['account_id']}, {item['region']}: imported {item['imported']}, archived {item['archived']}")
assert sum(item["imported"] for item in report["security_hub"]) == len(report["findings"]) == 1, report["security_hub"]
CHECK
echo "### 4. Fix what it finds: team-logs' access policy lets the partner and a stranger in; fix_policy takes the stranger out"
endpoint hosted --owner-id 444444444444 --region us-east-1 --domain-name team-logs --tag data-classification=public \
  --access-policy '{"Version":"2012-10-17","Statement":[{"Sid":"team","Effect":"Allow","Principal":{"AWS":["arn:aws:iam::222222222222:root","arn:aws:iam::333333333333:root"]},"Action":"es:ESHttp*","Resource":"*"}]}'
echo "### 4a. Check mode with --diff: the policy before and after, nothing written"
guard -e findings=report -e fix_policy=true --check --diff | sed -n '/team-logs: access policy/,/^changed:/p'
echo "### 4b. For real: one UpdateDomainConfig per domain that changes (team-logs, and open-logs, open to everyone)"
guard -e findings=report -e fix_policy=true >/dev/null
python - "$work/report" <<'CHECK'
import json, os, sys
from pathlib import Path
import boto3
report = json.loads((Path(sys.argv[1]) / "report.json").read_text())
team = [g for a in report["accounts"] for r in a["regions"] for d in r["domains"] if d["domain_name"] == "team-logs"
        for g in d["grants"]]
print("  team-logs now:", "; ".join(f"{g['path']} {g['who']} -> {g['outcome']}" for g in team))
assert {(g["who"], g["outcome"]) for g in team} == {("222222222222", "allowed"), ("333333333333", "revoked")}, team
keys = os.popen("PYTHONPATH=tests python -m local_endpoint account --account-id 444444444444").read().split()
client = boto3.client("es", region_name="us-east-1", aws_access_key_id=keys[0], aws_secret_access_key=keys[1])
policy = client.describe_elasticsearch_domain_config(DomainName="team-logs")["DomainConfig"]["AccessPolicies"]["Options"]
print("  its access policy:", policy)
assert "333333333333" not in policy and "222222222222" in policy, policy
CHECK
echo "### Open the report: file://$(pwd)/$work/report/report.html (the dry run's: report-check.html; for a spreadsheet: report.csv)"
