from __future__ import annotations

import pytest
import yaml

from ansible_collections.aws_search.cross_cluster.plugins.modules import inbound_connection
from ansible_collections.aws_search.cross_cluster.plugins.modules import inbound_connection_info
from ansible_collections.aws_search.cross_cluster.plugins.modules import outbound_connection
from ansible_collections.aws_search.cross_cluster.plugins.modules import outbound_connection_info
from ansible_collections.aws_search.cross_cluster.tests.unit.module_docs import STANDARD_KEYS
from ansible_collections.aws_search.cross_cluster.tests.unit.module_docs import assert_documented
from ansible_collections.aws_search.cross_cluster.tests.unit.module_docs import run
from ansible_collections.aws_search.cross_cluster.tests.unit.stubbed_api import wire_connection

MODULES = {
    "inbound": (inbound_connection_info, inbound_connection, ""),
    "outbound": (outbound_connection_info, outbound_connection, "partner"),
}


@pytest.mark.parametrize("direction", ["inbound", "outbound"])
def test_pages_are_followed_and_statuses_filtered_after_the_call(capsys, monkeypatch, stubbed, direction):
    info_module, state_module, alias = MODULES[direction]
    first = [wire_connection(stubbed.api.name, "PENDING_ACCEPTANCE", f"cc-{n:010d}", alias) for n in range(100)]
    second = [wire_connection(stubbed.api.name, "REJECTED", "cc-last-one-x", alias)]
    expected = {
        "Filters": [{"Name": stubbed.api.id_filter, "Values": ["cc-aaaaaaaaaa", "cc-bbbbbbbbbb"]}],
        "MaxResults": 100,
    }
    stubbed.expect_page(direction, first, expected, next_token="page-2")
    stubbed.expect_page(direction, second, dict(expected, NextToken="page-2"))
    result = run(
        info_module,
        capsys,
        monkeypatch,
        stubbed,
        connection_ids=["cc-aaaaaaaaaa", "cc-bbbbbbbbbb"],
        statuses=["REJECTED"],
    )
    assert result["changed"] is False
    assert [c["connection_status"]["status_code"] for c in result["connections"]] == ["REJECTED"]
    connection_doc = yaml.safe_load(state_module.RETURN)["connection"]["contains"]
    assert_documented(result["connections"][0], connection_doc, stubbed.api.name)
    assert set(result) - STANDARD_KEYS == set(yaml.safe_load(info_module.RETURN))
    assert result["changed"] is False


@pytest.mark.parametrize(
    "direction,options",
    [
        ("inbound", {"source_owner_ids": ["222222222222"], "destination_domain_names": ["my-logs"]}),
        ("outbound", {"destination_owner_ids": ["222222222222"], "source_domain_names": ["my-logs"]}),
    ],
)
def test_friendly_filters_become_the_apis_filters(capsys, monkeypatch, stubbed, direction, options):
    info_module = MODULES[direction][0]
    expected = {
        "Filters": [{"Name": stubbed.api.filter_name(option), "Values": values} for option, values in options.items()],
        "MaxResults": 100,
    }
    stubbed.expect_page(direction, [], expected)
    assert run(info_module, capsys, monkeypatch, stubbed, **options)["connections"] == []
