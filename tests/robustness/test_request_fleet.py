"""The event source over many accounts and regions, run as ansible-rulebook runs it (its main() on an event loop),
against the local endpoint (STS, EC2 DescribeRegions, the connections of each account) and moto's AWS Organizations,
each service routed by botocore's per-service endpoint settings. Deadlines come from the endpoint's call log."""

from __future__ import annotations

import asyncio
import os
import sys
import threading
import time
from typing import Any
from typing import Dict
from typing import List

import boto3
import pytest
from local_endpoint.client import control
from local_endpoint.client import read

from .harness import OWNER_A

sys.path.extend(os.environ.get("ANSIBLE_COLLECTIONS_PATH", "").split(os.pathsep))
# pylint: disable-next=wrong-import-position,wrong-import-order
from ansible_collections.aws_search.cross_cluster.plugins.plugin_utils.request_fleet import run_source  # noqa: E402

ROLE = "search-guard"
PARTNER = "222222222222"


def role(account: str) -> str:
    return f"arn:aws:iam::{account}:role/{ROLE}"


class Source:
    """The event source in a thread of its own, as ansible-rulebook runs it; events collected as they come."""

    def __init__(self, args: Dict[str, Any]) -> None:
        self.events: List[dict] = []
        self.error: List[BaseException] = []
        self.loop = asyncio.new_event_loop()
        self.task: Any = None
        self.thread = threading.Thread(target=self.loop.run_until_complete, args=(self._main(args),), daemon=True)
        self.thread.start()

    async def _main(self, args: Dict[str, Any]) -> None:
        queue: asyncio.Queue = asyncio.Queue()
        self.task = asyncio.ensure_future(run_source(queue, args))
        while not self.task.done():
            getter = asyncio.ensure_future(queue.get())
            await asyncio.wait({getter, self.task}, return_when=asyncio.FIRST_COMPLETED)
            if getter.done():
                self.events.append(getter.result())
            else:
                getter.cancel()
        if not self.task.cancelled() and self.task.exception():
            self.error.append(self.task.exception())

    def wait_for(self, check, timeout: float = 60.0) -> None:
        started = time.monotonic()
        while not check():
            assert not self.error, self.error
            assert time.monotonic() - started < timeout, f"not within {timeout} s: {self.events}"
            time.sleep(0.05)

    def stop(self) -> None:
        self.loop.call_soon_threadsafe(self.task.cancel)
        self.thread.join(timeout=10)


@pytest.fixture(name="aws")
def fixture_aws(url, moto_url, monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", OWNER_A.access_key)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", OWNER_A.secret_key)
    monkeypatch.setenv("AWS_ENDPOINT_URL", url)
    monkeypatch.setenv("AWS_ENDPOINT_URL_ORGANIZATIONS", moto_url)
    monkeypatch.setenv("AWS_REGION", "us-east-1")
    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    return url


def account(url: str, account_id: str, opted_in=()) -> None:
    control(url, "accounts", {"account_id": account_id, "opted_in_regions": list(opted_in)})


def request(url: str, account_id: str, region: str) -> str:
    destination = {"owner_id": account_id, "region": region, "domain_name": "logs"}
    return control(url, "connections", {"source": {"owner_id": PARTNER}, "destination": destination})["connection_id"]


def calls(url: str, operation: str) -> List[dict]:
    return [call for call in read(url, "calls")["calls"] if call["operation"] == operation]


def requests_of(source: Source) -> List[dict]:
    return [event["cross_cluster_request"] for event in source.events if "cross_cluster_request" in event]


def test_one_source_watches_every_enabled_region_of_every_account_with_each_accounts_role(aws):
    accounts = ["444444444401", "444444444402", "444444444403"]
    for account_id in accounts:
        account(aws, account_id, ["eu-south-1"] if account_id == accounts[2] else [])
    wanted = {request(aws, a, r): (a, r) for a in accounts for r in ("us-east-1", "eu-west-1")}
    wanted[request(aws, accounts[2], "eu-south-1")] = (accounts[2], "eu-south-1")
    source = Source({"iam_role_arns": [role(a) for a in accounts], "regions": "all", "interval": 0.5})
    try:
        source.wait_for(lambda: len(requests_of(source)) == len(wanted))
    finally:
        source.stop()
    for event in requests_of(source):
        account_id, region = wanted[event["connection_id"]]
        assert (event["account_id"], event["region"], event["role_arn"]) == (account_id, region, role(account_id))
    polls = calls(aws, "DescribeInboundCrossClusterSearchConnections")
    assert {call["account"] for call in polls} == set(accounts), polls
    assert {call["account"] for call in polls if call["region"] == "eu-south-1"} == {accounts[2]}
    assert all(call["status"] == 200 for call in polls), [call for call in polls if call["status"] != 200]
    # The enabled regions are read once per account; the roles once per account too (they last an hour here).
    assert sorted(call["account"] for call in calls(aws, "DescribeRegions")) == accounts
    assert len(calls(aws, "AssumeRole")) == len(accounts)
    assert {call["session_name"] for call in calls(aws, "AssumeRole")} == {"aws-search-inbound-requests"}


