# -*- coding: utf-8 -*-

# Copyright: Contributors to the aws_search.cross_cluster project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Bring a connection to the state asked for, in either direction: plan, act, wait, and the race rule."""

from __future__ import annotations

import copy
import functools
from dataclasses import dataclass
from typing import Callable
from typing import Optional
from typing import Tuple

try:
    import botocore.exceptions
except ImportError:
    pass  # AnsibleAWSModule reports a missing botocore

from ansible_collections.aws_search.cross_cluster.plugins.module_utils.api_calls import Connections
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.api_differences import connection_status
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.aws_failures import ConnectionApiError
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.aws_failures import attempts
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.aws_failures import error_code
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.aws_failures import is_api_mismatch
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.lifecycle import Lifecycle
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.lifecycle import Plan
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.results import ConnectionResult
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.results import ConnectionStateError
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.waiting import WaitEnded
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.waiting import wait_until_settled
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.waiting import wait_while

# AWS documents no error for an action on a connection in the wrong status; these are the codes it can take.
STATE_ERRORS = ("ValidationException", "ConflictException", "ResourceNotFoundException")
# How long a read after such an error may still show the status from before the change (eventual consistency).
STALE_READ_SECONDS = 5
# A connection seen once and no longer listed was deleted (AWS lists deleted ones for 15 days, then forgets them).
GONE = "DELETED"


@dataclass(frozen=True)
class StateRequest:
    """subject names the connection in messages, such as "inbound connection 'cc-0123456789'"."""

    subject: str
    wait: bool = False
    wait_timeout: int = 300


@dataclass(frozen=True)
class Target:
    """Where a connection is found (locate), how it moves towards one state (lifecycle), and how the state's action
    is carried out on the connection found (act: it returns the connection as the API answered)."""

    connections: Connections
    lifecycle: Lifecycle
    locate: Callable[[], Optional[dict]]
    act: Callable[[str, Optional[dict]], dict]


def by_id(connections: Connections, lifecycle: Lifecycle, connection_id: str) -> Target:
    """The target of a connection known by its id: found by it, acted on through it."""
    return Target(connections, lifecycle, functools.partial(connections.find, connection_id), act_on_id(connections))


def act_on_id(connections: Connections) -> Callable[[str, Optional[dict]], dict]:
    return lambda action, found: connections.act(action, (found or {})[connections.api.id_key])


def ensure_state(target: Target, request: StateRequest, check_mode: bool) -> ConnectionResult:
    return settle(target, request, target.locate(), check_mode)


def settle(target: Target, request: StateRequest, found: Optional[dict], check_mode: bool) -> ConnectionResult:
    """Bring the connection found to the target's state; in check mode, predict what that would report."""
    return follow(target, request, found, target.lifecycle.plan(connection_status(found)), check_mode)


def follow(
    target: Target, request: StateRequest, found: Optional[dict], plan: Plan, check_mode: bool
) -> ConnectionResult:
    """Carry out the plan made for the connection found."""
    if plan.failure:
        raise ConnectionStateError(cannot(target, request, plan.failure))
    previous = connection_status(found)
    warnings = [plan.warning] if plan.warning else []
    if check_mode:
        status = target.lifecycle.predicted(previous, request.wait)
        return ConnectionResult(plan.action is not None, previous, status, with_status(found, status), warnings)
    connection, changed = found, False
    if plan.action:
        connection, changed, warning = _act(target, request, plan.action, found)
        warnings += [warning] if warning else []
    if request.wait and target.lifecycle.in_transit(connection_status(connection)):
        connection = wait_for_state(target, request, connection, previous if changed else None)
    return ConnectionResult(changed, previous, connection_status(connection), connection or {}, warnings)


def with_status(connection: Optional[dict], status: Optional[str]) -> dict:
    """The connection as a real run would report it with status (AWS's message for a new status is not known)."""
    if not connection:
        return {}
    if connection_status(connection) == status:
        return connection
    predicted = copy.deepcopy(connection)
    predicted["ConnectionStatus"] = {"StatusCode": status}
    return predicted


def _act(
    target: Target, request: StateRequest, action: str, found: Optional[dict]
) -> Tuple[Optional[dict], bool, Optional[str]]:
    """The connection after the action, whether this run changed it, and a warning.

    When the call failed after more than one attempt and the connection is now where the action leads, an earlier
    attempt took effect and only its reply was lost: this run changed it.
    """
    try:
        return target.act(action, found), True, None
    except ConnectionApiError as error:
        if not isinstance(error.exception, botocore.exceptions.ClientError):
            raise
        if not target.lifecycle.may_be_raced(error_code(error.exception)):
            raise
        now, warning = _after_race(target, request, error, found)
        retried_into_place = attempts(error.exception) > 1 and target.lifecycle.leads_to(connection_status(now))
        return now, retried_into_place, warning


def _after_race(
    target: Target, request: StateRequest, error: ConnectionApiError, found: Optional[dict]
) -> Tuple[Optional[dict], Optional[str]]:
    """The action failed: if the connection is already where the state asks, or gone where that is the goal, fine.

    When the error can mean that the connection is no longer where the read showed it, a read that still calls for
    the action may be a stale one: read again, for at most STALE_READ_SECONDS.
    """
    now = target.locate()
    if error_code(error.exception) in STATE_ERRORS and not is_api_mismatch(error.exception):
        now = wait_while(now, target.locate, _still_calls_for_action(target), STALE_READ_SECONDS)[0]
    plan = target.lifecycle.plan(GONE if found and not now else connection_status(now))
    if plan.failure:
        raise ConnectionStateError(cannot(target, request, plan.failure)) from error
    if plan.action:
        raise error
    return now, plan.warning


def _still_calls_for_action(target: Target) -> Callable[[Optional[dict]], bool]:
    return lambda connection: target.lifecycle.plan(connection_status(connection)).action is not None


def wait_for_state(
    target: Target, request: StateRequest, connection: Optional[dict], left: Optional[str] = None
) -> Optional[dict]:
    """Poll until the connection has settled in the status the target's state leads to; left: the status it left."""
    lifecycle = target.lifecycle
    try:
        connection = wait_until_settled(lifecycle, target.locate, connection, request.wait_timeout, left)
    except WaitEnded as ended:
        if ended.timed_out:
            waited_for = lifecycle.settles_in(ended.status)
            reason = f"it was still {ended.status} after {request.wait_timeout} seconds of waiting for {waited_for}"
            raise ConnectionStateError(cannot(target, request, f"{reason}; raise wait_timeout or run again later"))
        reason = f"it moved to {ended.status} while waiting for {lifecycle.settled}"
        raise ConnectionStateError(cannot(target, request, reason))
    failure = lifecycle.failed_ending(connection)
    if failure:
        raise ConnectionStateError(cannot(target, request, failure))
    return connection


def cannot(target: Target, request: StateRequest, reason: str) -> str:
    return f"Cannot make {request.subject} {target.lifecycle.state} {target.connections.scope}: {reason}"
