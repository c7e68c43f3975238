# -*- coding: utf-8 -*-

# Copyright: Contributors to the aws_search.cross_cluster project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Inbound connection requests as events, for the inbound_connection_requests event source of ansible-rulebook."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import threading
import time
from dataclasses import dataclass
from dataclasses import field
from typing import Any
from typing import Awaitable
from typing import Callable
from typing import Dict
from typing import List
from typing import Optional
from typing import Sequence
from typing import Tuple
from typing import TypeVar

try:
    import boto3
    import botocore.config
    import botocore.exceptions
except ImportError:
    pass  # the event source's documentation names boto3

from ansible_collections.aws_search.cross_cluster.plugins.module_utils.api_calls import Connections
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.api_calls import client_config
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.api_calls import fail_fast_on_limits
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.api_differences import APIS
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.api_differences import PENDING
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.api_differences import connection_status
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.aws_failures import ACCESS_DENIED_CODES
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.aws_failures import CREDENTIAL_CODES
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.aws_failures import ConnectionApiError
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.aws_failures import error_code
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.domain_discovery import account_of_role
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.input_checks import filters_problem
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.input_checks import region_problem
from ansible_collections.aws_search.cross_cluster.plugins.plugin_utils.account_sources import accounts_problem
from ansible_collections.aws_search.cross_cluster.plugins.plugin_utils.account_sources import regions_problem

LOGGER = logging.getLogger("aws_search.cross_cluster.inbound_connection_requests")
# Failures that polling again cannot cure: the credentials or their permissions are wrong.
FATAL_CODES = CREDENTIAL_CODES + ACCESS_DENIED_CODES
# An account or region that is not watched is said again every repeat_after seconds, and at least this often.
MAX_REMINDER = 3600.0
# A failed poll waits interval doubled after each failure in a row, at most MAX_BACKOFF, and never less than interval.
MAX_BACKOFF = 300.0
# 2**16 intervals exceed MAX_BACKOFF for any interval above 5 ms; a larger exponent only risks an OverflowError.
MAX_BACKOFF_EXPONENT = 16
SESSION_ARGS = {
    "access_key": "aws_access_key_id",
    "secret_key": "aws_secret_access_key",
    "session_token": "aws_session_token",
    "profile": "profile_name",
    "region": "region_name",
}
SECRET_ARGS = ("secret_key", "session_token")
FILTER_ARGS = ("destination_domain_names", "statuses")
NUMBER_ARGS = {"interval": (30, False), "repeat_after": (300, True), "organization_refresh": (3600, False)}
ACCOUNT_ARGS = ("role_arn", "iam_role_arns", "organization", "role_name", "regions", "max_concurrency", "batch")
SOURCE_ARGS = sorted(
    set(SESSION_ARGS) | {"api", "endpoint_url"} | set(FILTER_ARGS) | set(NUMBER_ARGS) | set(ACCOUNT_ARGS)
)
USER_AGENT = "aws_search.cross_cluster.inbound_connection_requests"
# The status of a cross_cluster_watch event.
UNWATCHED = "unwatched"
WATCHED = "watched"
Result = TypeVar("Result")


class SourceError(Exception):
    """The event source cannot go on; the message says what to fix."""


