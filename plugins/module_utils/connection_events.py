# -*- coding: utf-8 -*-

# Copyright: Contributors to the aws_search.cross_cluster project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Inbound connection requests as events, for the inbound_connection_requests event source of ansible-rulebook."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from dataclasses import field
from typing import Any
from typing import Awaitable
from typing import Callable
from typing import Dict
from typing import List
from typing import Optional
from typing import Tuple

try:
    import boto3
    import botocore.exceptions
except ImportError:
    pass  # the event source's documentation names boto3

from ansible_collections.aws_search.cross_cluster.plugins.module_utils.aws_failures import CREDENTIAL_CODES
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.aws_failures import ConnectionApiError
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.aws_failures import error_code
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.connection_api import APIS
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.connection_api import connection_status
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.connections import Connections
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.connections import client_config
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.lifecycle import KNOWN_INBOUND

LOGGER = logging.getLogger("aws_search.cross_cluster.inbound_connection_requests")
# Failures that polling again cannot cure: the credentials or their permissions are wrong.
FATAL_CODES = CREDENTIAL_CODES + ("AccessDeniedException", "AccessDenied")
MAX_BACKOFF = 300.0
SESSION_ARGS = {
    "access_key": "aws_access_key_id",
    "secret_key": "aws_secret_access_key",
    "session_token": "aws_session_token",
    "profile": "profile_name",
    "region": "region_name",
}
SOURCE_ARGS = sorted(set(SESSION_ARGS) | {"api", "endpoint_url", "interval", "destination_domain_names", "statuses"})


class SourceError(Exception):
    """The event source cannot go on; the message says what to fix."""


@dataclass
class RequestWatcher:
    """Lists inbound connections and reports each one that newly has one of statuses, once per status."""

    connections: Connections
    statuses: Tuple[str, ...] = ("PENDING_ACCEPTANCE",)
    destination_domain_names: Tuple[str, ...] = ()
    reported: Dict[str, Optional[str]] = field(default_factory=dict)

    def poll(self) -> List[dict]:
        """One listing (pages of 100); the events for what is new since the last one."""
        scope = {"destination_domain_names": list(self.destination_domain_names)}
        found = self.connections.list(scope if self.destination_domain_names else None)
        events = [self._event_if_new(connection) for connection in found]
        return [event for event in events if event]

    def _event_if_new(self, connection: dict) -> Optional[dict]:
        connection_id = connection[self.connections.api.id_key]
        status = connection_status(connection)
        if status not in self.statuses or self.reported.get(connection_id) == status:
            return None
        self.reported[connection_id] = status
        return {"cross_cluster_request": self.describe(connection, status)}

    def describe(self, connection: dict, status: Optional[str]) -> dict:
        api = self.connections.api
        return {
            "connection_id": connection[api.id_key],
            "source": api.domain_of(connection, "source"),
            "destination_domain_name": api.domain_of(connection, "destination")["domain_name"],
            "status": status,
            "api": api.name,
            "region": self.connections.region,
        }


def is_fatal(error: ConnectionApiError) -> bool:
    """True when the credentials are missing, unknown or not allowed: polling again would fail the same way."""
    if isinstance(error.exception, botocore.exceptions.NoCredentialsError):
        return True
    return error_code(error.exception) in FATAL_CODES


def source_args_problem(args: Dict[str, Any]) -> Optional[str]:
    """The first rule the event source's arguments break, or None."""
    unknown = sorted(set(args) - set(SOURCE_ARGS))
    if unknown:
        return f"unknown argument '{unknown[0]}'; the source takes {', '.join(SOURCE_ARGS)}"
    if args.get("api", "es") not in APIS:
        return f"api must be es or opensearch, got '{args['api']}'"
    interval = args.get("interval", 30)
    if isinstance(interval, bool) or not isinstance(interval, (int, float)) or interval <= 0:
        return f"interval must be a number of seconds above 0, got '{interval}'"
    unknown_statuses = [status for status in args.get("statuses") or () if status not in KNOWN_INBOUND]
    if unknown_statuses:
        return f"statuses must be among {', '.join(KNOWN_INBOUND)}, got '{unknown_statuses[0]}'"
    return None


def watcher_for(args: Dict[str, Any]) -> RequestWatcher:
    """A RequestWatcher over a client made from the arguments, with the modules' retries and timeouts; when those
    run out, watch() polls again after a backoff, and logs why."""
    api = APIS[args.get("api", "es")]
    session = boto3.Session(**{SESSION_ARGS[key]: args[key] for key in SESSION_ARGS if args.get(key)})
    if not session.region_name:
        raise SourceError("no region: set the source's region argument, AWS_REGION, or a profile with a region")
    client = session.client(api.client_name, endpoint_url=args.get("endpoint_url"), config=client_config())
    connections = Connections(client, api, session.region_name, "inbound")
    statuses = tuple(args.get("statuses") or ("PENDING_ACCEPTANCE",))
    return RequestWatcher(connections, statuses, tuple(args.get("destination_domain_names") or ()))


async def watch(
    queue: asyncio.Queue,
    watcher: RequestWatcher,
    interval: float,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
) -> None:
    """Poll forever, off the event loop: put each new event on the queue; back off after failures; stop on a fatal
    one with SourceError."""
    failures = 0
    while True:
        try:
            events = await asyncio.to_thread(watcher.poll)
        except ConnectionApiError as error:
            if is_fatal(error):
                raise SourceError(f"{error.message}: {error.exception}") from error
            failures += 1
            delay = min(interval * 2**failures, MAX_BACKOFF)
            LOGGER.warning("%s: %s; polling again in %.0f seconds", error.message, error.exception, delay)
            await sleep(delay)
            continue
        failures = 0
        for event in events:
            await queue.put(event)
        await sleep(interval)


async def run_source(queue: asyncio.Queue, args: Dict[str, Any]) -> None:
    problem = source_args_problem(args)
    if problem:
        raise ValueError(f"aws_search.cross_cluster.inbound_connection_requests: {problem}")
    await watch(queue, watcher_for(args), float(args.get("interval", 30)))
