"""domain_access_info through `ansible` against the local endpoint when AWS is not the happy path: a refused or
throttled read names its IAM action and reports no domain as one nobody can reach; many domains are read several
calls at once, never more than the bound (derived from the endpoint's call log)."""

from __future__ import annotations

from local_endpoint.client import control

from .harness import OWNER_A
from .harness import credentials
from .harness import fault
from .harness import run_module
from .harness import take_calls


def test_many_domains_are_described_several_at_once_and_never_more_than_eight(url):
    control(url, "hosted_domains", {"owner_id": OWNER_A.account, "count": 60})
    fault(url, "DescribeDomains", kind="slow", delay=0.3, count=12)
    run = run_module("domain_access_info", dict(credentials(url), api="opensearch"))
    assert not run.failed and len(run.result["domains"]) == 60, run.output
    described = [call for call in control(url, "calls/take", {})["calls"] if call["operation"] == "DescribeDomains"]
    in_flight = max(
        sum(1 for other in described if other["time"] <= call["time"] < other["ended"]) for call in described
    )
    assert len(described) == 12 and 1 < in_flight <= 8, described


def test_a_refused_or_throttled_read_fails_naming_the_iam_action_never_nobody(url):
    control(url, "hosted_domains", {"owner_id": OWNER_A.account, "domain_names": ["vpc-logs"], "vpc_id": "vpc-1"})
    fault(url, "ListVpcEndpointAccess", code="AccessDeniedException")
    run = run_module("domain_access_info", dict(credentials(url), api="opensearch"))
    assert run.failed and "grant them the IAM action es:ListVpcEndpointAccess" in run.msg, run.output
    assert "domains" not in run.result
    fault(url, "DescribeElasticsearchDomains", code="ThrottlingException", count=5)
    run = run_module("domain_access_info", dict(credentials(url), domain_names=["vpc-logs"]))
    assert run.failed and "AWS kept throttling the requests (5 attempts)" in run.msg, run.output
    take_calls(url)
    fault(url, "DescribeElasticsearchDomains", kind="garbage")
    run = run_module("domain_access_info", dict(credentials(url), domain_names=["vpc-logs"]))
    assert run.failed and "could not be read as the API's JSON" in run.msg and "domains" not in run.result, run.output


STRANGER = "333333333333"
PARTNER = "222222222222"


def test_domain_access_policy_revokes_only_the_vpc_access_nobody_allowed_and_names_every_other_finding(url):
    policy = {"Statement": [{"Effect": "Allow", "Principal": {"AWS": STRANGER}, "Action": "es:*", "Resource": "*"}]}
    spec = {"owner_id": OWNER_A.account, "domain_names": ["vpc-logs"], "vpc_id": "vpc-1", "access_policy": policy}
    control(url, "hosted_domains", dict(spec, vpc_endpoint_access=[PARTNER, STRANGER]))
    control(
        url,
        "connections",
        {
            "source": {"owner_id": STRANGER},
            "destination": {"owner_id": OWNER_A.account, "region": "us-east-1", "domain_name": "vpc-logs"},
            "status": "ACTIVE",
        },
    )
    take_calls(url)
    args = dict(
        credentials(url), api="opensearch", allow=[{"owner_id": PARTNER}], revoke=True, domain_names=["vpc-logs"]
    )
    predicted = run_module("domain_access_policy", args, check=True)
    assert take_calls(url) == ["DescribeDomains", "ListVpcEndpointAccess", "DescribeInboundConnections"]
    assert predicted.failed and predicted.result["revoked"] == [{"domain_name": "vpc-logs", "account_id": STRANGER}]
    assert [(f["path"], f["grant_account_id"]) for f in predicted.result["findings"]] == [
        ("access_policy", STRANGER),
        ("connection", STRANGER),
    ]
    assert (
        "2 findings (access nobody allowed)" in predicted.msg
        and "take account 333333333333 (principal 333333333333) out of statement 0" in predicted.msg
    )
    done = run_module("domain_access_policy", dict(args, findings="report"))
    assert not done.failed and done.changed and done.result["revoked"] == predicted.result["revoked"], done.output
    assert (
        done.result["findings"] == predicted.result["findings"]
        and take_calls(url).count("RevokeVpcEndpointAccess") == 1
    )
    assert done.result["diff"] == {
        "prepared": f"account {STRANGER} loses access to vpc-logs (us-east-1, VPC endpoint access)\n"
    }
    again = run_module("domain_access_policy", dict(args, findings="report"))
    assert not again.changed and again.result["revoked"] == [] and "RevokeVpcEndpointAccess" not in take_calls(url)


def test_domain_access_policy_checks_its_allowlist_before_any_call_and_a_refused_revocation_fails_naming_it(url):
    take_calls(url)
    run = run_module("domain_access_policy", dict(credentials(url), allow=[{"organization_id": "r-abcd"}]))
    assert run.failed and "allow[0].organization_id must be an AWS Organization id" in run.msg and take_calls(url) == []
    control(
        url,
        "hosted_domains",
        {
            "owner_id": OWNER_A.account,
            "domain_names": ["vpc-logs"],
            "vpc_id": "vpc-1",
            "vpc_endpoint_access": [STRANGER],
        },
    )
    fault(url, "RevokeVpcEndpointAccess", code="AccessDeniedException")
    run = run_module(
        "domain_access_policy", dict(credentials(url), api="opensearch", allow=[], revoke=True, findings="report")
    )
    assert run.failed and "grant them the IAM action es:RevokeVpcEndpointAccess" in run.msg, run.output
    [domain] = run.result["domains"]
    assert [(g["outcome"], bool(g["failure"])) for g in domain["grants"]] == [("failed", True)]


def test_domain_access_policy_that_cannot_list_vpc_endpoint_access_fails_naming_it_and_reports_no_domain(url):
    spec = {
        "owner_id": OWNER_A.account,
        "domain_names": ["vpc-logs"],
        "vpc_id": "vpc-1",
        "vpc_endpoint_access": [STRANGER],
    }
    control(url, "hosted_domains", spec)
    fault(url, "ListVpcEndpointAccess", code="AccessDeniedException")
    args = dict(credentials(url), api="opensearch", allow=[], revoke=True, findings="report")
    run = run_module("domain_access_policy", args)
    assert run.failed and "grant them the IAM action es:ListVpcEndpointAccess" in run.msg, run.output
    assert "domains" not in run.result and "RevokeVpcEndpointAccess" not in take_calls(url)
