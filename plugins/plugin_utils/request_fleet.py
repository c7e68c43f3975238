# -*- coding: utf-8 -*-

# Copyright: Contributors to the aws_search.cross_cluster project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Inbound connection requests of many accounts and regions for one event source: a role per account (role_arn,
iam_role_arns, or organization and role_name, the organization read again every organization_refresh seconds), the
regions given or each account's enabled ones, every account and region polled each interval with a bound on the
polls at once, and each with its own backoff, so that one account denied or throttled never delays another."""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from dataclasses import dataclass
from typing import Any
from typing import Awaitable
from typing import Callable
from typing import Dict
from typing import List
from typing import Optional
from typing import Tuple

try:
    import botocore.config
    import botocore.credentials
    import botocore.exceptions
    import botocore.session
except ImportError:
    pass  # the event source's documentation names boto3

from ansible_collections.aws_search.cross_cluster.plugins.module_utils.api_calls import Connections
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.api_calls import client_config
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.api_calls import fail_fast_on_limits
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.api_differences import APIS
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.aws_failures import hint_for_read
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.organization import OrganizationError
from ansible_collections.aws_search.cross_cluster.plugins.plugin_utils.account_sources import ALL_REGIONS
from ansible_collections.aws_search.cross_cluster.plugins.plugin_utils.account_sources import DEFAULT_MAX_CONCURRENCY
from ansible_collections.aws_search.cross_cluster.plugins.plugin_utils.account_sources import enabled_regions
from ansible_collections.aws_search.cross_cluster.plugins.plugin_utils.account_sources import organization_role_arns
from ansible_collections.aws_search.cross_cluster.plugins.plugin_utils.account_sources import partition_for
from ansible_collections.aws_search.cross_cluster.plugins.plugin_utils.account_sources import wants_all_regions
from ansible_collections.aws_search.cross_cluster.plugins.plugin_utils.request_events import UNWATCHED
from ansible_collections.aws_search.cross_cluster.plugins.plugin_utils.request_events import USER_AGENT
from ansible_collections.aws_search.cross_cluster.plugins.plugin_utils.request_events import WATCHED
from ansible_collections.aws_search.cross_cluster.plugins.plugin_utils.request_events import RequestWatcher
from ansible_collections.aws_search.cross_cluster.plugins.plugin_utils.request_events import SourceError
from ansible_collections.aws_search.cross_cluster.plugins.plugin_utils.request_events import backoff
from ansible_collections.aws_search.cross_cluster.plugins.plugin_utils.request_events import given
from ansible_collections.aws_search.cross_cluster.plugins.plugin_utils.request_events import in_daemon_thread
from ansible_collections.aws_search.cross_cluster.plugins.plugin_utils.request_events import list_of
from ansible_collections.aws_search.cross_cluster.plugins.plugin_utils.request_events import quiet_sdk_loggers
from ansible_collections.aws_search.cross_cluster.plugins.plugin_utils.request_events import reminder_after
from ansible_collections.aws_search.cross_cluster.plugins.plugin_utils.request_events import session_for
from ansible_collections.aws_search.cross_cluster.plugins.plugin_utils.request_events import source_args_problem
from ansible_collections.aws_search.cross_cluster.plugins.plugin_utils.request_events import warn_about_secret_args
from ansible_collections.aws_search.cross_cluster.plugins.plugin_utils.request_events import watch
from ansible_collections.aws_search.cross_cluster.plugins.plugin_utils.request_events import watch_event
from ansible_collections.aws_search.cross_cluster.plugins.plugin_utils.request_events import watcher_for
from ansible_collections.aws_search.cross_cluster.plugins.plugin_utils.request_events import watcher_settings

LOGGER = logging.getLogger("aws_search.cross_cluster.inbound_connection_requests")
FLEET_ARGS = ("role_arn", "iam_role_arns", "organization", "regions")
# What CloudTrail shows of the source's AssumeRole in each account.
SESSION_NAME = "aws-search-inbound-requests"
# boto3 sessions are not thread-safe: clients are made one at a time.
CLIENTS_LOCK = threading.Lock()
# Seconds between two readings of the fleet (new accounts, regions read since, accounts gone), at most.
FLEET_TICK = 1.0


@dataclass(frozen=True)
class Target:
    """One account (by the role assumed in it; None: the source's own credentials) and one region to poll."""

    role_arn: Optional[str]
    region: str


def is_fleet(args: Dict[str, Any]) -> bool:
    """True when the arguments name roles or regions: else the single-account form, as before 0.4.0."""
    return any(args.get(name) is not None for name in FLEET_ARGS)


class _AssumedRole:
    """A botocore credential provider (its METHOD and load()) that always gives the same refreshable credentials."""

    METHOD = "assume-role"

    def __init__(self, credentials: Any) -> None:
        self.credentials = credentials

    def load(self) -> Any:
        return self.credentials


def assumed_session(base: Any, role_arn: str, region: str, loader: Any) -> Any:
    """A botocore session with role_arn's credentials, assumed with base's through STS in region when first used, and
    assumed again before they expire (botocore's refreshable credentials). loader, shared by the sessions, reads the
    service models once, not once per account (about 100 ms each)."""

    def sts_client(service: str, **credentials: Any) -> Any:
        with CLIENTS_LOCK:
            return base.client(service, region_name=region, config=source_config(), **credentials)

    fetcher = botocore.credentials.AssumeRoleCredentialFetcher(
        client_creator=sts_client,
        source_credentials=base.get_credentials(),
        role_arn=role_arn,
        extra_args={"RoleSessionName": SESSION_NAME},
    )
    credentials = botocore.credentials.DeferredRefreshableCredentials(
        refresh_using=fetcher.fetch_credentials, method=_AssumedRole.METHOD
    )
    session = botocore.session.Session()
    session.register_component("data_loader", loader)
    session.register_component(
        "credential_provider", botocore.credentials.CredentialResolver([_AssumedRole(credentials)])
    )
    return session


def source_config() -> Any:
    return client_config().merge(botocore.config.Config(user_agent_extra=USER_AGENT))


class Fleet:
    """The accounts and regions to poll, and a watcher for each. targets() runs in a daemon thread, never on the event
    loop; each account's enabled regions are read in a daemon thread of their own, so that an account slow to answer
    never holds back the others' watchers."""

    def __init__(self, args: Dict[str, Any], base: Any, clock: Callable[[], float] = time.monotonic) -> None:
        self.args = args
        self.base = base
        self.clock = clock
        self.api = APIS[args.get("api", "es")]
        self.home_region = base.region_name
        self.max_concurrency = int(args.get("max_concurrency", DEFAULT_MAX_CONCURRENCY))
        self.refresh = float(args.get("organization_refresh", 3600))
        self.loader = botocore.session.get_session().get_component("data_loader")
        self.sessions: Dict[Optional[str], Any] = {}
        # Each account's regions to poll; what the daemon threads found since, and the accounts they are reading.
        self.regions: Dict[Optional[str], List[str]] = {}
        self.found: Dict[Optional[str], Optional[List[str]]] = {}
        self.reading: set = set()
        self.found_lock = threading.Lock()
        self.region_reads = threading.BoundedSemaphore(self.max_concurrency)
        # The accounts whose enabled regions could not be listed: failures in a row, and when to try again.
        self.region_failures: Dict[Optional[str], Tuple[int, float]] = {}
        self.roles: Optional[List[Optional[str]]] = None
        self.roles_read_at = 0.0
        # The accounts whose enabled regions are read again (the organization was): their watchers go on meanwhile.
        self.stale: set = set()
        self.watchers: Dict[Target, RequestWatcher] = {}
        # Events about accounts whose enabled regions cannot be listed (none of their regions is watched), for the
        # queue; and when each such account was last reported.
        self.notices: List[dict] = []
        self.unwatched: Dict[Optional[str], float] = {}

    def targets(self) -> Dict[Target, RequestWatcher]:
        """A watcher for each account and region to poll now: the accounts read again (the organization, and each
        account's enabled regions) every organization_refresh seconds; the regions of new accounts read meanwhile."""
        roles = self._roles()
        self._harvest(roles)
        for role in roles:
            with self.found_lock:
                busy = role in self.reading
            if (role not in self.regions or role in self.stale) and not busy and self._regions_due(role):
                self.stale.discard(role)
                self._read_regions(role)
        wanted = [Target(role, region) for role in roles for region in self.regions.get(role, [])]
        self.watchers = {target: self.watchers.get(target) or self._watcher(target) for target in wanted}
        with CLIENTS_LOCK:
            self.sessions = {role: session for role, session in self.sessions.items() if role in roles}
        return dict(self.watchers)

    def _roles(self) -> List[Optional[str]]:
        if self.roles is not None and self.clock() - self.roles_read_at < self.refresh:
            return self.roles
        organization = self.args.get("organization")
        if organization is None:
            roles: List[Optional[str]] = list(self.args.get("iam_role_arns") or [self.args.get("role_arn")])
        else:
            roles = self._organization_roles(organization)
        if not roles:
            LOGGER.warning("the organization has no ACTIVE account to watch (after exclude_account_ids)")
        self.roles, self.roles_read_at = roles, self.clock()
        # Read again, an account may have enabled a region since; until then (or if that fails) the regions read
        # last are watched, by the same watchers, which remember what they reported.
        self.regions = {role: regions for role, regions in self.regions.items() if role in roles}
        self.stale = set(roles)
        return roles

    def _organization_roles(self, organization: Dict[str, Any]) -> List[Optional[str]]:
        with CLIENTS_LOCK:
            client = self.base.client("organizations", region_name=self.home_region, config=source_config())
        partition = partition_for(self.home_region)
        try:
            return list(organization_role_arns(client, organization, self.args["role_name"], partition).roles)
        except OrganizationError as error:
            if self.roles is None:
                raise SourceError(f"{error.message}: {error.exception}") from error
            LOGGER.error(
                "%s: %s; watching the accounts read before, reading it again in %.0f s",
                error.message,
                error.exception,
                self.refresh,
            )
            return self.roles

    def _harvest(self, roles: List[Optional[str]]) -> None:
        with self.found_lock:
            found, self.found = self.found, {}
        for role, regions in found.items():
            if regions is not None and role in roles:
                self.regions[role] = regions

    def _regions_due(self, role: Optional[str]) -> bool:
        with self.found_lock:
            return self.clock() >= self.region_failures.get(role, (0, 0.0))[1]

    def _read_regions(self, role: Optional[str]) -> None:
        """The account's regions into self.found: at once when given, else from DescribeRegions in a daemon thread."""
        regions = list_of(self.args.get("regions") or [self.home_region])
        if not wants_all_regions(regions):
            self.regions[role] = regions
            return
        known = role in self.regions
        with self.found_lock:
            self.reading.add(role)

        def read() -> None:
            with self.region_reads:
                found = self._enabled_regions(role, known)
            with self.found_lock:
                self.found[role] = found
                self.reading.discard(role)

        threading.Thread(target=read, name=USER_AGENT, daemon=True).start()

    def _enabled_regions(self, role: Optional[str], known: bool) -> Optional[List[str]]:
        """role's account's enabled regions; None, logged as an error, when they cannot be read (then the regions read
        before, when known, are still watched; without any, an event says the account is not watched). Runs in a
        daemon thread: what it shares with targets() is behind found_lock."""
        try:
            ec2 = self._client(role, "ec2", self.home_region)
            found = enabled_regions(ec2.describe_regions())
        except Exception as error:  # pylint: disable=broad-exception-caught
            with self.found_lock:
                failures = self.region_failures.get(role, (0, 0.0))[0] + 1
                delay = backoff(float(self.args.get("interval", 30)), failures)
                self.region_failures[role] = (failures, self.clock() + delay)
            reason = f"could not list its enabled regions: {hint_for_read(error, 'ec2:DescribeRegions')} ({error})"
            LOGGER.error(
                "%s: %s; %s; trying again in %.0f s",
                role or "the source's own account",
                reason,
                "watching the regions read before" if known else "none of its regions is watched",
                delay,
            )
            if not known:
                self._notice(role, reason)
            return None
        with self.found_lock:
            self.region_failures.pop(role, None)
        self._notice(role, None)
        return found

    def _notice(self, role: Optional[str], reason: Optional[str]) -> None:
        """An event that role's account is not watched (reason), once and again every repeat_after seconds, or that
        it is watched again (None) after such an event."""
        now = self.clock()
        last = self.unwatched.get(role)
        reminded = last is not None and now - last < reminder_after(float(self.args.get("repeat_after", 300)))
        if (reason is None and last is None) or (reason is not None and reminded):
            return
        status = WATCHED if reason is None else UNWATCHED
        with self.found_lock:
            self.notices.append(watch_event(status, role, ALL_REGIONS, self.api.name, reason))
        if reason is None:
            self.unwatched.pop(role, None)
        else:
            self.unwatched[role] = now

    def take_notices(self) -> List[dict]:
        with self.found_lock:
            notices, self.notices = self.notices, []
        return notices

    def _client(self, role: Optional[str], service: str, region: str, **settings: Any) -> Any:
        """A client with role's credentials (the source's own without a role); boto3 and botocore sessions are not
        thread-safe, so clients are made one at a time."""
        with CLIENTS_LOCK:
            if role is None:
                return self.base.client(service, region_name=region, config=source_config(), **settings)
            if role not in self.sessions:
                self.sessions[role] = assumed_session(self.base, role, self.home_region, self.loader)
            return self.sessions[role].create_client(service, region_name=region, config=source_config(), **settings)

    def _watcher(self, target: Target) -> RequestWatcher:
        client = self._client(
            target.role_arn, self.api.client_name, target.region, endpoint_url=self.args.get("endpoint_url")
        )
        connections = Connections(fail_fast_on_limits(client), self.api, target.region, "inbound")
        return RequestWatcher(connections, role_arn=target.role_arn, **watcher_settings(self.args))


async def watch_fleet(
    queue: asyncio.Queue,
    fleet: Fleet,
    interval: float,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
) -> None:
    """One polling task per account and region, at most max_concurrency polls at once and half of them for any one
    account (one account throttled with many regions never takes every slot); the fleet is read again every second
    or interval, whichever is shorter, and tasks start or stop."""
    bound = asyncio.Semaphore(fleet.max_concurrency)
    per_account: Dict[Optional[str], asyncio.Semaphore] = {}
    tasks: Dict[Target, asyncio.Task] = {}
    try:
        while True:
            watchers = await in_daemon_thread(fleet.targets)
            for notice in fleet.take_notices():
                await queue.put(notice)
            for target in set(tasks) - set(watchers):
                tasks.pop(target).cancel()
            for target, watcher in watchers.items():
                if target not in tasks:
                    share = per_account.setdefault(
                        target.role_arn, asyncio.Semaphore(max(1, fleet.max_concurrency // 2))
                    )
                    label = f"{target.role_arn or 'the source account'} in {target.region}"
                    tasks[target] = asyncio.create_task(watch(queue, watcher, interval, sleep, (share, bound), label))
            for task in tasks.values():
                if task.done():
                    task.result()  # a polling task ends only on a bug: let it end the source, loudly
            await sleep(min(interval, FLEET_TICK))
    finally:
        for task in tasks.values():
            task.cancel()


async def run_source(queue: asyncio.Queue, args: Dict[str, Any]) -> None:
    """The event source: its arguments checked, then one account and region watched as before 0.4.0, or a fleet."""
    args = given(args)
    problem = source_args_problem(args)
    if problem:
        raise ValueError(f"aws_search.cross_cluster.inbound_connection_requests: {problem}")
    warn_about_secret_args(args)
    quiet_sdk_loggers()
    interval = float(args.get("interval", 30))
    if not is_fleet(args):
        await watch(queue, watcher_for(args), interval)
        return
    regions = list_of(args.get("regions") or [])
    base = session_for(args, "us-east-1" if not regions or wants_all_regions(regions) else regions[0])
    if base.get_credentials() is None:
        raise SourceError(
            "no AWS credentials: give them in the environment (AWS_ACCESS_KEY_ID, ...), a profile, or the host's role"
        )
    await watch_fleet(queue, Fleet(args, base), interval)
