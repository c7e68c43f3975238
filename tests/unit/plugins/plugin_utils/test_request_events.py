from __future__ import annotations

import asyncio
import threading

import jinja2
import pytest
from botocore.exceptions import ClientError
from botocore.exceptions import NoCredentialsError

from ansible_collections.aws_search.cross_cluster.plugins.module_utils.api_calls import Connections
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.aws_failures import ConnectionApiError
from ansible_collections.aws_search.cross_cluster.plugins.plugin_utils.request_events import USER_AGENT
from ansible_collections.aws_search.cross_cluster.plugins.plugin_utils.request_events import RequestWatcher
from ansible_collections.aws_search.cross_cluster.plugins.plugin_utils.request_events import SourceError
from ansible_collections.aws_search.cross_cluster.plugins.plugin_utils.request_events import given
from ansible_collections.aws_search.cross_cluster.plugins.plugin_utils.request_events import is_fatal
from ansible_collections.aws_search.cross_cluster.plugins.plugin_utils.request_events import source_args_problem
from ansible_collections.aws_search.cross_cluster.plugins.plugin_utils.request_events import warn_about_secret_args
from ansible_collections.aws_search.cross_cluster.plugins.plugin_utils.request_events import watch
from ansible_collections.aws_search.cross_cluster.plugins.plugin_utils.request_events import watcher_for
from ansible_collections.aws_search.cross_cluster.tests.unit.stubbed_api import wire_connection

EVERYTHING = {"Filters": [], "MaxResults": 100}


ROLE = "arn:aws:iam::111111111111:role/search-guard"


def watcher(stubbed, **options) -> RequestWatcher:
    return RequestWatcher(Connections(stubbed.client, stubbed.api, "eu-west-1", "inbound"), **options)


def ids(events):
    return [event["cross_cluster_request"]["connection_id"] for event in events]


def test_the_first_poll_reports_everything_that_already_waits(stubbed):
    listing = [
        wire_connection(stubbed.api.name, "PENDING_ACCEPTANCE", "cc-waiting-01"),
        wire_connection(stubbed.api.name, "REJECTED", "cc-decided-01"),
        wire_connection(stubbed.api.name, "PENDING_ACCEPTANCE", "cc-waiting-02"),
    ]
    stubbed.expect_page("inbound", listing, EVERYTHING)
    events = watcher(stubbed).poll()
    assert ids(events) == ["cc-waiting-01", "cc-waiting-02"]
    assert events[0]["cross_cluster_request"] == {
        "connection_id": "cc-waiting-01",
        "source": {"owner_id": "222222222222", "domain_name": "partner-logs", "region": "us-east-1"},
        "destination_domain_name": "my-logs",
        "status": "PENDING_ACCEPTANCE",
        "api": stubbed.api.name,
        "region": "eu-west-1",
        "account_id": "111111111111",
    }


def test_a_batch_is_one_event_per_poll_holding_every_request_and_the_role_to_decide_them_with(stubbed):
    listing = [
        wire_connection(stubbed.api.name, "PENDING_ACCEPTANCE", "cc-waiting-01"),
        wire_connection(stubbed.api.name, "PENDING_ACCEPTANCE", "cc-waiting-02"),
    ]
    stubbed.expect_page("inbound", listing, EVERYTHING)
    stubbed.expect_page("inbound", listing, EVERYTHING)
    role = "arn:aws:iam::111111111111:role/guard"
    source = watcher(stubbed, batch=True, role_arn=role)
    [event] = source.poll()
    batch = event["cross_cluster_requests"]
    assert [request["connection_id"] for request in batch["requests"]] == ["cc-waiting-01", "cc-waiting-02"]
    assert batch["destination_domain_names"] == ["my-logs"] and batch["role_arn"] == role
    assert (batch["account_id"], batch["region"], batch["api"]) == ("111111111111", "eu-west-1", stubbed.api.name)
    assert all(request["role_arn"] == role for request in batch["requests"])
    assert source.poll() == []


def test_each_request_is_reported_once_and_new_arrivals_are_reported(stubbed):
    first = [wire_connection(stubbed.api.name, "PENDING_ACCEPTANCE", "cc-waiting-01")]
    second = first + [wire_connection(stubbed.api.name, "PENDING_ACCEPTANCE", "cc-arrived-01")]
    for listing in (first, first, second):
        stubbed.expect_page("inbound", listing, EVERYTHING)
    source = watcher(stubbed)
    assert [ids(source.poll()) for _poll in range(3)] == [["cc-waiting-01"], [], ["cc-arrived-01"]]


