"""The guard over every path to an account's domains: one open to everyone, one whose access policy grants a stranger,
a VPC domain shared with the partner and a stranger, and one the partner searches through an allowed connection.
Check mode writes nothing and predicts the revocation; the real run revokes exactly the stranger's VPC endpoint access,
in the domain's account, and fails naming the findings; findings=report passes; a grant made between two runs is in
what changed; a refused DescribeDomains fails the run naming the permission, and its domains are unknown, not
reachable by nobody."""

import json
import sys
from pathlib import Path

from estate import OPEN_POLICY
from estate import PARTNER
from estate import STRANGER
from estate import TAKEN
from estate import URL
from estate import account_client
from estate import calls
from estate import control
from estate import guard
from estate import policy

ACCOUNT, REGION = "777777777777", "eu-west-1"
# estate.guard's allow file says findings: report (its estate leaves strangers' connections); these runs fail on them.
FAIL_ON_FINDINGS = ("-e", "revoke=true", "-e", "findings=fail")


def build_account():
    control("reset", {})
    control("accounts", {"account_id": ACCOUNT})
    where = {"owner_id": ACCOUNT, "region": REGION}
    control("hosted_domains", dict(where, domain_names=["open-logs"], access_policy=OPEN_POLICY))
    shared = policy(f"arn:aws:iam::{PARTNER}:root", f"arn:aws:iam::{STRANGER}:root")
    control("hosted_domains", dict(where, domain_names=["shared-logs"], access_policy=shared))
    control(
        "hosted_domains",
        dict(where, domain_names=["vpc-logs"], vpc_id="vpc-1", vpc_endpoint_access=[PARTNER, STRANGER]),
    )
    control("hosted_domains", dict(where, domain_names=["vpc-quiet"], vpc_id="vpc-2"))
    control("hosted_domains", dict(where, domain_names=["secret-logs"]))
    destination = dict(where, domain_name="secret-logs")
    control("connections", {"source": {"owner_id": PARTNER}, "destination": destination, "status": "ACTIVE"})


def write_inventory(folder):
    folder.mkdir(parents=True)
    source = {
        "plugin": "aws_search.cross_cluster.domains",
        "regions": [REGION],
        "iam_role_arn": f"arn:aws:iam::{ACCOUNT}:role/search-guard",
        "endpoint_url": URL,
    }
    (folder / f"{ACCOUNT}.domains.aws_search.yml").write_text(json.dumps(source))


def by_path(report):
    [account] = report["accounts"]
    return {
        (domain["domain_name"], grant["path"], grant["who"]): grant["outcome"]
        for domain in account["regions"][0]["domains"]
        for grant in domain["grants"]
    }


def check_and_real_run(folder, report):
    operations, predicted, stats = guard(
        folder, report, "--check", *FAIL_ON_FINDINGS, name="report-check.json", succeeds=False
    )
    # Five domains: one describe (5 a call), the VPC endpoint access of the two VPC domains, one inbound listing.
    assert sorted(operations) == [
        "DescribeElasticsearchDomains",
        "DescribeInboundCrossClusterSearchConnections",
        "ListVpcEndpointAccess",
        "ListVpcEndpointAccess",
    ], operations
    assert not (report / "report.json").exists() and predicted["check_mode"] is True
    assert by_path(predicted) == {
        ("open-logs", "access_policy", "everyone"): "finding",
        ("shared-logs", "access_policy", STRANGER): "finding",
        ("shared-logs", "access_policy", PARTNER): "allowed",
        ("vpc-logs", "vpc_endpoint", STRANGER): "revoked",
        ("vpc-logs", "vpc_endpoint", PARTNER): "allowed",
        ("secret-logs", "connection", PARTNER): "allowed",
    }, by_path(predicted)
    assert (
        stats["access"]
        == predicted["access"]
        == {
            "findings": 2,
            "domains_open_to_everyone": 1,
            "domains_reachable_from_another_account": 4,
            "outside_accounts": 2,
            "not_governed": 0,
        }
    )
    assert "would be revoked" in (report / "report-check.md").read_text()
    operations, done, stats = guard(folder, report, *FAIL_ON_FINDINGS, succeeds=False)
    revoked = [call for call in TAKEN if call["operation"] == "RevokeVpcEndpointAccess"]
    assert len(revoked) == 1 and revoked[0]["account"] == ACCOUNT and revoked[0]["region"] == REGION, revoked
    assert by_path(done) == by_path(predicted) and done["access"] == predicted["access"]
    assert len(stats["problems"]) == 2 and all("fix: " in problem for problem in stats["problems"]), stats
    assert "statement s1 of the access policy lets account 333333333333 reach the data" in stats["problems"][1]
    return done


def check_findings_reported_and_a_new_grant(folder, report):
    # guard_findings in group_vars wins over findings from -e, as every guard_ setting does.
    (folder / "group_vars").mkdir()
    (folder / "group_vars" / "all.yml").write_text(json.dumps({"guard_findings": "report"}))
    operations, quiet, stats = guard(folder, report, *FAIL_ON_FINDINGS)
    assert "RevokeVpcEndpointAccess" not in operations and stats["problems"] == [] and quiet["access"]["findings"] == 2
    # Between two runs, the domain's owner shares a VPC domain with the partner.
    account_client(ACCOUNT, REGION).authorize_vpc_endpoint_access(DomainName="vpc-quiet", Account=PARTNER)
    operations, changed, stats = guard(folder, report, "-e", "revoke=true", "-e", "findings=report")
    gained = [(c["domain_name"], c["path"], c["who"]) for c in changed["changes"]["accounts_gained_access"]]
    assert gained == [("vpc-quiet", "vpc_endpoint", PARTNER)], changed["changes"]
    assert (
        f"Account {PARTNER} can now reach {ACCOUNT} {REGION} vpc-quiet, by VPC endpoint access"
        in (report / "report.md").read_text()
    )


def check_refused_read(folder, report):
    control("faults", {"operation": "DescribeElasticsearchDomains", "code": "AccessDeniedException"})
    operations, refused, stats = guard(folder, report, "-e", "findings=report", succeeds=False)
    assert any("grant them the IAM action es:DescribeElasticsearchDomains" in problem for problem in stats["problems"])
    assert refused["access"]["not_governed"] == 5 and by_path(refused) == {}, refused["access"]
    text = (report / "report.md").read_text()
    assert text.count("unknown: its run failed before it read who can reach it") == 5 and "nobody outside" not in text


def main(output):
    folder, report = Path(output) / "every-path" / "inventory", Path(output) / "every-path" / "report"
    build_account()
    write_inventory(folder)
    calls()
    check_and_real_run(folder, report)
    check_findings_reported_and_a_new_grant(folder, report)
    check_refused_read(folder, report)
    print("guard_estate every_path: all checks passed")


if __name__ == "__main__":
    main(sys.argv[1])
