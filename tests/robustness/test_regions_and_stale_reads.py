"""Real AWS answers from one region only, and its reads lag behind its writes: so does the local endpoint."""

from __future__ import annotations

import pytest
from local_endpoint.client import read
from local_endpoint.client import seed

from .harness import credentials
from .harness import run_module
from .harness import settings
from .harness import status_of
from .harness import take_calls


def test_a_connection_asked_for_from_another_region_is_not_found_there(url):
    connection_id = seed(url, destination={"region": "eu-west-1"})
    args = dict(connection_id=connection_id, state="rejected", **credentials(url, region="us-east-1"))
    run = run_module("inbound_connection", args)
    assert run.failed and "no inbound connection with this id was found" in run.msg, run.output
    assert "region=us-east-1" in run.msg
    here = run_module("inbound_connection", dict(args, region="eu-west-1"))
    assert here.changed and not here.failed, here.output


@pytest.mark.parametrize(
    "state,found,settled,api",
    [
        ("rejected", "PENDING_ACCEPTANCE", "REJECTED", "es"),
        # On the es API an accepted connection shows APPROVED from the start: nothing to wait for, no read to lag.
        ("accepted", "PENDING_ACCEPTANCE", "ACTIVE", "opensearch"),
        ("absent", "ACTIVE", "DELETED", "es"),
    ],
)
def test_waiting_through_lagging_reads(url, state, found, settled, api):
    settings(url, transition_seconds=0.5, stale_reads=2)
    connection_id = seed(url, status=found, created_with=api)
    args = dict(connection_id=connection_id, state=state, wait=True, wait_timeout=30, api=api, **credentials(url))
    run = run_module("inbound_connection", args)
    assert run.changed and not run.failed, run.output
    assert run.result["status"] == settled
    assert read(url, "stats")["stale_served"] >= 1, "no lagging read was served"


def test_outbound_deletion_waits_through_lagging_reads(url):
    settings(url, transition_seconds=0.5, stale_reads=2)
    connection_id = seed(
        url, status="ACTIVE", source={"owner_id": "111111111111"}, destination={"owner_id": "222222222222"}
    )
    args = dict(connection_id=connection_id, state="absent", wait=True, wait_timeout=30, **credentials(url))
    run = run_module("outbound_connection", args)
    assert run.changed and not run.failed, run.output
    assert run.result["status"] == "DELETED"
    assert read(url, "stats")["stale_served"] >= 1, "no lagging read was served"


@pytest.mark.parametrize("state", ["rejected", "accepted", "absent"])
def test_a_rerun_while_reads_lag_is_still_idempotent(url, state):
    settings(url, stale_reads=1)
    connection_id = seed(url)
    args = dict(connection_id=connection_id, state=state, **credentials(url))
    first = run_module("inbound_connection", args)
    take_calls(url)
    again = run_module("inbound_connection", args)
    assert first.changed and not first.failed, first.output
    assert not again.changed and not again.failed, again.output
    assert status_of(url, connection_id) == first.result["status"]
    assert read(url, "stats")["stale_served"] >= 1, "no lagging read was served"
