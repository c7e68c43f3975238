# -*- coding: utf-8 -*-

# Copyright: Contributors to the aws_search.cross_cluster project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The one place where the legacy ElasticsearchService API and the OpenSearchService API differ.

Both APIs manage the same cross-cluster connections; they differ only in client names,
method names, parameter and response keys, filter names and the status an accepted
inbound connection settles in. Everything else in this collection is written once,
against a ConnectionApi.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Dict
from typing import Optional

# IAM actions, by what a module does to an inbound connection. The legacy API maps to the same actions.
IAM_ACTIONS = {
    "describe": "es:DescribeInboundConnections",
    "reject": "es:RejectInboundConnection",
    "accept": "es:AcceptInboundConnection",
    "delete": "es:DeleteInboundConnection",
}


@dataclass(frozen=True)
class ConnectionApi:
    name: str
    client_name: str
    id_key: str
    connection_key: str
    connections_key: str
    inbound_id_filter: str
    inbound_methods: Dict[str, str]
    accepted_settles_in: str
    id_pattern: Optional[str] = None
    id_min_length: int = 1
    id_max_length: Optional[int] = None

    def inbound_method(self, action: str) -> str:
        return self.inbound_methods[action]

    def id_problem(self, connection_id: str) -> Optional[str]:
        """The rule connection_id breaks on this API, or None when it is valid."""
        if not connection_id or not connection_id.strip():
            return "connection_id must not be empty"
        too_long = self.id_max_length is not None and len(connection_id) > self.id_max_length
        if len(connection_id) < self.id_min_length or too_long:
            return (
                f"connection_id must be {self.id_min_length} to {self.id_max_length} characters long"
                f" with api={self.name}, got {len(connection_id)}"
            )
        if self.id_pattern and not re.fullmatch(self.id_pattern, connection_id):
            return (
                f"connection_id must start with a lowercase letter and hold only lowercase letters, digits"
                f" and hyphens with api={self.name} (pattern {self.id_pattern}), got '{connection_id}'"
            )
        return None


ES = ConnectionApi(
    name="es",
    client_name="es",
    id_key="CrossClusterSearchConnectionId",
    connection_key="CrossClusterSearchConnection",
    connections_key="CrossClusterSearchConnections",
    inbound_id_filter="cross-cluster-search-connection-id",
    inbound_methods={
        "describe": "describe_inbound_cross_cluster_search_connections",
        "reject": "reject_inbound_cross_cluster_search_connection",
        "accept": "accept_inbound_cross_cluster_search_connection",
        "delete": "delete_inbound_cross_cluster_search_connection",
    },
    accepted_settles_in="APPROVED",
)

OPENSEARCH = ConnectionApi(
    name="opensearch",
    client_name="opensearch",
    id_key="ConnectionId",
    connection_key="Connection",
    connections_key="Connections",
    inbound_id_filter="connection-id",
    inbound_methods={
        "describe": "describe_inbound_connections",
        "reject": "reject_inbound_connection",
        "accept": "accept_inbound_connection",
        "delete": "delete_inbound_connection",
    },
    accepted_settles_in="ACTIVE",
    id_pattern=r"[a-z][a-z0-9\-]+",
    id_min_length=10,
    id_max_length=256,
)

APIS = {api.name: api for api in (ES, OPENSEARCH)}


def other_api(api: ConnectionApi) -> ConnectionApi:
    return OPENSEARCH if api is ES else ES


def connection_status(connection: Optional[dict]) -> Optional[str]:
    """The StatusCode of a connection in either API's shape, None for no connection."""
    if not connection:
        return None
    return connection.get("ConnectionStatus", {}).get("StatusCode")
