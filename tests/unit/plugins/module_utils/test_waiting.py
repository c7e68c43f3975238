from __future__ import annotations

from itertools import islice

import pytest

from ansible_collections.aws_search.cross_cluster.plugins.module_utils.api_differences import ES
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.api_differences import OPENSEARCH
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.api_differences import connection_status
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.input_checks import wait_timeout_problem
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.lifecycle import lifecycle
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.waiting import WaitEnded
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.waiting import poll_delays
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.waiting import wait_until_settled
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.waiting import wait_while


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0
        self.slept = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def test_delays_start_short_and_are_capped():
    assert list(islice(poll_delays(0.2, 1.0), 5)) == [0.2, 0.4, 0.8, 1.0, 1.0]


def test_no_read_and_no_sleep_when_already_settled():
    clock = FakeClock()
    reads = []
    connection, settled = wait_while(
        {"s": "done"}, lambda: reads.append(1), lambda c: c["s"] != "done", 10, clock, clock.sleep
    )
    assert (connection, settled, reads, clock.slept) == ({"s": "done"}, True, [], [])


def test_reads_until_settled():
    clock = FakeClock()
    answers = iter([{"s": "moving"}, {"s": "done"}])
    connection, settled = wait_while(
        {"s": "moving"}, lambda: next(answers), lambda c: c["s"] != "done", 10, clock, clock.sleep
    )
    assert (connection, settled) == ({"s": "done"}, True)
    assert clock.slept == [0.2, 0.4]


def test_times_out_without_sleeping_past_the_deadline():
    clock = FakeClock()
    connection, settled = wait_while({"s": "moving"}, lambda: {"s": "moving"}, lambda c: True, 1.0, clock, clock.sleep)
    assert settled is False and connection == {"s": "moving"}
    assert abs(sum(clock.slept) - 1.0) < 1e-9


def test_wait_timeout_must_be_positive():
    assert "at least 1" in wait_timeout_problem(0)
    assert wait_timeout_problem(1) is None


def moving_then(*statuses):
    answers = iter({"ConnectionStatus": {"StatusCode": status}} if status else None for status in statuses)
    return lambda: next(answers)


def test_wait_until_settled_ends_in_a_target(monkeypatch):
    monkeypatch.setattr("time.sleep", lambda seconds: None)
    accepting = lifecycle("inbound", "accepted", OPENSEARCH)
    first = {"ConnectionStatus": {"StatusCode": "APPROVED"}}
    assert (
        connection_status(wait_until_settled(accepting, moving_then("PROVISIONING", "ACTIVE"), first, 10)) == "ACTIVE"
    )


def test_wait_until_settled_says_where_the_connection_went_instead(monkeypatch):
    monkeypatch.setattr("time.sleep", lambda seconds: None)
    rejecting = lifecycle("inbound", "rejected", ES)
    with pytest.raises(WaitEnded) as ended:
        wait_until_settled(rejecting, moving_then("DELETED"), {"ConnectionStatus": {"StatusCode": "REJECTING"}}, 10)
    assert (ended.value.status, ended.value.timed_out) == ("DELETED", False)


def test_a_deleted_connection_that_vanishes_has_settled(monkeypatch):
    monkeypatch.setattr("time.sleep", lambda seconds: None)
    deleting = lifecycle("outbound", "absent", ES)
    assert wait_until_settled(deleting, moving_then(None), {"ConnectionStatus": {"StatusCode": "DELETING"}}, 10) is None