def test_a_connection_that_newly_has_another_status_asked_for_is_reported_again(stubbed):
    for status in ("PENDING_ACCEPTANCE", "APPROVED", "REJECTED"):
        stubbed.expect_page("inbound", [wire_connection(stubbed.api.name, status, "cc-moving-01")], EVERYTHING)
    source = watcher(stubbed, statuses=("PENDING_ACCEPTANCE", "APPROVED"))
    statuses = [[e["cross_cluster_request"]["status"] for e in source.poll()] for _poll in range(3)]
    assert statuses == [["PENDING_ACCEPTANCE"], ["APPROVED"], []]


def test_the_scope_is_a_filter_on_the_wire(stubbed):
    wanted = {"Filters": [{"Name": stubbed.api.filter_name("destination_domain_names"), "Values": ["my-logs"]}]}
    stubbed.expect_page("inbound", [], dict(wanted, MaxResults=100))
    assert watcher(stubbed, destination_domain_names=("my-logs",)).poll() == []


def api_error(code: str) -> ConnectionApiError:
    error = ClientError({"Error": {"Code": code, "Message": "no"}}, "DescribeInboundConnections")
    return ConnectionApiError(message=f"Could not describe inbound connections: {code}", exception=error)


class ScriptedWatcher:
    """Answers each poll with the next of answers: a list of events, or an error to raise."""

    def __init__(self, *answers, watch_events: bool = False) -> None:
        self.answers = list(answers)
        self.watch_events = watch_events

    def poll(self):
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

    def watch_event(self, reason):
        """What RequestWatcher.watch_event returns, for the tests that read it; None (no event) otherwise."""
        return {"cross_cluster_watch": {"reason": reason}} if reason and self.watch_events else None


def run_watch(source, polls: int, interval: float = 2.0):
    """Run watch() until it has slept polls times; the events queued and the delays slept."""
    queue: asyncio.Queue = asyncio.Queue()
    slept = []

    async def sleep(seconds: float) -> None:
        slept.append(seconds)
        if len(slept) == polls:
            raise asyncio.CancelledError

    with pytest.raises(asyncio.CancelledError):
        asyncio.run(watch(queue, source, interval, sleep))
    return [queue.get_nowait() for _event in range(queue.qsize())], slept


def test_transient_failures_back_off_and_polling_goes_on():
    event = {"cross_cluster_request": {"connection_id": "cc-late-0001"}}
    source = ScriptedWatcher(
        api_error("ThrottlingException"), api_error("InternalException"), [event], api_error("ThrottlingException"), []
    )
    events, slept = run_watch(source, polls=5)
    assert events == [event]
    assert slept == [4.0, 8.0, 2.0, 4.0, 2.0]


def test_the_backoff_is_capped_at_five_minutes():
    source = ScriptedWatcher(*[api_error("InternalException")] * 10)
    events, slept = run_watch(source, polls=10, interval=30.0)
    assert events == [] and slept[-1] == 300.0 and max(slept) == 300.0


def test_a_failed_poll_never_polls_sooner_than_a_successful_one():
    source = ScriptedWatcher(*[api_error("InternalException")] * 3)
    events, slept = run_watch(source, polls=3, interval=600.0)
    assert events == [] and slept == [600.0, 600.0, 600.0]


def test_one_account_of_many_denied_backs_off_and_is_logged_as_an_error_instead_of_ending_the_source(caplog):
    source = ScriptedWatcher(api_error("AccessDeniedException"), api_error("AccessDeniedException"), [])
    queue: asyncio.Queue = asyncio.Queue()
    slept = []

    async def sleep(seconds: float) -> None:
        slept.append(seconds)
        if len(slept) == 3:
            raise asyncio.CancelledError

    with pytest.raises(asyncio.CancelledError):
        asyncio.run(watch(queue, source, 2.0, sleep, label="arn:aws:iam::444444444444:role/g in eu-west-1"))
    assert slept == [4.0, 8.0, 2.0]
    denied = [record for record in caplog.records if "444444444444" in record.getMessage()]
    assert len(denied) == 2 and all(record.levelname == "ERROR" for record in denied), caplog.records


@pytest.mark.parametrize("code", ["AccessDeniedException", "UnrecognizedClientException", "InvalidSignatureException"])
def test_bad_credentials_or_access_denied_end_the_source_with_the_reason(code):
    with pytest.raises(SourceError, match=code):
        run_watch(ScriptedWatcher(api_error(code)), polls=3)


