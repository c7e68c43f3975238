"""Every filter of both info modules, end to end on both APIs, with data where the filter changes the answer."""

from __future__ import annotations

import pytest
from local_endpoint.client import seed

from .harness import OWNER_A
from .harness import credentials
from .harness import run_module
from .harness import take_calls

ID_KEY = {"es": "cross_cluster_search_connection_id", "opensearch": "connection_id"}
DESCRIBE = {"es": "DescribeInboundCrossClusterSearchConnections", "opensearch": "DescribeInboundConnections"}


def domain(owner: str, name: str, region: str = "us-east-1") -> dict:
    return {"owner_id": owner, "domain_name": name, "region": region}


def listed(url: str, module: str, api: str, **filters) -> list:
    run = run_module(module, dict(filters, api=api, **credentials(url)))
    assert not run.failed, run.output
    return sorted(connection[ID_KEY[api]] for connection in run.result["connections"])


@pytest.mark.parametrize("api", ["es", "opensearch"])
def test_inbound_filters(url, api):
    me = OWNER_A.account
    one = seed(url, source=domain("222222222222", "p-one"), destination=domain(me, "a-shared"))
    two = seed(url, source=domain("333333333333", "p-two", "eu-west-1"), destination=domain(me, "a-private"))
    three = seed(
        url,
        source=domain("222222222222", "p-three", "us-west-2"),
        destination=domain(me, "a-shared"),
        status="REJECTED",
    )
    cases = {
        "connection_ids": ([one], [one]),
        "source_owner_ids": (["333333333333"], [two]),
        "source_domain_names": (["p-three", "p-nothing"], [three]),
        "source_regions": (["eu-west-1"], [two]),
        "destination_domain_names": (["a-private"], [two]),
        "statuses": (["REJECTED"], [three]),
    }
    assert listed(url, "inbound_connection_info", api) == sorted([one, two, three])
    for option, (values, expected) in cases.items():
        assert listed(url, "inbound_connection_info", api, **{option: values}) == sorted(expected), option
    both = {"source_owner_ids": ["222222222222"], "statuses": ["PENDING_ACCEPTANCE"]}
    assert listed(url, "inbound_connection_info", api, **both) == [one]


@pytest.mark.parametrize("api", ["es", "opensearch"])
def test_outbound_filters(url, api):
    me = OWNER_A.account
    one = seed(url, source=domain(me, "a-one"), destination=domain("222222222222", "b-one"))
    two = seed(url, source=domain(me, "a-two"), destination=domain("333333333333", "b-two", "eu-west-1"))
    three = seed(url, source=domain(me, "a-one"), destination=domain("222222222222", "b-three"), status="ACTIVE")
    cases = {
        "connection_ids": ([two], [two]),
        "destination_owner_ids": (["222222222222"], [one, three]),
        "destination_domain_names": (["b-three"], [three]),
        "destination_regions": (["eu-west-1"], [two]),
        "source_domain_names": (["a-one"], [one, three]),
        "statuses": (["ACTIVE"], [three]),
    }
    assert listed(url, "outbound_connection_info", api) == sorted([one, two, three])
    for option, (values, expected) in cases.items():
        assert listed(url, "outbound_connection_info", api, **{option: values}) == sorted(expected), option


@pytest.mark.parametrize("api", ["es", "opensearch"])
def test_a_listing_pages_through_more_than_a_hundred(url, api):
    many = [seed(url) for _connection in range(150)]
    take_calls(url)
    assert listed(url, "inbound_connection_info", api) == sorted(many)
    assert take_calls(url) == [DESCRIBE[api]] * 2
