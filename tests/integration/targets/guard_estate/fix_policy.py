"""The guard fixes the access policy grants nobody allowed, on request (fix_policy=true): check mode with --diff shows
the change and writes nothing; the real run sends one update for that domain and none for a clean one; the stranger
and the open statements are gone, the rest kept in order; a second run sends nothing; a policy changed between read
and write is not overwritten; without fix_policy nothing is written."""

import json
import re
import sys
import time
from pathlib import Path

from estate import PARTNER
from estate import STRANGER
from estate import TAKEN
from estate import account_client
from estate import calls
from estate import control
from estate import run_guard
from estate import said
from estate import write_source

ACCOUNT, REGION = "131313131313", "eu-west-1"
OWN_ROLE = f"arn:aws:iam::{ACCOUNT}:role/app"
SHARED = {"Sid": "shared", "Effect": "Allow", "Action": "es:ESHttp*", "Resource": "*"}
MIXED = {
    "Version": "2012-10-17",
    "Statement": [
        dict(SHARED, Principal={"AWS": [OWN_ROLE, f"arn:aws:iam::{PARTNER}:root", f"arn:aws:iam::{STRANGER}:root"]}),
        {"Sid": "open", "Effect": "Allow", "Principal": "*", "Action": "es:*", "Resource": "*"},
        {
            "Sid": "odd",
            "Effect": "Allow",
            "Principal": "*",
            "Action": "es:ESHttpGet",
            "Resource": "*",
            "Condition": {"StringLike": {"aws:userid": "AIDA*"}},
        },
        {
            "Sid": "no-deletes",
            "Effect": "Deny",
            "Principal": {"AWS": "*"},
            "Action": "es:ESHttpDelete",
            "Resource": "*",
        },
    ],
}
CLEAN = {"Version": "2012-10-17", "Statement": [dict(SHARED, Principal={"AWS": f"arn:aws:iam::{PARTNER}:root"})]}
WRITES = ("UpdateElasticsearchDomainConfig", "DescribeElasticsearchDomainConfig")


def build_account():
    control("reset", {})
    control("accounts", {"account_id": ACCOUNT})
    where = {"owner_id": ACCOUNT, "region": REGION}
    control("hosted_domains", dict(where, domain_names=["mixed-logs"], access_policy=MIXED))
    control("hosted_domains", dict(where, domain_names=["clean-logs"], access_policy=CLEAN))


def guard(folder, report, *options, succeeds=True):
    return run_guard(folder, {"allow": [{"owner_id": PARTNER}], "report_dir": str(report)}, *options, succeeds=succeeds)


def config_calls():
    return [(call["operation"], call["account"]) for call in TAKEN if call["operation"] in WRITES]


def policy_now(name):
    answer = account_client(ACCOUNT, REGION).describe_elasticsearch_domain_config(DomainName=name)
    # This read is the test's, not the guard's: taken from the log once the endpoint has logged it.
    deadline = time.monotonic() + 30
    while not any(call["operation"] == WRITES[1] for call in control("calls")["calls"]) and time.monotonic() < deadline:
        time.sleep(0.02)
    control("calls/take", {})
    return json.loads(answer["DomainConfig"]["AccessPolicies"]["Options"])


def verdicts(report):
    [account] = report["accounts"]
    return sorted(
        (domain["domain_name"], grant["statement"], grant["who"], grant["outcome"])
        for domain in account["regions"][0]["domains"]
        for grant in domain["grants"]
    )


def main(output):
    folder, report = Path(output) / "fix-policy" / "inventory", Path(output) / "fix-policy" / "report"
    build_account()
    write_source(folder, ACCOUNT, [REGION])
    calls()
    # Without fix_policy nothing is written: the grants nobody allowed are findings.
    guard(folder, report, "-e", "findings=report")
    assert config_calls() == [] and policy_now("mixed-logs") == MIXED
    # Check mode with --diff: the policy before and after, and nothing written.
    done = guard(folder, report, "--check", "--diff", "-e", "fix_policy=true", "-e", "findings=report")
    assert config_calls() == [] and policy_now("mixed-logs") == MIXED, config_calls()
    removed = re.findall(r'^-\s+("arn:aws:iam::333333333333:root"|"Sid": "open")', done.stdout, re.MULTILINE)
    assert sorted(removed) == ['"Sid": "open"', '"arn:aws:iam::333333333333:root"'], done.stdout[-4000:]
    predicted = json.loads((report / "report-check.json").read_text())
    # The real run: one read again and one update, of mixed-logs only, signed by the domain's account.
    guard(folder, report, "-e", "fix_policy=true", "-e", "findings=report")
    assert config_calls() == [(operation, ACCOUNT) for operation in reversed(WRITES)], config_calls()
    done = json.loads((report / "report.json").read_text())
    assert verdicts(done) == verdicts(predicted) and done["access"]["findings"] == 0, done["findings"]
    assert ("mixed-logs", "open", "everyone", "revoked") in verdicts(done)
    assert ("mixed-logs", "shared", STRANGER, "revoked") in verdicts(done)
    fixed = policy_now("mixed-logs")
    assert fixed == dict(
        MIXED,
        Statement=[dict(SHARED, Principal={"AWS": [OWN_ROLE, f"arn:aws:iam::{PARTNER}:root"]}), MIXED["Statement"][3]],
    )
    assert policy_now("clean-logs") == CLEAN
    lost = {(item["domain_name"], item["who"]) for item in done["changes"]["accounts_lost_access"]}
    assert ("mixed-logs", STRANGER) in lost and ("mixed-logs", "everyone") in lost, done["changes"]
    # A second run sends nothing.
    guard(folder, report, "-e", "fix_policy=true", "-e", "findings=report")
    assert config_calls() == [], config_calls()
    # A policy changed between the read and the write is not overwritten.
    control(
        "hosted_domains", {"owner_id": ACCOUNT, "region": REGION, "domain_names": ["late-logs"], "access_policy": MIXED}
    )
    meanwhile = dict(MIXED, Statement=MIXED["Statement"][:1])
    fault = {"operation": "DescribeElasticsearchDomainConfig", "kind": "change", "set_access_policy": meanwhile}
    control("faults", fault)
    done = guard(folder, report, "-e", "fix_policy=true", "-e", "findings=report", succeeds=False)
    assert "domain late-logs: its access policy changed while the guard ran" in said(done), done.stdout[-3000:]
    assert config_calls() == [("DescribeElasticsearchDomainConfig", ACCOUNT)] and policy_now("late-logs") == meanwhile
    print("guard_estate fix_policy: all checks passed")


if __name__ == "__main__":
    main(sys.argv[1])
