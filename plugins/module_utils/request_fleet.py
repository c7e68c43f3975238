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
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any
from typing import Awaitable
from typing import Callable
from typing import Dict
from typing import List
from typing import Optional
from typing import Tuple

try:
    import boto3
    import botocore.config
    import botocore.credentials
    import botocore.exceptions
    import botocore.session
except ImportError:
    pass  # the event source's documentation names boto3

from ansible_collections.aws_search.cross_cluster.plugins.module_utils.account_sources import DEFAULT_MAX_CONCURRENCY
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.account_sources import enabled_regions
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.account_sources import organization_role_arns
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.account_sources import wants_all_regions
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.api_calls import Connections
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.api_calls import client_config
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.api_calls import fail_fast_on_limits
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.api_differences import APIS
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.aws_failures import hint_for_read
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.organization import OrganizationError
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.request_events import USER_AGENT
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.request_events import RequestWatcher
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.request_events import SourceError
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.request_events import backoff
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.request_events import given
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.request_events import in_daemon_thread
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.request_events import list_of
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.request_events import quiet_sdk_loggers
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.request_events import session_for
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.request_events import source_args_problem
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.request_events import warn_about_secret_args
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.request_events import watch
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.request_events import watcher_for
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.request_events import watcher_settings

LOGGER = logging.getLogger("aws_search.cross_cluster.inbound_connection_requests")
FLEET_ARGS = ("role_arn", "iam_role_arns", "organization", "regions")
# What CloudTrail shows of the source's AssumeRole in each account.
SESSION_NAME = "aws-search-inbound-requests"
# boto3 sessions are not thread-safe: clients are made one at a time.
CLIENTS_LOCK = threading.Lock()


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
    """A boto3 session with role_arn's credentials, assumed with base's through STS in region when first used, and
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
    core = botocore.session.Session()
    core.register_component("data_loader", loader)
    core.register_component("credential_provider", botocore.credentials.CredentialResolver([_AssumedRole(credentials)]))
    return boto3.Session(botocore_session=core, region_name=region)


def source_config() -> Any:
    return client_config().merge(botocore.config.Config(user_agent_extra=USER_AGENT))


class Fleet:
    """The accounts and regions to poll, and a watcher for each; read in a daemon thread, never on the event loop."""

    def __init__(self, args: Dict[str, Any], base: Any, clock: Callable[[], float] = time.monotonic) -> None:
        self.args = args
        self.base = base
        self.clock = clock
        self.api = APIS[args.get("api", "es")]
        self.home_region = base.region_name
        self.max_concurrency = int(args.get("max_concurrency", DEFAULT_MAX_CONCURRENCY))
        self.sessions: Dict[Optional[str], Any] = {}
        self.regions: Dict[Optional[str], List[str]] = {}
        # The accounts whose enabled regions could not be listed: failures in a row, and when to try again.
        self.region_failures: Dict[Optional[str], Tuple[int, float]] = {}
        self.roles: Optional[List[Optional[str]]] = None
        self.roles_read_at = 0.0
        self.watchers: Dict[Target, RequestWatcher] = {}
        self.loader = botocore.session.get_session().get_component("data_loader")

    def targets(self) -> Dict[Target, RequestWatcher]:
        """A watcher for each account and region to poll now; reads the organization when due, and the enabled
        regions of the accounts not read yet (max_concurrency at once)."""
        roles = self._roles()
        due = [role for role in roles if role not in self.regions and self._regions_due(role)]
        with ThreadPoolExecutor(max_workers=max(1, min(len(due), self.max_concurrency))) as pool:
            for role, found in zip(due, pool.map(self._regions_of, due)):
                if found is not None:
                    self.regions[role] = found
        wanted = [Target(role, region) for role in roles for region in self.regions.get(role, [])]
        self.watchers = {target: self.watchers.get(target) or self._watcher(target) for target in wanted}
        return dict(self.watchers)

    def _roles(self) -> List[Optional[str]]:
        organization = self.args.get("organization")
        if organization is None:
            return list(self.args.get("iam_role_arns") or [self.args.get("role_arn")])
        refresh = float(self.args.get("organization_refresh", 3600))
        if self.roles is not None and self.clock() - self.roles_read_at < refresh:
            return self.roles
        try:
            roles: List[Optional[str]] = list(self._organization_roles(organization))
        except OrganizationError as error:
            if self.roles is None:
                raise SourceError(f"{error.message}: {error.exception}") from error
            LOGGER.error(
                "%s: %s; watching the accounts read before, reading it again in %.0f s",
                error.message,
                error.exception,
                refresh,
            )
            roles = self.roles
        self.roles, self.roles_read_at = roles, self.clock()
        return roles

    def _organization_roles(self, organization: Dict[str, Any]) -> List[str]:
        with CLIENTS_LOCK:
            client = self.base.client("organizations", region_name=self.home_region, config=source_config())
        partition = self.base.get_partition_for_region(self.home_region)
        return organization_role_arns(client, organization, self.args["role_name"], partition)

    def _regions_due(self, role: Optional[str]) -> bool:
        return self.clock() >= self.region_failures.get(role, (0, 0.0))[1]

    def _regions_of(self, role: Optional[str]) -> Optional[List[str]]:
        """The regions to poll in role's account; None, logged as an error, when its enabled regions cannot be read."""
        regions = list_of(self.args.get("regions") or [self.home_region])
        if not wants_all_regions(regions):
            return regions
        try:
            with CLIENTS_LOCK:
                ec2 = self._session(role).client("ec2", region_name=self.home_region, config=source_config())
            found = enabled_regions(ec2.describe_regions())
        except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as error:
            failures = self.region_failures.get(role, (0, 0.0))[0] + 1
            delay = backoff(float(self.args.get("interval", 30)), failures)
            self.region_failures[role] = (failures, self.clock() + delay)
            LOGGER.error(
                "%s: could not list its enabled regions, so none of them is watched: %s (%s); trying again in %.0f s",
                role or "the source's own account",
                hint_for_read(error, "ec2:DescribeRegions"),
                error,
                delay,
            )
            return None
        self.region_failures.pop(role, None)
        return found

    def _session(self, role: Optional[str]) -> Any:
        if role is None:
            return self.base
        if role not in self.sessions:
            self.sessions[role] = assumed_session(self.base, role, self.home_region, self.loader)
        return self.sessions[role]

    def _watcher(self, target: Target) -> RequestWatcher:
        with CLIENTS_LOCK:
            client = self._session(target.role_arn).client(
                self.api.client_name,
                region_name=target.region,
                endpoint_url=self.args.get("endpoint_url"),
                config=source_config(),
            )
        connections = Connections(fail_fast_on_limits(client), self.api, target.region, "inbound")
        return RequestWatcher(connections, role_arn=target.role_arn, **watcher_settings(self.args))


async def watch_fleet(
    queue: asyncio.Queue,
    fleet: Fleet,
    interval: float,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
) -> None:
    """One polling task per account and region, at most max_concurrency polls at once; every interval the fleet is
    read again (the organization when due, the accounts whose regions could not be listed), and tasks start or stop."""
    bound = asyncio.Semaphore(fleet.max_concurrency)
    tasks: Dict[Target, asyncio.Task] = {}
    try:
        while True:
            watchers = await in_daemon_thread(fleet.targets)
            for target in set(tasks) - set(watchers):
                tasks.pop(target).cancel()
            for target, watcher in watchers.items():
                if target not in tasks:
                    label = f"{target.role_arn or 'the source account'} in {target.region}"
                    tasks[target] = asyncio.create_task(watch(queue, watcher, interval, sleep, bound, label))
            for task in tasks.values():
                if task.done():
                    task.result()  # a polling task ends only on a bug: let it end the source, loudly
            await sleep(interval)
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