def test_an_account_denied_throughout_backs_off_alone_and_never_delays_another_accounts_requests(aws):
    denied, good = "999999999999", "444444444404"  # the endpoint does not know 999999999999: its role is refused
    account(aws, good)
    interval = 0.2
    # Each refusal of the denied account's role takes 3 seconds to come, as from an endpoint that hangs.
    control(
        aws, "faults", {"operation": "AssumeRole", "kind": "slow", "delay": 3, "count": 100, "role_arn": role(denied)}
    )
    source = Source({"iam_role_arns": [role(denied), role(good)], "regions": ["us-east-1"], "interval": interval})
    try:
        source.wait_for(lambda: len([c for c in calls(aws, "AssumeRole") if denied in c["role_arn"]]) >= 2)
        connection_id = request(aws, good, "us-east-1")
        source.wait_for(lambda: connection_id in [event["connection_id"] for event in requests_of(source)])
    finally:
        source.stop()
    refused = [call for call in calls(aws, "AssumeRole") if denied in call["role_arn"]]
    polls = calls(aws, "DescribeInboundCrossClusterSearchConnections")
    assert refused and all(call["status"] == 403 for call in refused) and {c["account"] for c in polls} == {good}
    # While each refusal was on its way, the good account went on polling at its own interval.
    first = refused[0]
    during = [call for call in polls if first["time"] <= call["time"] <= first["ended"]]
    assert len(during) >= 3, (first, polls)
    gaps = [later["time"] - earlier["time"] for earlier, later in zip(refused, refused[1:])]
    assert all(gap >= 3 + interval * 2 * 0.9 for gap in gaps), gaps


def test_at_most_max_concurrency_polls_run_at_once(aws):
    accounts = [f"4444444445{number:02d}" for number in range(6)]
    for account_id in accounts:
        account(aws, account_id)
    operation = "DescribeInboundCrossClusterSearchConnections"
    control(aws, "faults", {"operation": operation, "kind": "slow", "delay": 0.3, "count": 12})
    args = {"iam_role_arns": [role(a) for a in accounts], "regions": ["us-east-1"], "max_concurrency": 2}
    source = Source({**args, "interval": 0.1})
    try:
        source.wait_for(lambda: len(calls(aws, operation)) >= 8)
    finally:
        source.stop()
    polls = [call for call in calls(aws, operation) if "ended" in call]
    in_flight = max(sum(1 for other in polls if other["time"] <= call["time"] < other["ended"]) for call in polls)
    assert in_flight <= 2, polls


def test_assumed_roles_are_assumed_again_before_their_credentials_expire(aws):
    good = "444444444406"
    account(aws, good)
    control(aws, "settings", {"session_seconds": 1})
    source = Source({"role_arn": role(good), "regions": ["us-east-1"], "interval": 0.3})
    try:
        source.wait_for(lambda: len(calls(aws, "DescribeInboundCrossClusterSearchConnections")) >= 4)
    finally:
        source.stop()
    polls = calls(aws, "DescribeInboundCrossClusterSearchConnections")
    # Keys that last a second are always within botocore's refresh window: each poll assumes the role anew, and no
    # poll is ever signed with expired keys.
    assert all(call["status"] == 200 for call in polls), polls
    assert len(calls(aws, "AssumeRole")) >= len(polls) - 1


