from __future__ import annotations

import pytest

from ansible_collections.aws_search.cross_cluster.plugins.module_utils.api_calls import Connections
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.aws_failures import ConnectionApiError
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.inbound_state import InboundRequest
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.inbound_state import ensure_inbound
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.results import ConnectionStateError
from ansible_collections.aws_search.cross_cluster.tests.unit.stubbed_api import CONNECTION_ID


def run(stubbed, state, check_mode=False, wait=False):
    connections = Connections(stubbed.client, stubbed.api, "eu-west-1", "inbound")
    return ensure_inbound(connections, InboundRequest(CONNECTION_ID, state, wait, 5), check_mode)


@pytest.mark.parametrize(
    "state,action,after",
    [("rejected", "reject", "REJECTING"), ("accepted", "accept", "APPROVED"), ("absent", "delete", "DELETING")],
)
def test_pending_connection_is_changed_with_one_describe_and_one_action(stubbed, state, action, after):
    stubbed.expect_describe("PENDING_ACCEPTANCE")
    stubbed.expect_action(action, after)
    result = run(stubbed, state)
    assert (result.changed, result.previous_status, result.status) == (True, "PENDING_ACCEPTANCE", after)
    assert result.connection["ConnectionStatus"]["StatusCode"] == after


@pytest.mark.parametrize("state", ["rejected", "accepted", "absent"])
def test_check_mode_makes_no_change_call_and_predicts_the_real_run(stubbed, state):
    stubbed.expect_describe("PENDING_ACCEPTANCE")
    result = run(stubbed, state, check_mode=True)
    assert result.changed is True
    assert result.status == {"rejected": "REJECTING", "accepted": "APPROVED", "absent": "DELETING"}[state]
    assert result.connection["ConnectionStatus"]["StatusCode"] == result.status


def test_already_rejected_is_ok_with_only_the_describe(stubbed):
    stubbed.expect_describe("REJECTED")
    result = run(stubbed, "rejected")
    assert (result.changed, result.status, result.warnings) == (False, "REJECTED", [])


def test_deleted_connection_is_ok_to_reject_with_a_warning(stubbed):
    stubbed.expect_describe("DELETED")
    result = run(stubbed, "rejected")
    assert result.changed is False
    assert "deleted" in result.warnings[0]


def test_absent_and_not_found_returns_an_empty_connection(stubbed):
    stubbed.expect_describe(None)
    result = run(stubbed, "absent")
    assert (result.changed, result.status, result.connection) == (False, None, {})


def test_not_found_names_the_id_api_and_region(stubbed):
    stubbed.expect_describe(None)
    with pytest.raises(ConnectionStateError) as raised:
        run(stubbed, "rejected")
    message = str(raised.value)
    assert CONNECTION_ID in message and f"api={stubbed.api.name}" in message and "region=eu-west-1" in message


def test_accepted_connection_cannot_be_rejected(stubbed):
    stubbed.expect_describe("ACTIVE")
    with pytest.raises(ConnectionStateError, match="state=absent"):
        run(stubbed, "rejected")


def test_race_lost_to_an_equal_decision_is_ok(stubbed):
    stubbed.expect_describe("PENDING_ACCEPTANCE")
    stubbed.expect_error("reject", "ValidationException", "Connection is REJECTING")
    stubbed.expect_describe("REJECTING")
    result = run(stubbed, "rejected")
    assert (result.changed, result.status) == (False, "REJECTING")


def test_race_lost_to_the_opposite_decision_says_so(stubbed):
    stubbed.expect_describe("PENDING_ACCEPTANCE")
    stubbed.expect_error("reject", "ValidationException", "Connection is APPROVED")
    stubbed.expect_describe("APPROVED")
    with pytest.raises(ConnectionStateError, match="already accepted"):
        run(stubbed, "rejected")


def test_action_failure_with_unchanged_status_is_the_aws_error(stubbed):
    stubbed.expect_describe("PENDING_ACCEPTANCE")
    stubbed.expect_error("accept", "AccessDeniedException", "not authorized", 403)
    stubbed.expect_describe("PENDING_ACCEPTANCE")
    with pytest.raises(ConnectionApiError) as raised:
        run(stubbed, "accepted")
    assert "es:AcceptInboundConnection" in raised.value.message
    assert CONNECTION_ID in raised.value.message


def test_wait_polls_until_settled(stubbed, monkeypatch):
    monkeypatch.setattr("time.sleep", lambda seconds: None)
    stubbed.expect_describe("PENDING_ACCEPTANCE")
    stubbed.expect_action("delete", "DELETING")
    stubbed.expect_describe("DELETING")
    stubbed.expect_describe("DELETED")
    result = run(stubbed, "absent", wait=True)
    assert (result.changed, result.status) == (True, "DELETED")


def test_wait_fails_when_the_connection_moves_elsewhere(stubbed, monkeypatch):
    monkeypatch.setattr("time.sleep", lambda seconds: None)
    stubbed.expect_describe("REJECTING")
    stubbed.expect_describe("DELETED")
    with pytest.raises(ConnectionStateError, match="moved to DELETED while waiting for REJECTED"):
        run(stubbed, "rejected", wait=True)
