from __future__ import annotations

import pytest

from ansible_collections.aws_search.cross_cluster.plugins.module_utils.connection_api import APIS
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.connection_api import ES
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.connection_api import OPENSEARCH
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.connection_api import connection_status


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
