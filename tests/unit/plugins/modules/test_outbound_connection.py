from __future__ import annotations

import pytest
import yaml

from ansible_collections.aws_search.cross_cluster.plugins.modules import outbound_connection
from ansible_collections.aws_search.cross_cluster.tests.unit.module_docs import assert_documented
from ansible_collections.aws_search.cross_cluster.tests.unit.module_docs import run
from ansible_collections.aws_search.cross_cluster.tests.unit.stubbed_api import CONNECTION_ID
from ansible_collections.aws_search.cross_cluster.tests.unit.stubbed_api import DOMAINS
from ansible_collections.aws_search.cross_cluster.tests.unit.stubbed_api import StubbedApi
from ansible_collections.aws_search.cross_cluster.tests.unit.stubbed_api import wire_connection

RETURN = yaml.safe_load(outbound_connection.RETURN)
REQUEST = {
    "local_domain": {"domain_name": DOMAINS["source"]["DomainName"]},
    "remote_domain": {
        "domain_name": DOMAINS["destination"]["DomainName"],
        "owner_id": DOMAINS["destination"]["OwnerId"],
    },
    "connection_alias": "partner",
}


def create_params(stubbed, **settings) -> dict:
    """What Create must carry: the domains in the API's shape, and the opensearch-only settings given."""
    local = {"domain_name": DOMAINS["source"]["DomainName"]}
    remote = {"domain_name": DOMAINS["destination"]["DomainName"], "owner_id": DOMAINS["destination"]["OwnerId"]}
    sides = stubbed.api.side_keys
    return {
        sides["source"]: stubbed.api.domain_info(local),
        sides["destination"]: stubbed.api.domain_info(remote),
        **settings,
    }


def match_filters(stubbed) -> dict:
    return {
        "Filters": [
            {"Name": stubbed.api.filter_name("source_domain_names"), "Values": [DOMAINS["source"]["DomainName"]]},
            {
                "Name": stubbed.api.filter_name("destination_domain_names"),
                "Values": [DOMAINS["destination"]["DomainName"]],
            },
        ],
        "MaxResults": 100,
    }


def test_create_returns_every_documented_key(capsys, monkeypatch, stubbed):
    stubbed.expect_page("outbound", [], match_filters(stubbed))
    stubbed.expect_create("partner", create_params(stubbed))
    result = run(outbound_connection, capsys, monkeypatch, stubbed, **REQUEST)
    assert (result["changed"], result["status"], result["connection_id"]) == (True, "VALIDATING", CONNECTION_ID)
    assert result["ansible_facts"]["cross_cluster_outbound_connection"] == result["connection"]
    assert_documented(result, RETURN, stubbed.api.name)


def test_live_match_is_ok_and_rejected_match_is_not_live(capsys, monkeypatch, stubbed):
    rejected = wire_connection(stubbed.api.name, "REJECTED", "cc-rejected-one", "partner")
    live = wire_connection(stubbed.api.name, "PENDING_ACCEPTANCE", CONNECTION_ID, "partner")
    other_alias = wire_connection(stubbed.api.name, "ACTIVE", "cc-other-alias", "other")
    stubbed.expect_page("outbound", [rejected, other_alias, live], match_filters(stubbed))
    result = run(outbound_connection, capsys, monkeypatch, stubbed, **REQUEST)
    assert (result["changed"], result["connection_id"], result["status"]) == (
        False,
        CONNECTION_ID,
        "PENDING_ACCEPTANCE",
    )


def test_check_mode_create_predicts_without_creating(capsys, monkeypatch, stubbed):
    stubbed.expect_page("outbound", [], match_filters(stubbed))
    result = run(outbound_connection, capsys, monkeypatch, stubbed, _ansible_check_mode=True, **REQUEST)
    assert (result["changed"], result["status"], result["connection_id"], result["connection"]) == (
        True,
        "VALIDATING",
        None,
        {},
    )
    assert_documented(result, RETURN, stubbed.api.name)


def test_duplicate_from_aws_is_explained(capsys, monkeypatch, stubbed):
    stubbed.expect_page("outbound", [], match_filters(stubbed))
    stubbed.stubber.add_client_error(
        stubbed.api.method("outbound", "create"), "LimitExceededException", "too many", 409
    )
    result = run(outbound_connection, capsys, monkeypatch, stubbed, **REQUEST)
    assert result["failed"] is True
    assert "Could not create outbound connection 'partner'" in result["msg"]
    assert "limit of 20 connections" in result["msg"]


@pytest.mark.parametrize("mode,skip,sent", [("VPC_ENDPOINT", True, "ENABLED"), ("DIRECT", False, "DISABLED")])
def test_connection_settings_reach_the_create_call(capsys, monkeypatch, mode, skip, sent):
    stub = StubbedApi("opensearch")
    with stub.stubber:
        stub.expect_page("outbound", [], match_filters(stub))
        settings = {"ConnectionMode": mode, "ConnectionProperties": {"CrossClusterSearch": {"SkipUnavailable": sent}}}
        stub.expect_create("partner", create_params(stub, **settings))
        result = run(
            outbound_connection, capsys, monkeypatch, stub, connection_mode=mode, skip_unavailable=skip, **REQUEST
        )
        stub.stubber.assert_no_pending_responses()
    assert result["changed"] is True