def test_missing_credentials_are_fatal_and_throttling_is_not():
    missing = ConnectionApiError(message="Could not describe", exception=NoCredentialsError())
    assert is_fatal(missing) and not is_fatal(api_error("ThrottlingException"))


@pytest.mark.parametrize(
    "args,rule",
    [
        ({"regoin": "us-east-1"}, "unknown argument 'regoin'"),
        ({"api": "elastic"}, "api must be es or opensearch"),
        ({"interval": 0}, "interval must be a number of seconds above 0"),
        ({"interval": "soon"}, "interval must be a number of seconds above 0"),
        ({"statuses": ["PENDING"]}, "statuses[0] must be a inbound status of the es API"),
        ({"role_arn": "guard"}, "role_arn must be a role ARN"),
        ({"role_arn": ROLE, "iam_role_arns": [ROLE]}, "role_arn and iam_role_arns are different ways"),
        ({"organization": {}}, "organization needs role_name"),
        ({"regions": ["all", "eu-west-1"]}, "regions: all stands alone"),
        ({"regions": "eu-wset"}, "regions[0]"),
        ({"batch": "yes"}, "batch must be true or false"),
        ({"organization_refresh": 0}, "organization_refresh must be a number of seconds above 0"),
        ({"max_concurrency": 100}, "max_concurrency must be a whole number from 1 to 64"),
    ],
)
def test_bad_arguments_are_named(args, rule):
    assert rule in source_args_problem(args)


def test_good_arguments():
    args = {"region": "eu-west-1", "api": "opensearch", "interval": 0.5, "statuses": ["PENDING_ACCEPTANCE"]}
    assert source_args_problem(args) is None
    organization = {"organization": {"exclude_account_ids": ["111111111111"]}, "role_name": "g", "regions": "all"}
    assert source_args_problem(organization) is None
    assert source_args_problem({"iam_role_arns": [ROLE], "regions": ["eu-west-1"], "max_concurrency": 16}) is None


def test_an_argument_a_rulebook_left_out_with_default_none_is_not_given():
    assert given({"role_arn": None, "region": "eu-west-1"}) == {"region": "eu-west-1"}


