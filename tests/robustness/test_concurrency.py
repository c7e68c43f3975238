"""Simultaneous runs on the same connection: exactly one changes it, the others are ok, none fails."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from local_endpoint.client import control
from local_endpoint.client import read
from local_endpoint.client import seed

from .harness import OWNER_B
from .harness import credentials
from .harness import run_module
from .harness import status_of
from .harness import take_calls

RUNS = 10


def at_once(module: str, args: dict, runs: int = RUNS):
    with ThreadPoolExecutor(max_workers=runs) as pool:
        return list(pool.map(lambda _run: run_module(module, args), range(runs)))


def tally(runs) -> tuple:
    return (
        sum(run.changed for run in runs),
        sum(not run.changed and not run.failed for run in runs),
        sum(run.failed for run in runs),
    )


@pytest.mark.parametrize(
    "state,found,after,operation",
    [
        ("rejected", "PENDING_ACCEPTANCE", "REJECTING", "RejectInboundCrossClusterSearchConnection"),
        ("accepted", "PENDING_ACCEPTANCE", "APPROVED", "AcceptInboundCrossClusterSearchConnection"),
        ("absent", "ACTIVE", "DELETING", "DeleteInboundCrossClusterSearchConnection"),
    ],
)
def test_ten_runs_deciding_one_connection(url, state, found, after, operation):
    connection_id = seed(url, status=found)
    take_calls(url)
    runs = at_once("inbound_connection", dict(connection_id=connection_id, state=state, **credentials(url)))
    assert tally(runs) == (1, RUNS - 1, 0), [run.output for run in runs if run.failed]
    assert status_of(url, connection_id) == after
    successful = [
        call for call in read(url, "calls")["calls"] if call["operation"] == operation and call["status"] == 200
    ]
    assert len(successful) == 1


def test_ten_runs_requesting_one_outbound_connection(url):
    control(url, "domains", {"owner_id": OWNER_B.account, "domain_name": "b-logs"})
    args = dict(
        local_domain={"domain_name": "a-logs"},
        remote_domain={"domain_name": "b-logs", "owner_id": OWNER_B.account},
        connection_alias="partner",
        **credentials(url),
    )
    runs = at_once("outbound_connection", args)
    assert tally(runs) == (1, RUNS - 1, 0), [run.output for run in runs if run.failed]
    assert len(read(url, "connections")["connections"]) == 1
    assert len({run.result["connection_id"] for run in runs}) == 1


def test_two_policies_at_once_end_consistent(url):
    strangers = [seed(url, source={"owner_id": "333333333333"}) for _request in range(20)]
    partners = [seed(url, source={"owner_id": OWNER_B.account}) for _request in range(10)]
    args = dict(allow=[{"owner_id": OWNER_B.account}], allowed="accept", max_concurrency=8, **credentials(url))
    runs = at_once("inbound_connection_policy", args, runs=2)
    assert not any(run.failed for run in runs), [run.output for run in runs]
    assert {status_of(url, connection_id) for connection_id in strangers} == {"REJECTING"}
    assert {status_of(url, connection_id) for connection_id in partners} == {"APPROVED"}
    rejected = [set(run.result["rejected"]) for run in runs]
    assert rejected[0] | rejected[1] == set(strangers) and not rejected[0] & rejected[1]
