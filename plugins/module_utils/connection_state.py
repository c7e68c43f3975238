# -*- coding: utf-8 -*-

# Copyright: Contributors to the aws_search.cross_cluster project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Bring an existing connection to the state asked for: describe, decide, act, wait."""

from __future__ import annotations

import copy
import functools
from dataclasses import dataclass
from typing import Any
from typing import Callable
from typing import Dict
from typing import Optional
from typing import Tuple

try:
    import botocore.exceptions
except ImportError:
    pass  # AnsibleAWSModule reports a missing botocore

from ansible_collections.aws_search.cross_cluster.plugins.module_utils.aws_failures import ConnectionApiError
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.aws_failures import error_code
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.aws_failures import is_api_mismatch
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.connection_api import connection_status
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.connection_results import ConnectionResult
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.connection_results import ConnectionStateError
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.connections import Connections
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.lifecycle import Lifecycle
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.lifecycle import lifecycle
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.waiting import WaitEnded
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.waiting import wait_until_settled
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.waiting import wait_while

# AWS documents no error for an action on a connection in the wrong status; these are the codes it can take.
STATE_ERRORS = ("ValidationException", "ConflictException", "ResourceNotFoundException")
# How long a read after such an error may still show the status from before the change (eventual consistency).
STALE_READ_SECONDS = 5


@dataclass(frozen=True)
class StateRequest:
    """subject names the connection in messages, such as "inbound connection 'cc-0123456789'"."""

    subject: str
    wait: bool = False
    wait_timeout: int = 300


@dataclass(frozen=True)
class InboundRequest:
    """The inbound_connection module's options."""

    connection_id: str
    state: str
    wait: bool = False
    wait_timeout: int = 300

    @classmethod
    def from_params(cls, params: Dict[str, Any]) -> "InboundRequest":
        return cls(**{key: params[key] for key in cls.__dataclass_fields__})


@dataclass(frozen=True)
class Target:
    """Where a connection is found (locate) and how it moves towards one state (lifecycle), through which calls."""

    connections: Connections
    lifecycle: Lifecycle
    locate: Callable[[], Optional[dict]]


def ensure_inbound(connections: Connections, request: InboundRequest, check_mode: bool) -> ConnectionResult:
    locate = functools.partial(connections.find, request.connection_id)
    target = Target(connections, lifecycle("inbound", request.state, connections.api), locate)
    state_request = StateRequest(connections.subject(request.connection_id), request.wait, request.wait_timeout)
    return ensure_state(target, state_request, check_mode)


def ensure_state(target: Target, request: StateRequest, check_mode: bool) -> ConnectionResult:
    return settle(target, request, target.locate(), check_mode)


def settle(target: Target, request: StateRequest, found: Optional[dict], check_mode: bool) -> ConnectionResult:
    """Bring the connection found to the target's state; in check mode, predict what that would report."""
    previous = connection_status(found)
    plan = target.lifecycle.plan(previous)
    if plan.failure:
        raise ConnectionStateError(cannot(target, request, plan.failure))
    warnings = [plan.warning] if plan.warning else []
    if check_mode:
        status = target.lifecycle.predicted(previous, request.wait)
        return ConnectionResult(plan.action is not None, previous, status, with_status(found, status), warnings)
    connection, changed = found, False
    if plan.action:
        connection, changed = _act(target, request, plan.action, found)
    if request.wait and target.lifecycle.in_transit(connection_status(connection)):
        connection = wait_for_state(target, request, connection, previous if changed else None)
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
    """The action failed: if someone else already brought the connection to the state asked for, that is fine.

    When the error can mean that the connection is no longer where the read showed it, a read that still calls for
    the action may be a stale one: read again, for at most STALE_READ_SECONDS.
    """
    now = target.locate()
    if error_code(error.exception) in STATE_ERRORS and not is_api_mismatch(error.exception):
        now = wait_while(now, target.locate, _still_calls_for_action(target), STALE_READ_SECONDS)[0]
    plan = target.lifecycle.plan(connection_status(now))
    if plan.failure:
        raise ConnectionStateError(cannot(target, request, plan.failure)) from error
    if plan.action:
        raise error
    return now


def _still_calls_for_action(target: Target) -> Callable[[Optional[dict]], bool]:
    return lambda connection: target.lifecycle.plan(connection_status(connection)).action is not None


def wait_for_state(
    target: Target, request: StateRequest, connection: Optional[dict], left: Optional[str] = None
) -> Optional[dict]:
    """Poll until the connection has settled in the status the target's state leads to; left: the status it left."""
    try:
        return wait_until_settled(target.lifecycle, target.locate, connection, request.wait_timeout, left)
    except WaitEnded as ended:
        settled = target.lifecycle.settled
        if ended.timed_out:
            reason = f"it was still {ended.status} after {request.wait_timeout} seconds of waiting for {settled}"
            raise ConnectionStateError(cannot(target, request, f"{reason}; raise wait_timeout or run again later"))
        raise ConnectionStateError(cannot(target, request, f"it moved to {ended.status} while waiting for {settled}"))


def cannot(target: Target, request: StateRequest, reason: str) -> str:
    return f"Cannot make {request.subject} {target.lifecycle.state} {target.connections.scope}: {reason}"
