# -*- coding: utf-8 -*-

# Copyright: Contributors to the aws_search.cross_cluster project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Request an outbound connection, or delete one: find the live match, create or delete, wait."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any
from typing import Dict
from typing import Optional
from typing import Tuple

from ansible_collections.aws_search.cross_cluster.plugins.module_utils.aws_failures import ConnectionApiError
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.aws_failures import attempts
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.aws_failures import error_code
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.connection_api import ConnectionApi
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.connection_api import connection_status
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.connection_results import ConnectionResult
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.connection_results import ConnectionStateError
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.connection_state import StateRequest
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.connection_state import Target
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.connection_state import ensure_state
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.connection_state import with_status
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.connections import Connections
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.lifecycle import is_live_outbound
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.lifecycle import lifecycle
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.waiting import WaitEnded
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.waiting import wait_until_settled

# Where a live outbound connection in transit settles: what state=present with wait reports.
SETTLES_IN = {"VALIDATING": "PENDING_ACCEPTANCE", "PROVISIONING": "ACTIVE"}


@dataclass(frozen=True)
class OutboundRequest:
    """The module's options: which connection, and what to create it with."""

    state: str
    local_domain: Optional[Dict[str, Optional[str]]] = None
    remote_domain: Optional[Dict[str, Optional[str]]] = None
    connection_alias: Optional[str] = None
    connection_id: Optional[str] = None
    connection_mode: Optional[str] = None
    skip_unavailable: Optional[bool] = None
    wait: bool = False
    wait_timeout: int = 300

    @classmethod
    def from_params(cls, params: Dict[str, Any]) -> "OutboundRequest":
        return cls(**{key: params[key] for key in cls.__dataclass_fields__})

    @property
    def by_match(self) -> bool:
        return not self.connection_id

    @property
    def subject(self) -> str:
        if self.connection_id:
            return f"outbound connection '{self.connection_id}'"
        local, remote = (self.local_domain or {}).get("domain_name"), (self.remote_domain or {}).get("domain_name")
        return f"outbound connection '{self.connection_alias}' from {local} to {remote}"


def matches(api: ConnectionApi, connection: dict, request: OutboundRequest) -> bool:
    """Same local domain, remote domain and alias; a domain option left out matches any value."""
    sides = (("source", request.local_domain), ("destination", request.remote_domain))
    same_domains = all(_same_domain(wanted, api.domain_of(connection, side)) for side, wanted in sides)
    return same_domains and connection.get("ConnectionAlias") == request.connection_alias


def _same_domain(wanted: Dict[str, Optional[str]], actual: Dict[str, Optional[str]]) -> bool:
    return all(actual.get(key) == value for key, value in wanted.items() if value is not None)


def find_live_match(connections: Connections, request: OutboundRequest) -> Optional[dict]:
    filters = {
        "source_domain_names": [request.local_domain["domain_name"]],
        "destination_domain_names": [request.remote_domain["domain_name"]],
    }
    live = [c for c in connections.list(filters) if is_live_outbound(c) and matches(connections.api, c, request)]
    return live[0] if live else None


class MatchThenId:
    """Locates the live match the first time, then the same connection by its id."""

    def __init__(self, connections: Connections, request: OutboundRequest) -> None:
        self.connections = connections
        self.request = request
        self.connection_id: Optional[str] = None

    def __call__(self) -> Optional[dict]:
        if self.connection_id:
            return self.connections.find(self.connection_id)
        match = find_live_match(self.connections, self.request)
        self.connection_id = match[self.connections.api.id_key] if match else None
        return match


def create_params(api: ConnectionApi, request: OutboundRequest) -> Dict[str, Any]:
    params: Dict[str, Any] = {
        api.side_keys["source"]: api.domain_info(request.local_domain),
        api.side_keys["destination"]: api.domain_info(request.remote_domain),
    }
    if request.connection_mode:
        params["ConnectionMode"] = request.connection_mode
    if request.skip_unavailable is not None:
        skip = "ENABLED" if request.skip_unavailable else "DISABLED"
        params["ConnectionProperties"] = {"CrossClusterSearch": {"SkipUnavailable": skip}}
    return params


def ensure_outbound(connections: Connections, request: OutboundRequest, check_mode: bool) -> ConnectionResult:
    if request.state == "present":
        return ensure_present(connections, request, check_mode)
    if request.by_match:
        locate = MatchThenId(connections, request)
    else:
        locate = functools.partial(connections.find, request.connection_id)
    target = Target(connections, lifecycle("outbound", "absent", connections.api), locate)
    return ensure_state(target, StateRequest(request.subject, request.wait, request.wait_timeout), check_mode)


def ensure_present(connections: Connections, request: OutboundRequest, check_mode: bool) -> ConnectionResult:
    found = find_live_match(connections, request)
    if check_mode:
        return _predict_present(found, request)
    connection, changed = (found, False) if found else _create(connections, request)
    if request.wait and not check_mode:
        connection = _wait_until_validated(connections, request, connection)
    return ConnectionResult(changed, connection_status(found), connection_status(connection), connection)


def _predict_present(found: Optional[dict], request: OutboundRequest) -> ConnectionResult:
    """What a real run reports: a new request is VALIDATING; with wait, a request in transit ends where it settles.
    A real run can also end in VALIDATION_FAILED, which only AWS's validation can tell."""
    previous = connection_status(found)
    status = previous or "VALIDATING"
    if request.wait:
        status = SETTLES_IN.get(status, status)
    connection = found if status == previous else with_status(found, status)
    return ConnectionResult(found is None, previous, status, connection or {})


def _create(connections: Connections, request: OutboundRequest) -> Tuple[dict, bool]:
    """Create the connection, and whether this run created it.

    Create is not idempotent: AWS refuses a second live connection with the same domains and alias. When it refuses
    a retry (an earlier attempt's reply was lost), that earlier attempt created it: changed. When it refuses the
    first attempt, another run created it meanwhile: that one, unchanged.
    """
    try:
        return connections.create(request.connection_alias, **create_params(connections.api, request)), True
    except ConnectionApiError as error:
        if error_code(error.exception) != "ResourceAlreadyExistsException":
            raise
        existing = find_live_match(connections, request)
        if existing is None:
            raise
        return existing, attempts(error.exception) > 1


def _wait_until_validated(connections: Connections, request: OutboundRequest, connection: dict) -> dict:
    connection_id = connection[connections.api.id_key]
    where = f"Outbound connection '{connection_id}' {connections.scope}"
    read = functools.partial(connections.find, connection_id)
    try:
        connection = wait_until_settled(
            lifecycle("outbound", "present", connections.api), read, connection, request.wait_timeout
        )
    except WaitEnded as ended:
        if ended.timed_out:
            raise ConnectionStateError(
                f"{where} was still {ended.status} after {request.wait_timeout} seconds of waiting"
            ) from ended
        raise ConnectionStateError(f"{where} moved to {ended.status} while waiting for validation") from ended
    if connection_status(connection) == "VALIDATION_FAILED":
        message = connection.get("ConnectionStatus", {}).get("Message", "")
        raise ConnectionStateError(
            f"{where} failed validation: {message} Check remote_domain (name, owner_id and region) and that"
            " both domains run versions that can connect"
        )
    return connection