def test_the_organization_is_read_again_so_that_a_new_account_is_watched_without_a_restart(aws, moto_url):
    organizations = boto3.client("organizations", region_name="us-east-1", endpoint_url=moto_url)
    organizations.create_organization(FeatureSet="ALL")
    management = organizations.describe_organization()["Organization"]["MasterAccountId"]

    def new_account(name: str) -> str:
        created = organizations.create_account(Email=f"{name}@example.com", AccountName=name)
        account(aws, created["CreateAccountStatus"]["AccountId"])
        return created["CreateAccountStatus"]["AccountId"]

    first = new_account("first")
    suspended = new_account("suspended")
    organizations.close_account(AccountId=suspended)
    args = {"organization": {"exclude_account_ids": [management]}, "role_name": ROLE, "regions": ["us-east-1"]}
    source = Source({**args, "interval": 0.2, "organization_refresh": 0.5})
    try:
        connection_id = request(aws, first, "us-east-1")
        source.wait_for(lambda: connection_id in [event["connection_id"] for event in requests_of(source)])
        later = new_account("later")
        connection_id = request(aws, later, "us-east-1")
        source.wait_for(lambda: connection_id in [event["connection_id"] for event in requests_of(source)])
    finally:
        source.stop()
    assumed = {call["role_arn"] for call in calls(aws, "AssumeRole")}
    assert assumed == {role(first), role(later)}, assumed


def test_with_batch_one_poll_is_one_event_holding_its_requests(aws):
    good = "444444444407"
    account(aws, good)
    ids = {request(aws, good, "us-east-1") for _request in range(3)}
    source = Source({"iam_role_arns": [role(good)], "regions": ["us-east-1"], "batch": True, "interval": 0.2})
    try:
        source.wait_for(lambda: len(source.events) >= 1)
    finally:
        source.stop()
    [event] = source.events
    batch = event["cross_cluster_requests"]
    assert {item["connection_id"] for item in batch["requests"]} == ids and batch["role_arn"] == role(good), batch


def test_an_organization_that_cannot_be_read_at_start_ends_the_source_saying_why(aws):
    # moto has no organization yet: AWSOrganizationsNotInUseException, as for credentials outside any organization.
    source = Source({"organization": {}, "role_name": ROLE, "regions": ["us-east-1"], "interval": 0.2})
    started = time.monotonic()
    while not source.error and time.monotonic() - started < 60:
        time.sleep(0.05)
    source.stop()
    [error] = source.error
    assert "Could not read the organization's accounts" in str(error) and "management account" in str(error), error


def test_an_organization_with_no_account_left_to_watch_is_a_warning_and_nothing_crashes(aws, moto_url, caplog):
    organizations = boto3.client("organizations", region_name="us-east-1", endpoint_url=moto_url)
    organizations.create_organization(FeatureSet="ALL")
    management = organizations.describe_organization()["Organization"]["MasterAccountId"]
    args = {"organization": {"exclude_account_ids": [management]}, "role_name": ROLE, "regions": "all"}
    source = Source({**args, "interval": 0.2})
    try:
        source.wait_for(lambda: "no ACTIVE account to watch" in caplog.text)
    finally:
        source.stop()
    assert not source.error and calls(aws, "DescribeInboundCrossClusterSearchConnections") == []


def test_the_enabled_regions_of_an_account_slow_to_answer_never_hold_back_another_accounts_watch(aws):
    slow, good = "444444444408", "444444444409"
    for account_id in (slow, good):
        account(aws, account_id)
    control(aws, "faults", {"operation": "AssumeRole", "kind": "slow", "delay": 10, "count": 1, "role_arn": role(slow)})
    source = Source({"iam_role_arns": [role(slow), role(good)], "regions": "all", "interval": 0.2})
    try:
        source.wait_for(lambda: calls(aws, "DescribeInboundCrossClusterSearchConnections"))
        first_poll = calls(aws, "DescribeInboundCrossClusterSearchConnections")[0]
        source.wait_for(lambda: role(slow) in {call["role_arn"] for call in calls(aws, "AssumeRole")})
    finally:
        source.stop()
    slow_role = next(call for call in calls(aws, "AssumeRole") if call["role_arn"] == role(slow))
    # The good account was polled while the slow account's role was still being assumed.
    assert first_poll["account"] == good and first_poll["time"] < slow_role["ended"], (first_poll, slow_role)


def watch_events(source: Source) -> List[dict]:
    return [event["cross_cluster_watch"] for event in source.events if "cross_cluster_watch" in event]