@dataclass
class RequestWatcher:
    """Lists inbound connections and reports each one that newly has one of statuses, and again every repeat_after
    seconds while it keeps it (0: never again), so that a rule run that failed is tried again."""

    connections: Connections
    statuses: Tuple[str, ...] = (PENDING,)
    destination_domain_names: Tuple[str, ...] = ()
    repeat_after: float = 300.0
    clock: Callable[[], float] = time.monotonic
    # The role the connections are read with, for the rules to decide them with (None: the source's credentials).
    role_arn: Optional[str] = None
    # One event per poll that found any, holding them all (cross_cluster_requests), instead of one per request.
    batch: bool = False
    # What was reported of each connection still listed in one of statuses: the status, and when.
    reported: Dict[str, Tuple[str, float]] = field(default_factory=dict)
    # Since the last poll failed: why, and when an event last said so (None while polls succeed).
    unwatched: Optional[Tuple[str, float]] = None

    def watch_event(self, reason: Optional[str]) -> Optional[dict]:
        """After a poll: the event that says this account and region is not watched (reason: why the poll failed) or
        is watched again (None); once per change, and again every reminder_after(repeat_after) seconds while it is
        not watched."""
        now = self.clock()
        if reason is None:
            was, self.unwatched = self.unwatched, None
            return self._watch_event(WATCHED, None) if was else None
        if self.unwatched and now - self.unwatched[1] < reminder_after(self.repeat_after):
            return None
        self.unwatched = (reason, now)
        return self._watch_event(UNWATCHED, reason)

    def _watch_event(self, status: str, reason: Optional[str]) -> dict:
        return watch_event(status, self.role_arn, self.connections.region, self.connections.api.name, reason)

    def poll(self) -> List[dict]:
        """One listing (pages of 100); the events for what is new, or due again, since the last one."""
        scope = {"destination_domain_names": list(self.destination_domain_names)}
        found = self.connections.list(scope if self.destination_domain_names else None)
        now = self.clock()
        waiting = [c for c in found if connection_status(c) in self.statuses]
        due = [c for c in waiting if self._is_due(c, now)]
        kept = {c[self.connections.api.id_key]: self.reported.get(c[self.connections.api.id_key]) for c in waiting}
        self.reported = {key: seen for key, seen in kept.items() if seen}
        for connection in due:
            self.reported[connection[self.connections.api.id_key]] = (connection_status(connection), now)
        requests = [self.describe(c, connection_status(c)) for c in due]
        if self.batch:
            return [{"cross_cluster_requests": self.batch_of(requests)}] if requests else []
        return [{"cross_cluster_request": request} for request in requests]

    def batch_of(self, requests: List[dict]) -> dict:
        batch = {key: requests[0][key] for key in ("account_id", "region", "api")}
        batch["destination_domain_names"] = sorted({request["destination_domain_name"] for request in requests})
        batch["requests"] = requests
        if self.role_arn:
            batch["role_arn"] = self.role_arn
        return batch

    def _is_due(self, connection: dict, now: float) -> bool:
        seen = self.reported.get(connection[self.connections.api.id_key])
        if seen is None or seen[0] != connection_status(connection):
            return True
        return self.repeat_after > 0 and now - seen[1] >= self.repeat_after

    def describe(self, connection: dict, status: Optional[str]) -> dict:
        api = self.connections.api
        destination = api.domain_of(connection, "destination")
        described = {
            "connection_id": connection[api.id_key],
            "source": api.domain_of(connection, "source"),
            "destination_domain_name": destination["domain_name"],
            "status": status,
            "api": api.name,
            "region": self.connections.region,
            "account_id": destination["owner_id"],
        }
        if self.role_arn:
            described["role_arn"] = self.role_arn
        return described


def reminder_after(repeat_after: float) -> float:
    """Seconds between two events that say the same account and region is still not watched."""
    return min(repeat_after, MAX_REMINDER) if repeat_after > 0 else MAX_REMINDER


def watch_event(status: str, role_arn: Optional[str], region: str, api: str, reason: Optional[str]) -> dict:
    """The event that says an account (by its role; the source's own without one) and region (all: its enabled
    regions could not be listed) stopped being watched, with the reason, or is watched again."""
    event = {"status": status, "account_id": account_of_role(role_arn) if role_arn else None, "region": region}
    event.update(api=api, reason=reason)
    if role_arn:
        event["role_arn"] = role_arn
    return {"cross_cluster_watch": event}


def is_fatal(error: ConnectionApiError) -> bool:
    """True when the credentials are missing, unknown or not allowed: polling again would fail the same way."""
    if isinstance(error.exception, botocore.exceptions.NoCredentialsError):
        return True
    return error_code(error.exception) in FATAL_CODES


def given(args: Dict[str, Any]) -> Dict[str, Any]:
    """The arguments given: a rulebook's default(none) leaves an argument out."""
    return {name: value for name, value in args.items() if value is not None}


