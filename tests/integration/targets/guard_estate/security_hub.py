"""Findings where security teams work: the guard over two regions imports each run's findings into AWS Security Hub
once per region, in the domain's own account; a second run updates the same ids; a grant allowed since is archived;
check mode imports nothing; a region whose Security Hub is not enabled fails the run naming it. An expired exception's
grant is a finding naming it, and a bad expires is refused before the guard calls AWS. Then the module alone against
moto's Security Hub."""

import json
import os
import subprocess
import sys
from pathlib import Path

import boto3
from estate import CONFIG
from estate import OPEN_POLICY
from estate import PARTNER
from estate import STRANGER
from estate import TAKEN
from estate import calls
from estate import control
from estate import policy
from estate import run_guard
from estate import said
from estate import write_source

ACCOUNT, REGIONS = "121212121212", ("eu-west-1", "us-east-1")
INVENTORY_CALLS = ("AssumeRole", "GetCallerIdentity", "ListDomainNames", "ListTags")


def build_account():
    control("reset", {})
    control("accounts", {"account_id": ACCOUNT})
    for region in REGIONS:
        where = {"owner_id": ACCOUNT, "region": region}
        control("hosted_domains", dict(where, domain_names=["shared-logs"], access_policy=policy(PARTNER, STRANGER)))
        control("hosted_domains", dict(where, domain_names=["open-logs"], access_policy=OPEN_POLICY))
        control("security_hub", {"account_id": ACCOUNT, "region": region})


def guard(folder, report, allow, *options, succeeds=True, name="report.json"):
    settings = {"allow": allow, "report_dir": str(report), "findings": "report"}
    done = run_guard(folder, settings, "-e", "security_hub=true", *options, succeeds=succeeds)
    written = report / name
    return done, json.loads(written.read_text()) if written.exists() else None


def hub_calls(operation):
    return sorted((call["account"], call["region"]) for call in TAKEN if call["operation"] == operation)


def stored(region):
    return {item["Id"]: item for item in control("security_hub", {"account_id": ACCOUNT, "region": region})["findings"]}


def check_imports_updates_and_archives(folder, report):
    partner = [{"owner_id": PARTNER, "name": "partner", "reason": "shared analytics"}]
    done, predicted = guard(folder, report, partner, "--check", name="report-check.json")
    assert hub_calls("BatchImportFindings") == [] and hub_calls("GetFindings") == sorted((ACCOUNT, r) for r in REGIONS)
    assert all(stored(region) == {} for region in REGIONS)
    assert [item["imported"] for item in predicted["security_hub"]] == [2, 2], predicted["security_hub"]
    done, first = guard(folder, report, partner)
    # One import per account and region, signed by the domains' own account.
    assert hub_calls("BatchImportFindings") == sorted((ACCOUNT, region) for region in REGIONS), TAKEN
    ids = {item["id"] for item in first["findings"]}
    assert set(stored("eu-west-1")) | set(stored("us-east-1")) == ids and len(ids) == 4
    assert {item["severity"] for item in first["findings"]} == {"critical", "high"}
    assert [item["severity"] for item in first["findings"]][:2] == ["critical", "critical"]
    assert {item["Severity"]["Label"] for item in stored("eu-west-1").values()} == {"CRITICAL", "HIGH"}
    before = {key: (item["CreatedAt"], item["UpdatedAt"]) for key, item in stored("eu-west-1").items()}
    done, second = guard(folder, report, partner)
    after = {key: (item["CreatedAt"], item["UpdatedAt"]) for key, item in stored("eu-west-1").items()}
    assert set(after) == set(before) and hub_calls("BatchImportFindings") == sorted((ACCOUNT, r) for r in REGIONS)
    assert all(after[key][0] == before[key][0] and after[key][1] > before[key][1] for key in before), (before, after)
    # The stranger is allowed from now on: its findings no longer hold, and are archived (compliance PASSED).
    done, third = guard(folder, report, partner + [{"owner_id": STRANGER}])
    states = {item["RecordState"] for item in stored("eu-west-1").values() if STRANGER in item["Description"]}
    assert states == {"ARCHIVED"} and [item["archived"] for item in third["security_hub"]] == [1, 1]
    assert "imported 1 findings, archived 1 that no longer hold" in (report / "report.md").read_text()
    assert (report / "report.csv").read_text().startswith("account,account_name,region,domain,path,principal")


