"""The outbound path end to end, on both APIs: validation failures, timeouts, settings that reach AWS, check mode
with wait, and a Create whose reply was lost."""

from __future__ import annotations

import pytest
from local_endpoint.client import control
from local_endpoint.client import read

from .harness import OWNER_B
from .harness import credentials
from .harness import fault
from .harness import run_module
from .harness import settings
from .harness import take_calls

CREATE = {"es": "CreateOutboundCrossClusterSearchConnection", "opensearch": "CreateOutboundConnection"}
DESCRIBE = {"es": "DescribeOutboundCrossClusterSearchConnections", "opensearch": "DescribeOutboundConnections"}
APIS = ["es", "opensearch"]


def request(url: str, api: str, remote: str = "b-logs", **options) -> dict:
    return dict(
        local_domain={"domain_name": "a-logs"},
        remote_domain={"domain_name": remote, "owner_id": OWNER_B.account},
        connection_alias="partner",
        api=api,
        **options,
        **credentials(url),
    )


@pytest.fixture(name="b_logs")
def fixture_b_logs(url):
    control(url, "domains", {"owner_id": OWNER_B.account, "domain_name": "b-logs"})


@pytest.mark.parametrize("api", APIS)
def test_wait_fails_with_awss_message_when_validation_fails(url, api):
    settings(url, transition_seconds=0.3)
    run = run_module("outbound_connection", request(url, api, remote="nowhere-logs", wait=True, wait_timeout=30))
    assert run.failed and "failed validation: Remote domain not found." in run.msg, run.output
    assert "Check remote_domain" in run.msg


@pytest.mark.parametrize("api", APIS)
def test_wait_timeout(url, api, b_logs):
    run = run_module("outbound_connection", request(url, api, wait=True, wait_timeout=1))
    assert run.failed and "was still VALIDATING after 1 seconds of waiting" in run.msg, run.output
    assert run.seconds < 30


@pytest.mark.parametrize("mode,skip,shown", [("VPC_ENDPOINT", True, "ENABLED"), ("DIRECT", False, "DISABLED")])
def test_connection_mode_and_skip_unavailable_reach_aws_and_come_back(url, b_logs, mode, skip, shown):
    run = run_module("outbound_connection", request(url, "opensearch", connection_mode=mode, skip_unavailable=skip))
    assert run.changed and not run.failed, run.output
    connection = run.result["connection"]
    assert connection["connection_mode"] == mode
    assert connection["connection_properties"]["cross_cluster_search"]["skip_unavailable"] == shown


@pytest.mark.parametrize("api", APIS)
def test_check_mode_with_wait_on_a_request_still_validating_reports_what_waiting_would(url, api, b_logs):
    first = run_module("outbound_connection", request(url, api))
    assert first.result["status"] == "VALIDATING", first.output
    check = run_module("outbound_connection", request(url, api, wait=True), check=True)
    settings(url, transition_seconds=0.3)
    real = run_module("outbound_connection", request(url, api, wait=True))
    assert not check.changed and check.result["status"] == "PENDING_ACCEPTANCE", check.output
    assert (real.changed, real.result["status"]) == (check.changed, check.result["status"])


@pytest.mark.parametrize("api", APIS)
def test_a_create_whose_reply_was_lost_is_found_not_duplicated(url, api, b_logs):
    fault(url, CREATE[api], kind="lost_reply")
    run = run_module("outbound_connection", request(url, api))
    assert run.changed and not run.failed, run.output
    assert len(read(url, "connections")["connections"]) == 1
    assert take_calls(url) == [DESCRIBE[api], CREATE[api], CREATE[api], DESCRIBE[api]]
    again = run_module("outbound_connection", request(url, api))
    assert not again.changed and again.result["connection_id"] == run.result["connection_id"]