def test_an_account_that_cannot_be_watched_is_an_event_once_naming_the_refused_call_and_again_when_watched(aws):
    denied, good = "999999999999", "444444444410"  # the endpoint does not know 999999999999: its role is refused
    account(aws, good)
    operation = "DescribeInboundCrossClusterSearchConnections"
    control(aws, "faults", {"operation": operation, "code": "AccessDeniedException", "count": 1})
    args = {"iam_role_arns": [role(denied), role(good)], "regions": ["us-east-1"], "interval": 0.1}
    source = Source(args)
    try:
        source.wait_for(lambda: len([c for c in calls(aws, "AssumeRole") if denied in c["role_arn"]]) >= 3)
        source.wait_for(
            lambda: [e for e in watch_events(source) if e["account_id"] == good and e["status"] == "watched"]
        )
    finally:
        source.stop()
    by_account = {}
    for event in watch_events(source):
        by_account.setdefault(event["account_id"], []).append(event)
    # Refused three times or more, reported once (repeat_after: 300 s).
    [refused] = by_account[denied]
    assert (refused["status"], refused["region"], refused["role_arn"]) == ("unwatched", "us-east-1", role(denied))
    assert "sts:AssumeRole" in refused["reason"] and "es:DescribeInboundConnections" not in refused["reason"], refused
    assert [event["status"] for event in by_account[good]] == ["unwatched", "watched"], by_account[good]
    assert "es:DescribeInboundConnections" in by_account[good][0]["reason"], by_account[good]


def test_an_account_whose_enabled_regions_cannot_be_listed_is_an_event_for_all_its_regions(aws):
    denied = "999999999999"
    source = Source({"iam_role_arns": [role(denied)], "regions": "all", "interval": 0.1})
    try:
        source.wait_for(lambda: watch_events(source))
    finally:
        source.stop()
    [event] = watch_events(source)
    assert (event["status"], event["account_id"], event["region"]) == ("unwatched", denied, "all"), event
    assert "could not list its enabled regions" in event["reason"] and "sts:AssumeRole" in event["reason"], event


def test_an_answer_without_the_regions_is_an_unwatched_account_never_an_account_without_regions(aws):
    good = "444444444411"
    account(aws, good)
    control(aws, "faults", {"operation": "DescribeRegions", "kind": "garbage", "count": 1})
    source = Source({"iam_role_arns": [role(good)], "regions": "all", "interval": 0.1})
    try:
        source.wait_for(lambda: len(watch_events(source)) >= 2)
    finally:
        source.stop()
    unwatched, watched = watch_events(source)[:2]
    assert (unwatched["status"], unwatched["region"], watched["status"]) == ("unwatched", "all", "watched"), unwatched
    assert "could not be read as the API's JSON" in unwatched["reason"], unwatched


def test_reading_the_organization_again_keeps_the_watchers_and_their_memory_and_the_regions_read_last(aws, moto_url):
    organizations = boto3.client("organizations", region_name="us-east-1", endpoint_url=moto_url)
    organizations.create_organization(FeatureSet="ALL")
    management = organizations.describe_organization()["Organization"]["MasterAccountId"]
    created = organizations.create_account(Email="kept@example.com", AccountName="kept")
    kept = created["CreateAccountStatus"]["AccountId"]
    account(aws, kept)
    first = request(aws, kept, "eu-west-1")
    args = {"organization": {"exclude_account_ids": [management]}, "role_name": ROLE, "regions": "all"}
    source = Source({**args, "interval": 0.1, "organization_refresh": 0.3})
    try:
        source.wait_for(lambda: first in [event["connection_id"] for event in requests_of(source)])
        # From now on the enabled regions cannot be listed: the regions read last are still watched.
        control(aws, "faults", {"operation": "DescribeRegions", "code": "AccessDeniedException", "count": 1000})
        source.wait_for(lambda: len([c for c in calls(aws, "DescribeRegions") if c.get("error")]) >= 3)
        later = request(aws, kept, "eu-west-1")
        source.wait_for(lambda: later in [event["connection_id"] for event in requests_of(source)])
    finally:
        source.stop()
    # Several readings of the organization, and the first request was still reported once (repeat_after: 300 s).
    assert len(calls(aws, "DescribeRegions")) >= 4
    assert [event["connection_id"] for event in requests_of(source)].count(first) == 1, requests_of(source)
    assert watch_events(source) == [], watch_events(source)
