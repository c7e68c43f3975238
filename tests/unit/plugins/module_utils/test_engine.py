"""The engine's edges: a reply lost after the action took effect, and a connection gone before its decision."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from ansible_collections.aws_search.cross_cluster.plugins.module_utils.api_calls import Connections
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.api_differences import ES
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.api_differences import OPENSEARCH
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.aws_failures import ConnectionApiError
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.engine import StateRequest
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.engine import Target
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.engine import settle
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.lifecycle import lifecycle
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.results import ConnectionStateError
from ansible_collections.aws_search.cross_cluster.tests.unit.stubbed_api import wire_connection

AFTER = {"rejected": "REJECTING", "accepted": "APPROVED", "absent": "DELETING"}


def refused(code: str, retries: int) -> ConnectionApiError:
    """What botocore raises when AWS refused the last of retries + 1 attempts with code."""
    response = {"Error": {"Code": code, "Message": "no"}, "ResponseMetadata": {"RetryAttempts": retries}}
    return ConnectionApiError(message=f"Could not act: {code}", exception=ClientError(response, "RejectInbound"))


def target(api, state: str, reads: list, error: ConnectionApiError) -> Target:
    """A target whose action fails with error and whose reads after it return reads, in order."""
    connections = Connections(None, api, "eu-west-1", "inbound")

    def act(_action, _found):
        raise error

    return Target(connections, lifecycle("inbound", state, api), lambda: reads.pop(0), act)


@pytest.mark.parametrize("api", [ES, OPENSEARCH])
@pytest.mark.parametrize("state", ["rejected", "accepted", "absent"])
@pytest.mark.parametrize("retries,changed", [(1, True), (0, False)])
def test_a_refused_retry_of_an_action_that_took_effect_is_a_change(api, state, retries, changed):
    """A lost reply: the first attempt did it, the retry was refused; a first attempt refused is someone else's."""
    now = wire_connection(api.name, AFTER[state])
    found = wire_connection(api.name, "PENDING_ACCEPTANCE")
    result = settle(target(api, state, [now], refused("ValidationException", retries)), StateRequest("c"), found, False)
    assert (result.changed, result.status) == (changed, AFTER[state])


@pytest.mark.parametrize("api", [ES, OPENSEARCH])
@pytest.mark.parametrize("state", ["rejected", "absent"])
@pytest.mark.parametrize("now_status", [None, "DELETED", "DELETING"])
def test_a_connection_gone_before_a_reject_or_delete_meets_the_goal(api, state, now_status):
    now = wire_connection(api.name, now_status) if now_status else None
    found = wire_connection(api.name, "PENDING_ACCEPTANCE")
    error = refused("ResourceNotFoundException", 0)
    result = settle(target(api, state, [now], error), StateRequest("c"), found, False)
    assert not result.changed and result.status == now_status


@pytest.mark.parametrize("api", [ES, OPENSEARCH])
def test_a_connection_gone_before_an_accept_fails_naming_it(api):
    found = wire_connection(api.name, "PENDING_ACCEPTANCE")
    error = refused("ResourceNotFoundException", 0)
    with pytest.raises(ConnectionStateError, match="deleted"):
        settle(target(api, "accepted", [None], error), StateRequest("c"), found, False)


@pytest.mark.parametrize("api", [ES, OPENSEARCH])
def test_a_refused_action_on_a_connection_that_still_needs_it_is_the_error(api):
    found = wire_connection(api.name, "PENDING_ACCEPTANCE")
    error = refused("ThrottlingException", 4)
    with pytest.raises(ConnectionApiError):
        settle(target(api, "rejected", [found], error), StateRequest("c"), found, False)


def test_check_mode_reports_a_connection_already_there_exactly_as_a_real_run():
    found = wire_connection("es", "REJECTED")
    never = target(ES, "rejected", [], refused("ValidationException", 0))
    assert settle(never, StateRequest("c"), found, True).connection == found
