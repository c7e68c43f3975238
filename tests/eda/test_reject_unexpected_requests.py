"""The rulebook reject_unexpected_requests, run by the real ansible-rulebook against the local endpoint.

Requests from the allowed account and from unexpected ones are seeded; the rulebook must reject every unexpected
one within interval + 5 seconds of its source's first poll, leave the allowed ones untouched, reject a request
that arrives while it runs within two intervals, and call Reject exactly once per unexpected request.

Each event runs the policy on its domain, one run after the other: the first run decides every request waiting
there, the runs for the other events of the same poll find nothing left to do. A request that arrives is timed
once those runs are done.
"""

from __future__ import annotations

import pytest
from local_endpoint.client import statuses
from local_endpoint.endpoint import Endpoint
from local_endpoint.server import start_endpoint
from local_endpoint.store import Store

from .harness import PARTNER
from .harness import Rulebook
from .harness import operations
from .harness import seed_request
from .harness import wait_for

INTERVAL = 2.0
# The JVM and the rule engine start before the source's first poll.
STARTUP_SECONDS = 30
REJECT = {"es": "RejectInboundCrossClusterSearchConnection", "opensearch": "RejectInboundConnection"}
DESCRIBE = {"es": "DescribeInboundCrossClusterSearchConnections", "opensearch": "DescribeInboundConnections"}


@pytest.fixture(name="url")
def fixture_url():
    server = start_endpoint(Endpoint(store=Store(transition_seconds=0.5)))
    yield server.url
    server.stop()


def rejected(url: str, ids) -> bool:
    now = statuses(url)
    return all(now[connection_id] == "REJECTED" for connection_id in ids)


@pytest.mark.parametrize("api", ["es", "opensearch"])
def test_unexpected_requests_are_rejected_within_seconds(url, tmp_path, api):
    allowed = [seed_request(url, PARTNER, api) for _request in range(2)]
    unexpected = [seed_request(url, owner, api) for owner in ("333333333333", "444444444444", "333333333333")]
    with Rulebook(url, tmp_path, api, INTERVAL) as rulebook:
        wait_for(lambda: any(call["operation"] == DESCRIBE[api] for call in operations(url)), STARTUP_SECONDS)
        assert rulebook.running(), rulebook.output()
        wait_for(lambda: rejected(url, unexpected), INTERVAL + 5)
        wait_for(lambda: rulebook.actions_done() == len(allowed + unexpected), 30)

        arrival = seed_request(url, "555555555555", api, domain="other-logs")
        wait_for(lambda: statuses(url)[arrival] in ("REJECTING", "REJECTED"), 2 * INTERVAL)
        unexpected.append(arrival)
        wait_for(lambda: rejected(url, unexpected), 5)
        assert rulebook.running(), rulebook.output()

    now = statuses(url)
    assert [now[connection_id] for connection_id in allowed] == ["PENDING_ACCEPTANCE"] * 2
    rejects = [call["connection_id"] for call in operations(url) if call["operation"] == REJECT[api]]
    assert sorted(rejects) == sorted(unexpected), rulebook.output()
    writes = [call for call in operations(url) if call["operation"] not in (DESCRIBE[api], REJECT[api])]
    assert writes == []