def source_args_problem(args: Dict[str, Any]) -> Optional[str]:
    """The first rule the event source's arguments (given()) break, or None."""
    unknown = sorted(set(args) - set(SOURCE_ARGS))
    if unknown:
        return f"unknown argument '{unknown[0]}'; the source takes {', '.join(SOURCE_ARGS)}"
    undefined = sorted(name for name, value in args.items() if is_undefined(value))
    if undefined:
        return (
            f"{undefined[0]} is a variable the rulebook does not define (in the shipped rulebooks, region comes from"
            " aws_region): name it in the --vars file, and check its spelling"
        )
    if not isinstance(args.get("api", "es"), str) or args.get("api", "es") not in APIS:
        return f"api must be es or opensearch, got '{args['api']}'"
    if bool(args.get("access_key")) != bool(args.get("secret_key")):
        return "access_key and secret_key go together: give both, or neither (and take them from the environment)"
    if not isinstance(args.get("batch", False), bool):
        return f"batch must be true or false, got '{args['batch']}'"
    problems = [number_problem(args, name) for name in NUMBER_ARGS]
    problems.append(accounts_problem(args, "role_arn"))
    problems.append("regions" in args and regions_problem(list_of(args["regions"])))
    problems.append("region" in args and region_problem(args["region"], "region"))
    problems.append(filters_problem(args, FILTER_ARGS, APIS[args.get("api", "es")], "inbound"))
    return next((problem for problem in problems if problem), None)


def is_undefined(value: Any) -> bool:
    """ansible-rulebook hands a variable its --vars file does not define as Jinja's StrictUndefined, not as an error."""
    return type(value).__name__.endswith("Undefined")


def list_of(value: Any) -> Any:
    """regions: all reads as [all], as Ansible reads a string given for a list."""
    return [value] if isinstance(value, str) else value


def number_problem(args: Dict[str, Any], name: str) -> Optional[str]:
    default, zero_allowed = NUMBER_ARGS[name]
    value = args.get(name, default)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0 or (value == 0 and not zero_allowed):
        bound = "0 or more" if zero_allowed else "above 0"
        return f"{name} must be a number of seconds {bound}, got '{value}'"
    return None


def session_for(args: Dict[str, Any], default_region: Optional[str] = None) -> Any:
    """A boto3 session from the arguments, the environment or a profile; SourceError when none can be made. The region
    is the region argument's, else AWS_REGION's (as for amazon.aws modules), AWS_DEFAULT_REGION's, the profile's, or
    default_region."""
    settings = {SESSION_ARGS[key]: args[key] for key in SESSION_ARGS if args.get(key)}
    if "region_name" not in settings and os.environ.get("AWS_REGION"):
        settings["region_name"] = os.environ["AWS_REGION"]
    try:
        session = boto3.Session(**settings)
    except botocore.exceptions.ProfileNotFound:
        raise SourceError(
            f"profile '{args.get('profile')}' is not in the AWS configuration files; check the profile argument,"
            " AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE"
        ) from None
    if not session.region_name and default_region:
        session = boto3.Session(**settings, region_name=default_region)
    if not session.region_name:
        raise SourceError("no region: set the source's region argument, AWS_REGION, or a profile with a region")
    return session


def watcher_for(args: Dict[str, Any]) -> RequestWatcher:
    """A RequestWatcher over a client made from the arguments, with the modules' retries and timeouts; when those
    run out, watch() polls again after a backoff, and logs why."""
    api = APIS[args.get("api", "es")]
    session = session_for(args)
    config = client_config().merge(botocore.config.Config(user_agent_extra=USER_AGENT))
    client = fail_fast_on_limits(session.client(api.client_name, endpoint_url=args.get("endpoint_url"), config=config))
    connections = Connections(client, api, session.region_name, "inbound")
    return RequestWatcher(connections, **watcher_settings(args))


def watcher_settings(args: Dict[str, Any]) -> Dict[str, Any]:
    """What each RequestWatcher of the source reports, from the arguments."""
    return {
        "statuses": tuple(args.get("statuses") or (PENDING,)),
        "destination_domain_names": tuple(args.get("destination_domain_names") or ()),
        "repeat_after": float(args.get("repeat_after", 300)),
        "batch": bool(args.get("batch", False)),
    }


def backoff(interval: float, failures: int) -> float:
    """Seconds to wait after failures failed polls in a row: interval doubled each time, at most MAX_BACKOFF or
    interval, whichever is longer (a failed poll never polls sooner than a successful one)."""
    return min(interval * 2 ** min(failures, MAX_BACKOFF_EXPONENT), max(MAX_BACKOFF, interval))


