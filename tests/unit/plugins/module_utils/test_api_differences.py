from __future__ import annotations

import botocore.session
import pytest

from ansible_collections.aws_search.cross_cluster.plugins.module_utils.api_differences import APIS
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.api_differences import ES
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.api_differences import OPENSEARCH
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.api_differences import connection_status
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.input_checks import domain_problem


@pytest.mark.parametrize("api", [ES, OPENSEARCH])
@pytest.mark.parametrize("bad", ["", "   "])
def test_blank_ids_are_refused_on_both_apis(api, bad):
    assert "must not be empty" in api.id_problem(bad)


@pytest.mark.parametrize(
    "connection_id,rule",
    [
        ("short-id", "10 to 256 characters"),
        ("a" * 257, "10 to 256 characters"),
        ("Upper-case-id", "lowercase letter"),
        ("1starts-with-digit", "lowercase letter"),
        ("has_underscore", "lowercase letter"),
    ],
)
def test_opensearch_ids_follow_the_model(connection_id, rule):
    assert rule in OPENSEARCH.id_problem(connection_id)


@pytest.mark.parametrize("connection_id", ["cc-0123456789", "a" * 10, "a" * 256])
def test_valid_opensearch_ids(connection_id):
    assert OPENSEARCH.id_problem(connection_id) is None


@pytest.mark.parametrize("connection_id", ["short", "Any_Legacy-Id"])
def test_legacy_ids_have_no_model_constraints(connection_id):
    assert ES.id_problem(connection_id) is None


@pytest.mark.parametrize("api", APIS.values())
def test_every_api_names_every_inbound_action_with_a_real_boto3_method(api):
    boto3 = pytest.importorskip("boto3")
    client = boto3.client(api.client_name, region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="y")
    for name in api.methods.values():
        assert callable(getattr(client, name))


def test_connection_status_reads_either_shape():
    assert connection_status({"ConnectionStatus": {"StatusCode": "ACTIVE"}}) == "ACTIVE"
    assert connection_status(None) is None
    assert connection_status({}) is None


@pytest.mark.parametrize(
    "option,es_name,opensearch_name",
    [
        ("connection_ids", "cross-cluster-search-connection-id", "connection-id"),
        ("source_owner_ids", "source-domain-info.owner-id", "local-domain-info.owner-id"),
        ("source_domain_names", "source-domain-info.domain-name", "local-domain-info.domain-name"),
        ("source_regions", "source-domain-info.region", "local-domain-info.region"),
        ("destination_domain_names", "destination-domain-info.domain-name", "remote-domain-info.domain-name"),
        ("destination_owner_ids", "destination-domain-info.owner-id", "remote-domain-info.owner-id"),
        ("destination_regions", "destination-domain-info.region", "remote-domain-info.region"),
    ],
)
def test_filter_options_map_to_each_apis_filter_names(option, es_name, opensearch_name):
    assert (ES.filter_name(option), OPENSEARCH.filter_name(option)) == (es_name, opensearch_name)


def test_domains_round_trip_through_each_apis_shape():
    domain = {"owner_id": "111111111111", "domain_name": "my-logs", "region": "eu-west-1"}
    assert ES.domain_info(domain) == {"OwnerId": "111111111111", "DomainName": "my-logs", "Region": "eu-west-1"}
    assert OPENSEARCH.domain_info(domain) == {"AWSDomainInformation": ES.domain_info(domain)}
    for api in (ES, OPENSEARCH):
        assert api.domain_of({api.side_keys["source"]: api.domain_info(domain)}, "source") == domain


def test_domain_info_leaves_out_options_not_given():
    assert ES.domain_info({"owner_id": None, "domain_name": "my-logs", "region": None}) == {"DomainName": "my-logs"}


@pytest.mark.parametrize(
    "api,alias,rule",
    [
        (ES, "a" * 21, "1 to 20 characters"),
        (OPENSEARCH, "a", "2 to 100 characters"),
        (OPENSEARCH, "9lives", "start with a letter"),
        (OPENSEARCH, "has space", "start with a letter"),
    ],
)
def test_alias_rules(api, alias, rule):
    assert rule in api.alias_problem(alias)


@pytest.mark.parametrize("api,alias", [(ES, "any alias, 20 chars!"), (OPENSEARCH, "partner_logs-2")])
def test_valid_aliases(api, alias):
    assert api.alias_problem(alias) is None


@pytest.mark.parametrize(
    "domain,rule",
    [
        ({"domain_name": "ab"}, "3 to 28 characters"),
        ({"domain_name": "Upper"}, "3 to 28 characters"),
        ({"domain_name": "my-logs", "owner_id": "12345"}, "12-digit AWS account id"),
    ],
)
def test_domain_rules(domain, rule):
    assert rule in domain_problem(domain, "remote_domain")
    assert domain_problem({"domain_name": "my-logs", "owner_id": "123456789012"}, "remote_domain") is None


STATUS_SHAPES = {
    ("es", "inbound"): "InboundCrossClusterSearchConnectionStatusCode",
    ("es", "outbound"): "OutboundCrossClusterSearchConnectionStatusCode",
    ("opensearch", "inbound"): "InboundConnectionStatusCode",
    ("opensearch", "outbound"): "OutboundConnectionStatusCode",
}


@pytest.mark.parametrize("api_name,direction", sorted(STATUS_SHAPES))
def test_each_apis_statuses_are_its_models(api_name, direction):
    model = botocore.session.get_session().get_service_model(APIS[api_name].client_name)
    enum = model.shape_for(STATUS_SHAPES[(api_name, direction)]).enum
    assert sorted(APIS[api_name].statuses[direction]) == sorted(enum)
