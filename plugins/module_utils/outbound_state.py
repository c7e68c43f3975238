# -*- coding: utf-8 -*-

# Copyright: Contributors to the aws_search.cross_cluster project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Request an outbound connection, or delete one: find the live match, create or delete, wait."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from typing import Dict
from typing import Optional

from ansible_collections.aws_search.cross_cluster.plugins.module_utils.api_calls import Connections
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.api_differences import ConnectionApi
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.engine import StateRequest
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.engine import Target
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.engine import act_on_id
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.engine import by_id
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.engine import ensure_state
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.lifecycle import is_live_outbound
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.lifecycle import lifecycle
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.results import ConnectionResult


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

    def create(self, _action: str, _found: Optional[dict]) -> dict:
        """Request the connection, then locate it by its new id.

        Create is not idempotent: AWS refuses a second live connection with the same domains and alias. The engine
        then finds the live match: created by an earlier attempt whose reply was lost (changed), or by another run.
        """
        api = self.connections.api
        connection = self.connections.create(self.request.connection_alias, **create_params(api, self.request))
        self.connection_id = connection[api.id_key]
        return connection


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
    """Present creates a connection when no live one matches; absent deletes the match, or the connection by id."""
    state_lifecycle = lifecycle("outbound", request.state, connections.api)
    if request.state == "present" or request.by_match:
        locator = MatchThenId(connections, request)
        act = locator.create if request.state == "present" else act_on_id(connections)
        target = Target(connections, state_lifecycle, locator, act)
    else:
        target = by_id(connections, state_lifecycle, request.connection_id)
    return ensure_state(target, StateRequest(request.subject, request.wait, request.wait_timeout), check_mode)
