"""Every module against injected faults: each ends in success or a clean, explained failure, in bounded time."""

from __future__ import annotations

import pytest
from local_endpoint.client import seed

from .harness import credentials
from .harness import fault
from .harness import run_module
from .harness import status_of
from .harness import take_calls

DESCRIBE_IN = "DescribeInboundCrossClusterSearchConnections"
DESCRIBE_OUT = "DescribeOutboundCrossClusterSearchConnections"
REJECT = "RejectInboundCrossClusterSearchConnection"
ACCEPT = "AcceptInboundCrossClusterSearchConnection"
# module: (its arguments besides credentials, the Describe it starts with, the calls a run makes without faults)
MODULES = {
    "inbound_connection": ({"state": "rejected"}, DESCRIBE_IN, [DESCRIBE_IN, REJECT]),
    "inbound_connection_info": ({}, DESCRIBE_IN, [DESCRIBE_IN]),
    "inbound_connection_policy": ({"allow": []}, DESCRIBE_IN, [DESCRIBE_IN, REJECT]),
    "outbound_connection": ({"state": "absent", "connection_id": "cc-nothing-00001"}, DESCRIBE_OUT, [DESCRIBE_OUT]),
    "outbound_connection_info": ({}, DESCRIBE_OUT, [DESCRIBE_OUT]),
}
# The default retries with a read timeout of one second, and a short retry budget (two attempts), as aws_config can
# set them. A slow answer comes five times the read timeout late: no stalled client reads it in time.
SHORT_READS = {"read_timeout": 1}
SHORT_BUDGET = {"retries": {"mode": "standard", "total_max_attempts": 2}, "read_timeout": 1}
TRANSIENT = {
    "throttled twice (400)": ({"code": "ThrottlingException", "count": 2}, 2),
    "throttled twice (429)": ({"code": "ThrottlingException", "http_status": 429, "count": 2}, 2),
    "internal error (500)": ({"code": "InternalException", "count": 1}, 1),
    "unavailable (503)": ({"code": "InternalException", "http_status": 503, "count": 1}, 1),
    "connection reset": ({"kind": "reset", "count": 1}, 1),
    "slower than the read timeout": ({"kind": "slow", "delay": 5, "count": 1}, 1),
}
PERSISTENT = {
    "throttled": ({"code": "ThrottlingException", "count": 99}, "AWS kept throttling the requests (2 attempts)"),
    "unavailable": ({"code": "InternalException", "http_status": 503, "count": 99}, "(HTTP 503, 2 attempts)"),
    "reset": ({"kind": "reset", "count": 99}, "could not be reached, even after retries"),
    "slow": ({"kind": "slow", "delay": 5, "count": 99}, "did not answer within the read timeout"),
}


def arguments(url: str, module: str, aws_config: dict) -> dict:
    args = dict(MODULES[module][0], **credentials(url), aws_config=aws_config)
    if module == "inbound_connection":
        args["connection_id"] = seed(url)
    elif module == "inbound_connection_policy":
        seed(url)
    take_calls(url)
    return args


@pytest.mark.parametrize("module", MODULES)
@pytest.mark.parametrize("name", TRANSIENT)
def test_a_transient_fault_is_retried_and_the_run_succeeds(url, module, name):
    args = arguments(url, module, SHORT_READS)
    spec, extra_calls = TRANSIENT[name]
    describe, expected = MODULES[module][1], MODULES[module][2]
    fault(url, describe, **spec)
    run = run_module(module, args)
    assert not run.failed, run.output
    # A slow answer is logged when it is finally sent, after the calls that followed it: compare the counts.
    wanted = sorted([describe] * extra_calls + expected)
    assert sorted(take_calls(url, count=len(wanted))) == wanted


@pytest.mark.parametrize("module", MODULES)
@pytest.mark.parametrize("name", PERSISTENT)
def test_a_persistent_fault_fails_cleanly_saying_it_was_retried(url, module, name):
    args = arguments(url, module, SHORT_BUDGET)
    spec, says = PERSISTENT[name]
    fault(url, MODULES[module][1], **spec)
    run = run_module(module, args)
    assert run.failed and says in run.msg, run.output
    assert "Traceback" not in run.output
    assert take_calls(url, count=2) == [MODULES[module][1]] * 2
    assert run.seconds < 30


def test_the_default_retries_give_up_within_their_bound(url):
    args = dict(connection_id=seed(url), state="rejected", **credentials(url))
    fault(url, DESCRIBE_IN, code="ThrottlingException", count=99)
    run = run_module("inbound_connection", args)
    assert run.failed and "AWS kept throttling the requests (5 attempts)" in run.msg, run.output
    assert run.seconds < 90


def test_a_throttled_action_is_retried(url):
    connection_id = seed(url)
    take_calls(url)
    fault(url, REJECT, code="ThrottlingException", count=2)
    run = run_module("inbound_connection", dict(connection_id=connection_id, state="rejected", **credentials(url)))
    assert run.changed and not run.failed, run.output
    assert take_calls(url) == [DESCRIBE_IN] + [REJECT] * 3


def test_an_action_that_keeps_failing_fails_cleanly_and_changes_nothing(url):
    connection_id = seed(url)
    take_calls(url)
    fault(url, ACCEPT, code="InternalException", count=99)
    args = dict(connection_id=connection_id, state="accepted", aws_config=SHORT_BUDGET, **credentials(url))
    run = run_module("inbound_connection", args)
    assert run.failed and f"Could not accept inbound connection '{connection_id}'" in run.msg, run.output
    assert "(HTTP 500, 2 attempts)" in run.msg
    assert take_calls(url) == [DESCRIBE_IN, ACCEPT, ACCEPT, DESCRIBE_IN]
    assert status_of(url, connection_id) == "PENDING_ACCEPTANCE"


@pytest.mark.parametrize("module", MODULES)
def test_an_answer_that_is_not_the_apis_json_fails_cleanly(url, module):
    args = arguments(url, module, SHORT_BUDGET)
    fault(url, MODULES[module][1], kind="garbage")
    run = run_module(module, args)
    assert run.failed and "could not be read as the API's JSON" in run.msg, run.output
    assert "Traceback" not in run.output


def test_a_status_the_modules_do_not_know(url):
    connection_id = seed(url, status="SOMETHING_NEW")
    run = run_module("inbound_connection", dict(connection_id=connection_id, state="rejected", **credentials(url)))
    assert run.failed and "its status SOMETHING_NEW is not one this module knows" in run.msg, run.output
    policy = run_module("inbound_connection_policy", dict(allow=[], **credentials(url)))
    assert not policy.failed and not policy.changed, policy.output
    assert "SOMETHING_NEW" in str(policy.result.get("warnings")), policy.output
    listed = run_module("inbound_connection_info", credentials(url))
    assert [c["connection_status"]["status_code"] for c in listed.result["connections"]] == ["SOMETHING_NEW"]
