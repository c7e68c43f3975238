from __future__ import annotations

import pytest

from ansible_collections.aws_search.cross_cluster.plugins.module_utils.api_differences import ES
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.api_differences import OPENSEARCH
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.input_checks import outbound_problem
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.lifecycle import is_live_outbound as is_live
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.lifecycle import lifecycle
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.outbound_state import OutboundRequest
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.outbound_state import create_params
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.outbound_state import matches

input_problem = outbound_problem


def plan_outbound_absent(state, status):
    return lifecycle("outbound", state, ES).plan(status)


LOCAL = {"owner_id": "111111111111", "domain_name": "a-logs", "region": "us-east-1"}
REMOTE = {"owner_id": "222222222222", "domain_name": "b-logs", "region": "us-east-1"}
REQUEST = OutboundRequest(state="present", local_domain=LOCAL, remote_domain=REMOTE, connection_alias="partner")


def outbound(api, alias="partner", remote=None, status="PENDING_ACCEPTANCE"):
    return {
        api.side_keys["source"]: api.domain_info(LOCAL),
        api.side_keys["destination"]: api.domain_info(remote or REMOTE),
        "ConnectionAlias": alias,
        "ConnectionStatus": {"StatusCode": status},
    }


@pytest.mark.parametrize("api", [ES, OPENSEARCH])
def test_match_needs_same_domains_and_alias(api):
    assert matches(api, outbound(api), REQUEST)
    assert not matches(api, outbound(api, alias="other"), REQUEST)
    assert not matches(api, outbound(api, remote=dict(REMOTE, region="eu-west-1")), REQUEST)


@pytest.mark.parametrize("api", [ES, OPENSEARCH])
def test_options_left_out_match_any_value(api):
    loose = OutboundRequest(
        state="present",
        local_domain={"domain_name": "a-logs"},
        remote_domain={"domain_name": "b-logs"},
        connection_alias="partner",
    )
    assert matches(api, outbound(api, remote=dict(REMOTE, region="eu-west-1")), loose)


@pytest.mark.parametrize(
    "status,live",
    [
        ("VALIDATING", True),
        ("PENDING_ACCEPTANCE", True),
        ("REJECTING", False),
        ("ACTIVE", True),
        ("VALIDATION_FAILED", False),
        ("REJECTED", False),
        ("DELETING", False),
        ("DELETED", False),
    ],
)
def test_live_statuses(status, live):
    assert is_live({"ConnectionStatus": {"StatusCode": status}}) is live


@pytest.mark.parametrize(
    "status,action,fails",
    [
        (None, None, False),
        ("DELETING", None, False),
        ("DELETED", None, False),
        ("ACTIVE", "delete", False),
        ("REJECTED", "delete", False),
        ("NEW_ONE", None, True),
    ],
)
def test_absent_plan(status, action, fails):
    plan = plan_outbound_absent("absent", status)
    assert (plan.action, plan.failure is not None) == (action, fails)


def test_create_params_in_each_apis_shape():
    assert create_params(ES, REQUEST) == {
        "SourceDomainInfo": ES.domain_info(LOCAL),
        "DestinationDomainInfo": ES.domain_info(REMOTE),
    }
    with_settings = OutboundRequest(**dict(vars(REQUEST), connection_mode="VPC_ENDPOINT", skip_unavailable=True))
    assert create_params(OPENSEARCH, with_settings) == {
        "LocalDomainInfo": OPENSEARCH.domain_info(LOCAL),
        "RemoteDomainInfo": OPENSEARCH.domain_info(REMOTE),
        "ConnectionMode": "VPC_ENDPOINT",
        "ConnectionProperties": {"CrossClusterSearch": {"SkipUnavailable": "ENABLED"}},
    }


@pytest.mark.parametrize(
    "changes,api,rule",
    [
        ({"connection_mode": "DIRECT"}, ES, "connection_mode need api=opensearch"),
        ({"skip_unavailable": False}, ES, "skip_unavailable need api=opensearch"),
        ({"connection_alias": "x" * 21}, ES, "1 to 20 characters"),
        ({"remote_domain": {"domain_name": "B"}}, OPENSEARCH, "remote_domain.domain_name"),
        ({"local_domain": None}, ES, "needs connection_id, or local_domain"),
        (
            {"state": "absent", "connection_id": "Bad_Id_long_enough"},
            OPENSEARCH,
            "connection_id must start with a lowercase letter",
        ),
    ],
)
def test_input_problems(changes, api, rule):
    assert rule in input_problem(OutboundRequest(**dict(vars(REQUEST), **changes)), api)


def test_valid_input():
    assert input_problem(REQUEST, OPENSEARCH) is None
    assert input_problem(OutboundRequest(state="absent", connection_id="cc-0123456789"), OPENSEARCH) is None
