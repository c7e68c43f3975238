"""Trust at the edges, end to end on both APIs: an action whose reply was lost after it took effect is a change,
a connection gone before its decision meets a reject or delete, and the connection limit fails at once."""

from __future__ import annotations

import pytest
from local_endpoint.client import seed

from .harness import credentials
from .harness import fault
from .harness import run_module
from .harness import status_of
from .harness import take_calls

OPERATIONS = {
    "es": {
        "describe": "DescribeInboundCrossClusterSearchConnections",
        "reject": "RejectInboundCrossClusterSearchConnection",
        "accept": "AcceptInboundCrossClusterSearchConnection",
        "delete": "DeleteInboundCrossClusterSearchConnection",
    },
    "opensearch": {
        "describe": "DescribeInboundConnections",
        "reject": "RejectInboundConnection",
        "accept": "AcceptInboundConnection",
        "delete": "DeleteInboundConnection",
    },
}
STATES = {"reject": ("rejected", "REJECTING"), "accept": ("accepted", "APPROVED"), "delete": ("absent", "DELETING")}
APIS = ["es", "opensearch"]


@pytest.mark.parametrize("api", APIS)
@pytest.mark.parametrize("action", ["reject", "accept", "delete"])
def test_inbound_connection_counts_an_action_whose_reply_was_lost(url, api, action):
    connection_id = seed(url, created_with=api)
    take_calls(url)
    fault(url, OPERATIONS[api][action], kind="lost_reply")
    state, after = STATES[action]
    run = run_module("inbound_connection", dict(connection_id=connection_id, state=state, api=api, **credentials(url)))
    assert run.changed and not run.failed, run.output
    assert run.result["status"] == after and status_of(url, connection_id) == after
    describe, act = OPERATIONS[api]["describe"], OPERATIONS[api][action]
    assert take_calls(url) == [describe, act, act, describe]


@pytest.mark.parametrize("api", APIS)
@pytest.mark.parametrize("action", ["reject", "accept", "delete"])
def test_the_policy_lists_a_decision_whose_reply_was_lost(url, api, action):
    status = "ACTIVE" if action == "delete" else "PENDING_ACCEPTANCE"
    connection_id = seed(url, created_with=api, status=status, source={"owner_id": "333333333333"})
    fault(url, OPERATIONS[api][action], kind="lost_reply")
    allow = [{"owner_id": "333333333333"}] if action == "accept" else [{"owner_id": "222222222222"}]
    options = {"allowed": "accept", "revoke": True}
    run = run_module("inbound_connection_policy", dict(allow=allow, api=api, **options, **credentials(url)))
    assert run.changed and not run.failed, run.output
    listed = {"reject": "rejected", "accept": "accepted", "delete": "deleted"}[action]
    assert run.result[listed] == [connection_id], run.output


@pytest.mark.parametrize("api", APIS)
@pytest.mark.parametrize("action", ["reject", "delete"])
def test_a_request_gone_before_the_policy_decided_it_is_done_not_failed(url, api, action):
    status = "ACTIVE" if action == "delete" else "PENDING_ACCEPTANCE"
    connection_id = seed(url, created_with=api, status=status, source={"owner_id": "333333333333"})
    fault(url, OPERATIONS[api][action], code="ResourceNotFoundException", forget=True)
    args = dict(allow=[{"owner_id": "222222222222"}], revoke=True, api=api, **credentials(url))
    run = run_module("inbound_connection_policy", args)
    assert not run.failed, run.output
    assert not run.changed and status_of(url, connection_id) is None
    [decision] = run.result["decisions"]
    assert (decision["connection_id"], decision["action"], decision["status"]) == (connection_id, action, None)


@pytest.mark.parametrize("api", APIS)
def test_inbound_connection_rejecting_a_request_deleted_meanwhile_is_ok(url, api):
    connection_id = seed(url, created_with=api)
    fault(url, OPERATIONS[api]["reject"], code="ResourceNotFoundException", forget=True)
    run = run_module(
        "inbound_connection", dict(connection_id=connection_id, state="rejected", api=api, **credentials(url))
    )
    assert not run.failed and not run.changed, run.output


@pytest.mark.parametrize("api", APIS)
def test_the_connection_limit_fails_at_once_with_the_hint(url, api):
    connection_id = seed(url, created_with=api)
    take_calls(url)
    fault(url, OPERATIONS[api]["accept"], code="LimitExceededException", count=5)
    run = run_module(
        "inbound_connection", dict(connection_id=connection_id, state="accepted", api=api, **credentials(url))
    )
    assert run.failed and "limit of 20 connections" in run.msg, run.output
    calls = take_calls(url)
    assert calls.count(OPERATIONS[api]["accept"]) == 1, calls