def test_no_region_anywhere_ends_the_source(monkeypatch, tmp_path):
    for name in ("AWS_REGION", "AWS_DEFAULT_REGION", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    with pytest.raises(SourceError, match="no region"):
        watcher_for({"access_key": "AKIDTEST", "secret_key": "x"})


def test_aws_region_names_the_region_as_for_amazon_aws_modules(monkeypatch):
    monkeypatch.setenv("AWS_REGION", "eu-west-3")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-west-2")
    assert watcher_for({"access_key": "AKIDTEST", "secret_key": "x"}).connections.region == "eu-west-3"
    assert watcher_for({"access_key": "AKIDTEST", "secret_key": "x", "region": "ap-south-1"}).connections.region == (
        "ap-south-1"
    )


def test_two_thousand_failed_polls_in_a_row_keep_the_backoff_at_its_cap():
    source = ScriptedWatcher(*[api_error("InternalException")] * 2000)
    events, slept = run_watch(source, polls=2000, interval=30.0)
    assert events == [] and len(slept) == 2000 and slept[-1] == 300.0


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_request_still_waiting_is_reported_again_after_repeat_after(stubbed):
    waiting = [wire_connection(stubbed.api.name, "PENDING_ACCEPTANCE", "cc-waiting-01")]
    for _poll in range(4):
        stubbed.expect_page("inbound", waiting, EVERYTHING)
    clock = Clock()
    source = watcher(stubbed, repeat_after=300.0, clock=clock)
    reported = []
    for advance in (0, 299, 1, 10):
        clock.now += advance
        reported.append(ids(source.poll()))
    assert reported == [["cc-waiting-01"], [], ["cc-waiting-01"], []]


def test_repeat_after_zero_reports_once(stubbed):
    waiting = [wire_connection(stubbed.api.name, "PENDING_ACCEPTANCE", "cc-waiting-01")]
    for _poll in range(2):
        stubbed.expect_page("inbound", waiting, EVERYTHING)
    clock = Clock()
    source = watcher(stubbed, repeat_after=0, clock=clock)
    first = ids(source.poll())
    clock.now += 10**6
    assert (first, ids(source.poll())) == (["cc-waiting-01"], [])


def test_only_connections_still_listed_and_waiting_are_remembered(stubbed):
    api = stubbed.api.name
    listings = [
        [
            wire_connection(api, "PENDING_ACCEPTANCE", "cc-waiting-01"),
            wire_connection(api, "PENDING_ACCEPTANCE", "cc-gone-0001"),
        ],
        [wire_connection(api, "REJECTED", "cc-waiting-01")],
    ]
    for listing in listings:
        stubbed.expect_page("inbound", listing, EVERYTHING)
    source = watcher(stubbed)
    source.poll()
    assert sorted(source.reported) == ["cc-gone-0001", "cc-waiting-01"]
    source.poll()
    assert source.reported == {}


@pytest.mark.parametrize(
    "args,rule",
    [
        ({"destination_domain_names": "shared-logs"}, "destination_domain_names must be a list of strings"),
        ({"destination_domain_names": ["Shared"]}, "destination_domain_names[0] must be 3 to 28"),
        ({"statuses": "PENDING_ACCEPTANCE"}, "statuses must be a list of strings"),
        ({"api": "opensearch", "statuses": ["VALIDATING"]}, "statuses[0] must be a inbound status of the opensearch"),
        ({"access_key": "AKIDTEST"}, "access_key and secret_key go together"),
        ({"secret_key": "x"}, "access_key and secret_key go together"),
        ({"repeat_after": -1}, "repeat_after must be a number of seconds 0 or more"),
    ],
)
def test_more_bad_arguments_are_named(args, rule):
    assert rule in source_args_problem(args)


def test_an_unknown_profile_ends_the_source_naming_it(monkeypatch, tmp_path):
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    with pytest.raises(SourceError, match="profile 'nobody' is not in the AWS configuration files"):
        watcher_for({"profile": "nobody", "region": "eu-west-1"})


def test_secrets_given_as_arguments_are_warned_about_by_name_never_by_value(caplog):
    warn_about_secret_args({"access_key": "AKIDTEST", "secret_key": "s3cr3t-value", "session_token": "t0ken-value"})
    text = caplog.text
    assert "secret_key is given as a source argument" in text and "session_token is given" in text
    assert "s3cr3t-value" not in text and "t0ken-value" not in text and "AKIDTEST" not in text
    caplog.clear()
    warn_about_secret_args({"access_key": "AKIDTEST", "profile": "x"})
    assert caplog.text == ""


def test_cancelling_the_source_abandons_a_call_in_flight_without_waiting_for_it():
    release = threading.Event()
    started = threading.Event()

    class Blocked:
        def poll(self):
            started.set()
            release.wait(30)
            return []

    async def cancel_mid_call():
        task = asyncio.ensure_future(watch(asyncio.Queue(), Blocked(), 1.0))
        await asyncio.to_thread(started.wait, 600)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    asyncio.run(cancel_mid_call())
    workers = [thread for thread in threading.enumerate() if thread.name == USER_AGENT]
    assert not release.is_set() and workers and all(thread.daemon for thread in workers)
    release.set()


def test_an_api_that_is_not_a_string_is_named():
    assert "api must be es or opensearch" in source_args_problem({"api": ["es"]})


def test_a_failed_poll_is_an_unwatched_event_once_again_after_repeat_after_and_watched_when_a_poll_succeeds(stubbed):
    clock = Clock()
    source = watcher(stubbed, repeat_after=300.0, clock=clock, role_arn=ROLE)
    said = []
    for advance, reason in ((0, "denied"), (10, "denied"), (289, "throttled"), (1, "denied"), (5, None), (5, None)):
        clock.now += advance
        event = source.watch_event(reason)
        said.append(event and (event["cross_cluster_watch"]["status"], event["cross_cluster_watch"]["reason"]))
    assert said == [("unwatched", "denied"), None, None, ("unwatched", "denied"), ("watched", None), None]
    assert source.watch_event("gone")["cross_cluster_watch"] == {
        "status": "unwatched",
        "account_id": "111111111111",
        "region": "eu-west-1",
        "api": stubbed.api.name,
        "reason": "gone",
        "role_arn": ROLE,
    }


def test_each_failed_poll_is_handed_to_the_watcher_for_its_event_and_the_reason_names_the_failure():
    source = ScriptedWatcher(api_error("ThrottlingException"), [], watch_events=True)
    events, _slept = run_watch(source, polls=2)
    [event] = events
    assert event["cross_cluster_watch"]["reason"].startswith("Could not describe inbound connections: Throttling")


def test_an_argument_from_a_variable_the_rulebook_does_not_define_is_named_not_a_type_error():
    undefined = jinja2.StrictUndefined(name="aws_region")
    problem = source_args_problem({"region": undefined, "interval": 30})
    assert problem.startswith("region is a variable the rulebook does not define"), problem
    assert "aws_region" in problem