def check_a_region_without_security_hub_fails_the_run(folder, report):
    control("security_hub", {"account_id": ACCOUNT, "region": "us-east-1", "enabled": False})
    done, failed = guard(folder, report, [{"owner_id": PARTNER}], succeeds=False)
    assert f"GetFindings failed in account {ACCOUNT}, us-east-1: AWS Security Hub is not enabled there" in said(done)
    assert hub_calls("BatchImportFindings") == [(ACCOUNT, "eu-west-1")], TAKEN
    control("security_hub", {"account_id": ACCOUNT, "region": "us-east-1"})


def check_expired_and_bad_exceptions(folder, report):
    expired = [{"owner_id": PARTNER, "name": "vendor-x", "reason": "migration", "expires": "2020-01-31"}]
    done, found = guard(folder, report, expired + [{"owner_id": STRANGER}])
    named = [item for item in found["findings"] if "vendor-x" in item["message"]]
    assert len(named) == 2 and {item["severity"] for item in named} == {"high"}, found["findings"]
    assert "(the exception vendor-x allowed it until 2020-01-31, and has expired)" in named[0]["message"]
    bad = [{"owner_id": PARTNER, "name": "vendor-x", "expires": "2026-02-30"}]
    done, _report = guard(folder, report, bad, succeeds=False)
    assert "allow[0].expires must be a date written YYYY-MM-DD (UTC)" in said(done), done.stdout[-3000:]
    # The inventory read AWS; the guard itself made no call, not even its AssumeRole.
    guard_calls = [
        call
        for call in TAKEN
        if call["operation"] not in INVENTORY_CALLS or str(call.get("session_name")).startswith("aws-search-guard")
    ]
    assert guard_calls == [], guard_calls


def check_the_module_against_moto():
    """moto's Security Hub (shallow: no filters) takes the same findings from the module alone."""
    moto = CONFIG["moto_endpoint_url"]
    keys = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
    hub = boto3.client("securityhub", region_name="eu-west-1", endpoint_url=moto, **keys)
    hub.enable_security_hub()
    arn = "arn:aws:es:eu-west-1:123456789012:domain/moto-logs"
    finding = {
        "id": "aws_search.cross_cluster/123456789012/eu-west-1/moto-logs/access_policy/0000000000000001",
        "severity": "critical",
        "domain_name": "moto-logs",
        "path": "access_policy",
        "principal": "*",
        "message": "account 123456789012, eu-west-1, domain moto-logs: statement 0 lets everyone reach the data",
        "fix": "replace principal * in statement 0",
    }
    args = json.dumps({"findings": [finding], "domain_arns": [arn], "region": "eu-west-1", "endpoint_url": moto})
    done = subprocess.run(
        ["ansible", "localhost", "-m", "aws_search.cross_cluster.security_hub_findings", "-a", args],
        capture_output=True,
        text=True,
        check=False,
        env=dict(
            os.environ,
            AWS_ACCESS_KEY_ID="testing",
            AWS_SECRET_ACCESS_KEY="testing",
            ANSIBLE_PYTHON_INTERPRETER=sys.executable,
        ),
    )
    assert done.returncode == 0, done.stdout + done.stderr
    [imported] = hub.get_findings()["Findings"]
    assert imported["Id"] == finding["id"] and imported["Severity"]["Label"] == "CRITICAL", imported


def main(output):
    folder, report = Path(output) / "security-hub" / "inventory", Path(output) / "security-hub" / "report"
    build_account()
    write_source(folder, ACCOUNT, REGIONS)
    calls()
    check_imports_updates_and_archives(folder, report)
    check_a_region_without_security_hub_fails_the_run(folder, report)
    check_expired_and_bad_exceptions(folder, report)
    check_the_module_against_moto()
    print("guard_estate security_hub: all checks passed")


if __name__ == "__main__":
    main(sys.argv[1])
