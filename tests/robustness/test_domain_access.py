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
