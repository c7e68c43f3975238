# -*- coding: utf-8 -*-

# Copyright: Contributors to the aws_search.cross_cluster project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Bring an existing connection to the state asked for: describe, decide, act, wait."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from dataclasses import field
from typing import Callable
from typing import List
from typing import Optional
from typing import Tuple

try:
    import botocore.exceptions
except ImportError:
    pass  # AnsibleAWSModule reports a missing botocore

from ansible_collections.aws_search.cross_cluster.plugins.module_utils.aws_failures import ConnectionApiError
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.connection_api import connection_status
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.connection_calls import Connections
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.lifecycle import Lifecycle
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.waiting import wait_while


class ConnectionStateError(Exception):
    """The state asked for cannot be reached; the message says why and what to do."""


@dataclass
class ConnectionResult:
    """What a connection module did: changed, the status before and after, the connection, warnings."""

    changed: bool
    previous_status: Optional[str]
    status: Optional[str]
    connection: dict
    warnings: List[str] = field(default_factory=list)


@dataclass(frozen=True)
class StateRequest:
    """subject names the connection in messages, such as "inbound connection 'cc-0123456789'"."""

    subject: str
    state: str
    wait: bool = False
    wait_timeout: int = 300


@dataclass(frozen=True)
class Target:
    """Where a connection is found (locate) and how it moves (lifecycle), through which calls."""

    connections: Connections
    lifecycle: Lifecycle
    locate: Callable[[], Optional[dict]]


def ensure_state(target: Target, request: StateRequest, check_mode: bool) -> ConnectionResult:
    found = target.locate()
    previous = connection_status(found)
    plan = target.lifecycle.plan(request.state, previous)
    if plan.failure:
        raise ConnectionStateError(cannot(target, request, plan.failure))
    warnings = [plan.warning] if plan.warning else []
    if check_mode:
        status = target.lifecycle.predicted_status(request.state, previous, plan, target.connections.api, request.wait)
        return ConnectionResult(plan.action is not None, previous, status, with_status(found, status), warnings)
    connection, changed = found, False
    if plan.action:
        connection, changed = _act(target, request, plan.action, found)
    if request.wait and target.lifecycle.in_transit(
        request.state, connection_status(connection), target.connections.api
    ):
        connection = wait_for_state(target, request, connection)
    return ConnectionResult(changed, previous, connection_status(connection), connection or {}, warnings)


def with_status(connection: Optional[dict], status: Optional[str]) -> dict:
    """A copy of connection showing status, as a real run would report it (AWS's message is not predictable)."""
    if not connection:
        return {}
    predicted = copy.deepcopy(connection)
    predicted["ConnectionStatus"] = {"StatusCode": status}
    return predicted


def _act(target: Target, request: StateRequest, action: str, found: dict) -> Tuple[Optional[dict], bool]:
    try:
        return target.connections.act(action, found[target.connections.api.id_key]), True
    except ConnectionApiError as error:
        if not isinstance(error.exception, botocore.exceptions.ClientError):
            raise
        return _after_race(target, request, error), False


def _after_race(target: Target, request: StateRequest, error: ConnectionApiError) -> Optional[dict]:
    """The action failed: if someone else already brought the connection to the state asked for, that is fine."""
    now = target.locate()
    plan = target.lifecycle.plan(request.state, connection_status(now))
    if plan.failure:
        raise ConnectionStateError(cannot(target, request, plan.failure)) from error
    if plan.action:
        raise error
    return now


def wait_for_state(target: Target, request: StateRequest, connection: Optional[dict]) -> Optional[dict]:
    """Poll until the connection has settled in the status request.state leads to."""
    api = target.connections.api

    def moving(current: Optional[dict]) -> bool:
        return target.lifecycle.in_transit(request.state, connection_status(current), api)

    connection, stopped = wait_while(connection, target.locate, moving, request.wait_timeout)
    status = connection_status(connection)
    settled = target.lifecycle.settled(request.state, api)
    if not stopped:
        reason = f"it was still {status} after {request.wait_timeout} seconds of waiting for {settled}"
        raise ConnectionStateError(cannot(target, request, f"{reason}; raise wait_timeout or run again later"))
    if status != settled and not (connection is None and request.state == "absent"):
        raise ConnectionStateError(cannot(target, request, f"it moved to {status} while waiting for {settled}"))
    return connection


def cannot(target: Target, request: StateRequest, reason: str) -> str:
    connections = target.connections
    return (
        f"Cannot make {request.subject} {request.state}"
        f" (api={connections.api.name}, region={connections.region}): {reason}"
    )
