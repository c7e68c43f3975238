from __future__ import annotations

import pytest

from ansible_collections.aws_search.cross_cluster.plugins.module_utils.api_differences import ES
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.api_differences import OPENSEARCH
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.lifecycle import lifecycle


def plan_inbound(state, status):
    return lifecycle("inbound", state, ES).plan(status)


def settled_status(state, api):
    return lifecycle("inbound", state, api).settled


# The module's decision table: (status found, state) -> "action", "ok", "warn" or "fail".
TABLE = {
    "PENDING_ACCEPTANCE": {"rejected": "reject", "accepted": "accept", "absent": "delete"},
    "REJECTING": {"rejected": "ok", "accepted": "fail", "absent": "delete"},
    "REJECTED": {"rejected": "ok", "accepted": "fail", "absent": "delete"},
    "APPROVED": {"rejected": "fail", "accepted": "ok", "absent": "delete"},
    "PROVISIONING": {"rejected": "fail", "accepted": "ok", "absent": "delete"},
    "ACTIVE": {"rejected": "fail", "accepted": "ok", "absent": "delete"},
    "DELETING": {"rejected": "warn", "accepted": "fail", "absent": "ok"},
    "DELETED": {"rejected": "warn", "accepted": "fail", "absent": "ok"},
    None: {"rejected": "fail", "accepted": "fail", "absent": "ok"},
    "SOMETHING_NEW": {"rejected": "fail", "accepted": "fail", "absent": "fail"},
}
CASES = [(status, state, outcome) for status, row in TABLE.items() for state, outcome in row.items()]


def outcome_of(status, state):
    plan = plan_inbound(state, status)
    if plan.failure:
        assert plan.action is None
        return "fail"
    if plan.warning:
        return "warn"
    return plan.action or "ok"


@pytest.mark.parametrize("status,state,expected", CASES)
def test_plan_follows_the_table(status, state, expected):
    assert outcome_of(status, state) == expected


def test_failures_explain_the_way_out():
    assert "state=absent" in plan_inbound("rejected", "ACTIVE").failure
    assert "SOMETHING_NEW" in plan_inbound("absent", "SOMETHING_NEW").failure
    assert "connection_id" in plan_inbound("rejected", None).failure


@pytest.mark.parametrize(
    "state,api,expected",
    [
        ("rejected", ES, "REJECTED"),
        ("rejected", OPENSEARCH, "REJECTED"),
        ("accepted", ES, "APPROVED"),
        ("accepted", OPENSEARCH, "ACTIVE"),
        ("absent", ES, "DELETED"),
        ("absent", OPENSEARCH, "DELETED"),
    ],
)
def test_settled_status(state, api, expected):
    assert settled_status(state, api) == expected


@pytest.mark.parametrize(
    "state,status,api,expected",
    [
        ("rejected", "REJECTING", ES, True),
        ("rejected", "REJECTED", ES, False),
        ("accepted", "APPROVED", OPENSEARCH, True),
        ("accepted", "PROVISIONING", OPENSEARCH, True),
        ("accepted", "APPROVED", ES, False),
        ("accepted", "ACTIVE", OPENSEARCH, False),
        ("absent", "DELETING", ES, True),
        ("absent", None, ES, False),
        ("rejected", "DELETING", ES, False),
    ],
)
def test_in_transit(state, status, api, expected):
    assert lifecycle("inbound", state, api).in_transit(status) is expected


@pytest.mark.parametrize(
    "state,found,api,wait,expected",
    [
        ("rejected", "PENDING_ACCEPTANCE", ES, False, "REJECTING"),
        ("rejected", "PENDING_ACCEPTANCE", ES, True, "REJECTED"),
        ("accepted", "PENDING_ACCEPTANCE", OPENSEARCH, True, "ACTIVE"),
        ("accepted", "PENDING_ACCEPTANCE", ES, True, "APPROVED"),
        ("absent", "ACTIVE", OPENSEARCH, False, "DELETING"),
        ("rejected", "REJECTING", ES, True, "REJECTED"),
        ("rejected", "REJECTING", ES, False, "REJECTING"),
        ("rejected", "DELETED", ES, True, "DELETED"),
        ("absent", None, ES, True, None),
    ],
)
def test_predicted_status(state, found, api, wait, expected):
    assert lifecycle("inbound", state, api).predicted(found, wait) == expected