async def in_daemon_thread(function: Callable[[], Result]) -> Result:
    """function's result, computed in a daemon thread.

    asyncio.to_thread's executor threads are joined when the process exits, so a cancelled source would keep
    ansible-rulebook alive until the AWS call in flight ends (up to 90 seconds with the retries). A daemon thread is
    left behind instead: cancelling the await ends the source at once.
    """
    loop = asyncio.get_running_loop()
    future: asyncio.Future = loop.create_future()

    def run() -> None:
        try:
            outcome: Tuple[Any, Optional[BaseException]] = (function(), None)
        except Exception as error:  # pylint: disable=broad-exception-caught
            outcome = (None, error)
        try:
            loop.call_soon_threadsafe(_settle, future, *outcome)
        except RuntimeError:
            pass  # the event loop is closed: nobody waits for this result any more

    threading.Thread(target=run, name=USER_AGENT, daemon=True).start()
    return await future


def _settle(future: asyncio.Future, result: Any, error: Optional[BaseException]) -> None:
    if future.cancelled():
        return
    if error is not None:
        future.set_exception(error)
    else:
        future.set_result(result)


async def watch(
    queue: asyncio.Queue,
    watcher: RequestWatcher,
    interval: float,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    bounds: Sequence[asyncio.Semaphore] = (),
    label: Optional[str] = None,
) -> None:
    """Poll forever, off the event loop, each poll holding every one of bounds: put each new event on the queue;
    back off after failures; stop on a fatal one with SourceError. With label (one account and region of many), every
    failure is logged, as an error when fatal, and backed off: one account must never end the watch of the others."""
    failures = 0
    while True:
        try:
            events = await polled(watcher, bounds)
        except Exception as error:  # pylint: disable=broad-exception-caught
            failures += 1
            delay = backoff(interval, failures)
            log_failure(error, label, delay)
            await put_event(queue, watcher.watch_event(reason_of(error)))
            await sleep(delay)
            continue
        failures = 0
        await put_event(queue, watcher.watch_event(None))
        for event in events:
            await queue.put(event)
        await sleep(interval)


async def put_event(queue: asyncio.Queue, event: Optional[dict]) -> None:
    if event is not None:
        await queue.put(event)


def reason_of(error: Exception) -> str:
    """Why a poll failed, in words: the call refused and what to do."""
    if isinstance(error, ConnectionApiError):
        return f"{error.message} ({error.exception})"
    return f"the poll failed: {error!r}"


def log_failure(error: Exception, label: Optional[str], delay: float) -> None:
    """Log a failed poll; for a single account, end the source when it is fatal (SourceError) or unexpected."""
    api_error = isinstance(error, ConnectionApiError)
    fatal = not api_error or is_fatal(error)
    if label is None and not api_error:
        raise error
    if label is None and fatal:
        raise SourceError(f"{error.message}: {error.exception}") from error
    where = f"{label}: " if label else ""
    (LOGGER.error if fatal else LOGGER.warning)("%s%s; polling again in %.0f seconds", where, reason_of(error), delay)


async def polled(watcher: RequestWatcher, bounds: Sequence[asyncio.Semaphore]) -> List[dict]:
    async with contextlib.AsyncExitStack() as held:
        for bound in bounds:
            await held.enter_async_context(bound)
        return await in_daemon_thread(watcher.poll)


def quiet_sdk_loggers() -> None:
    """At -vv ansible-rulebook logs at DEBUG, where botocore writes each request's headers (a session token) and
    each answer's body (AssumeRole's secret key): botocore logs warnings and errors only. Its warning with a
    traceback at each refused AssumeRole is left out too: the source logs an error naming the account instead."""
    logging.getLogger("botocore").setLevel(logging.WARNING)
    logging.getLogger("botocore.credentials").setLevel(logging.ERROR)


def warn_about_secret_args(args: Dict[str, Any]) -> None:
    """ansible-rulebook prints every source's arguments at -vv: a secret given as one ends up in its output."""
    for name in SECRET_ARGS:
        if args.get(name):
            LOGGER.warning(
                "%s is given as a source argument, and ansible-rulebook prints source arguments in clear at -vv;"
                " take credentials from the environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,"
                " AWS_SESSION_TOKEN), a profile or the host's role instead",
                name,
            )
