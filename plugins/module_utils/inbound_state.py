# -*- coding: utf-8 -*-

# Copyright: Contributors to the aws_search.cross_cluster project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Bring an inbound connection to the state asked for: describe, decide, act, wait."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Optional
from typing import Tuple

try:
    import botocore.exceptions
except ImportError:
    pass  # AnsibleAWSModule reports a missing botocore

from ansible_collections.aws_search.cross_cluster.plugins.module_utils.aws_failures import ConnectionApiError
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.connection_api import connection_status
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.connection_calls import Connections
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.inbound_lifecycle import in_transit
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.inbound_lifecycle import plan_inbound
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.inbound_lifecycle import predicted_status
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.inbound_lifecycle import settled_status
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.module_output import ConnectionResult
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.waiting import wait_while


class InboundStateError(Exception):
    """The state asked for cannot be reached; the message says why and what to do."""


@dataclass(frozen=True)
class InboundRequest:
    connection_id: str
    state: str
    wait: bool = False
    wait_timeout: int = 300


def ensure_inbound(connections: Connections, request: InboundRequest, check_mode: bool) -> ConnectionResult:
    found = connections.find(request.connection_id)
    previous = connection_status(found)
    plan = plan_inbound(request.state, previous)
    if plan.failure:
        raise InboundStateError(_cannot(connections, request, plan.failure))
    warnings = [plan.warning] if plan.warning else []
    if check_mode:
        status = predicted_status(request.state, previous, plan, connections.api, request.wait)
        return ConnectionResult(plan.action is not None, previous, status, with_status(found, status), warnings)
    connection, changed = found, False
    if plan.action:
        connection, changed = _act(connections, request, plan.action)
    if request.wait and in_transit(request.state, connection_status(connection), connections.api):
        connection = _wait(connections, request, connection)
    return ConnectionResult(changed, previous, connection_status(connection), connection or {}, warnings)


def with_status(connection: Optional[dict], status: Optional[str]) -> dict:
    """A copy of connection showing status, as a real run would report it."""
    if not connection:
        return {}
    predicted = copy.deepcopy(connection)
    predicted.setdefault("ConnectionStatus", {})["StatusCode"] = status
    return predicted


def _act(connections: Connections, request: InboundRequest, action: str) -> Tuple[Optional[dict], bool]:
    try:
        return connections.act(action, request.connection_id), True
    except ConnectionApiError as error:
        if not isinstance(error.exception, botocore.exceptions.ClientError):
            raise
        return _after_race(connections, request, error), False


def _after_race(connections: Connections, request: InboundRequest, error: ConnectionApiError) -> Optional[dict]:
    """The action failed: if someone else already brought the connection to the state asked for, that is fine."""
    now = connections.find(request.connection_id)
    plan = plan_inbound(request.state, connection_status(now))
    if plan.failure:
        raise InboundStateError(_cannot(connections, request, plan.failure)) from error
    if plan.action:
        raise error
    return now


def _wait(connections: Connections, request: InboundRequest, connection: Optional[dict]) -> Optional[dict]:
    def moving(current: Optional[dict]) -> bool:
        return in_transit(request.state, connection_status(current), connections.api)

    def read() -> Optional[dict]:
        return connections.find(request.connection_id)

    connection, stopped = wait_while(connection, read, moving, request.wait_timeout)
    status = connection_status(connection)
    target = settled_status(request.state, connections.api)
    if not stopped:
        reason = f"it was still {status} after {request.wait_timeout} seconds of waiting for {target}"
        raise InboundStateError(_cannot(connections, request, f"{reason}; raise wait_timeout or run again later"))
    if status != target and not (connection is None and request.state == "absent"):
        raise InboundStateError(_cannot(connections, request, f"it moved to {status} while waiting for {target}"))
    return connection


def _cannot(connections: Connections, request: InboundRequest, reason: str) -> str:
    return (
        f"Cannot make {connections.subject(request.connection_id)} {request.state}"
        f" (api={connections.api.name}, region={connections.region}): {reason}"
    )
