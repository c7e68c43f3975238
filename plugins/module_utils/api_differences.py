# -*- coding: utf-8 -*-

# Copyright: Contributors to the aws_search.cross_cluster project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The one place where the legacy ElasticsearchService API and the OpenSearchService API differ.

Both APIs manage the same cross-cluster connections; they differ only in client names,
method names, parameter and response keys, filter names, how a domain is nested, the
statuses the legacy API shows as one, and the rules for ids and aliases. Everything else in this collection is
written once, against a ConnectionApi.

Sides are named as the legacy API names them: the source domain requests the connection
(OpenSearch calls it the local domain of the outbound connection) and the destination
domain receives it (the remote domain).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Dict
from typing import Optional
from typing import Tuple

# IAM actions by direction and action. The legacy API's calls are authorised by the same actions.
IAM_ACTIONS = {
    ("inbound", "describe"): "es:DescribeInboundConnections",
    ("inbound", "reject"): "es:RejectInboundConnection",
    ("inbound", "accept"): "es:AcceptInboundConnection",
    ("inbound", "delete"): "es:DeleteInboundConnection",
    ("outbound", "describe"): "es:DescribeOutboundConnections",
    ("outbound", "create"): "es:CreateOutboundConnection",
    ("outbound", "delete"): "es:DeleteOutboundConnection",
}
# The status of a request waiting for the destination's owner to decide it.
PENDING = "PENDING_ACCEPTANCE"
# Every status of each direction, as the OpenSearch Service model lists them; the legacy model lacks a few.
INBOUND_STATUSES = (
    "PENDING_ACCEPTANCE",
    "APPROVED",
    "PROVISIONING",
    "ACTIVE",
    "REJECTING",
    "REJECTED",
    "DELETING",
    "DELETED",
)
OUTBOUND_STATUSES = ("VALIDATING", "VALIDATION_FAILED") + INBOUND_STATUSES
FILTER_FIELDS = {"owner_ids": "owner-id", "domain_names": "domain-name", "regions": "region"}
DOMAIN_KEYS = {"owner_id": "OwnerId", "domain_name": "DomainName", "region": "Region"}


@dataclass(frozen=True)
class ConnectionApi:
    name: str
    client_name: str
    id_key: str
    connection_key: str
    connections_key: str
    id_filter: str
    side_keys: Dict[str, str]
    side_filter_prefixes: Dict[str, str]
    methods: Dict[str, str]
    shown_as: Dict[str, Dict[str, str]]
    nests_domains: bool
    alias_pattern: Optional[str]
    alias_min_length: int
    alias_max_length: int
    # The statuses each direction's connections can have on this API, as its model lists them.
    statuses: Dict[str, Tuple[str, ...]]
    id_pattern: Optional[str] = None
    id_min_length: int = 1
    id_max_length: Optional[int] = None
    # The client method that describes domains (5 at most a call), and whether VPC endpoint access takes a Service.
    describe_domains_method: str = "describe_domains"
    authorizes_services: bool = True
    # The client methods that read a domain's configuration and change it (its access policy, here).
    describe_config_method: str = "describe_domain_config"
    update_config_method: str = "update_domain_config"
    # The AWS CLI's words for this API, in the fixes the guard prints: its command, the call that changes a domain's
    # settings, and the call (with its id option) that deletes an inbound connection.
    cli: str = "opensearch"
    cli_update_domain: str = "update-domain-config"
    cli_delete_inbound: str = "delete-inbound-connection --connection-id"

    def method(self, direction: str, action: str) -> str:
        return self.methods[f"{action}_{direction}"]

    def shown(self, direction: str, status: Optional[str]) -> Optional[str]:
        """The status as this API shows it: the legacy model has no inbound PROVISIONING or ACTIVE."""
        return self.shown_as.get(direction, {}).get(status, status) if status else status

    def filter_name(self, option: str) -> str:
        """The API's filter name for a module option such as connection_ids or source_owner_ids."""
        if option == "connection_ids":
            return self.id_filter
        side, field = option.split("_", 1)
        return f"{self.side_filter_prefixes[side]}.{FILTER_FIELDS[field]}"

    def domain_info(self, domain: Dict[str, Optional[str]]) -> dict:
        """A domain given as module options (owner_id, domain_name, region), in the API's request shape."""
        info = {DOMAIN_KEYS[key]: value for key, value in domain.items() if value is not None}
        return {"AWSDomainInformation": info} if self.nests_domains else info

    def domain_of(self, connection: dict, side: str) -> Dict[str, Optional[str]]:
        """The source or destination domain of a connection, with module option names."""
        info = connection.get(self.side_keys[side], {})
        if self.nests_domains:
            info = info.get("AWSDomainInformation", {})
        return {key: info.get(wire) for key, wire in DOMAIN_KEYS.items()}

    def id_problem(self, connection_id: str, option: str = "connection_id") -> Optional[str]:
        """The rule a connection id (given as option) breaks on this API, or None when it is valid."""
        if not connection_id or not connection_id.strip():
            return f"{option} must not be empty"
        rule = "start with a lowercase letter and hold only lowercase letters, digits and hyphens"
        lengths = (self.id_min_length, self.id_max_length)
        return self._rule_problem(option, connection_id, lengths, self.id_pattern, rule)

    def alias_problem(self, alias: str) -> Optional[str]:
        rule = "start with a letter and hold only letters, digits, hyphens and underscores"
        lengths = (self.alias_min_length, self.alias_max_length)
        return self._rule_problem("connection_alias", alias, lengths, self.alias_pattern, rule)

    def _rule_problem(
        self, option: str, value: str, lengths: Tuple[int, Optional[int]], pattern: Optional[str], rule: str
    ) -> Optional[str]:
        """The length or pattern rule value breaks on this API, or None."""
        shortest, longest = lengths
        if len(value) < shortest or (longest is not None and len(value) > longest):
            return f"{option} must be {shortest} to {longest} characters long with api={self.name}, got {len(value)}"
        if pattern and not re.fullmatch(pattern, value):
            return f"{option} must {rule} with api={self.name} (pattern {pattern}), got '{value}'"
        return None


def _without(statuses: Tuple[str, ...], missing: Tuple[str, ...]) -> Tuple[str, ...]:
    return tuple(status for status in statuses if status not in missing)


ES = ConnectionApi(
    name="es",
    client_name="es",
    id_key="CrossClusterSearchConnectionId",
    connection_key="CrossClusterSearchConnection",
    connections_key="CrossClusterSearchConnections",
    id_filter="cross-cluster-search-connection-id",
    side_keys={"source": "SourceDomainInfo", "destination": "DestinationDomainInfo"},
    side_filter_prefixes={"source": "source-domain-info", "destination": "destination-domain-info"},
    methods={
        "describe_inbound": "describe_inbound_cross_cluster_search_connections",
        "reject_inbound": "reject_inbound_cross_cluster_search_connection",
        "accept_inbound": "accept_inbound_cross_cluster_search_connection",
        "delete_inbound": "delete_inbound_cross_cluster_search_connection",
        "describe_outbound": "describe_outbound_cross_cluster_search_connections",
        "create_outbound": "create_outbound_cross_cluster_search_connection",
        "delete_outbound": "delete_outbound_cross_cluster_search_connection",
    },
    shown_as={"inbound": {"PROVISIONING": "APPROVED", "ACTIVE": "APPROVED"}},
    nests_domains=False,
    alias_pattern=None,
    alias_min_length=1,
    alias_max_length=20,
    statuses={
        "inbound": _without(INBOUND_STATUSES, ("PROVISIONING", "ACTIVE")),
        "outbound": _without(OUTBOUND_STATUSES, ("APPROVED", "REJECTING")),
    },
    describe_domains_method="describe_elasticsearch_domains",
    authorizes_services=False,
    describe_config_method="describe_elasticsearch_domain_config",
    update_config_method="update_elasticsearch_domain_config",
    cli="es",
    cli_update_domain="update-elasticsearch-domain-config",
    cli_delete_inbound="delete-inbound-cross-cluster-search-connection --cross-cluster-search-connection-id",
)

OPENSEARCH = ConnectionApi(
    name="opensearch",
    client_name="opensearch",
    id_key="ConnectionId",
    connection_key="Connection",
    connections_key="Connections",
    id_filter="connection-id",
    side_keys={"source": "LocalDomainInfo", "destination": "RemoteDomainInfo"},
    side_filter_prefixes={"source": "local-domain-info", "destination": "remote-domain-info"},
    methods={
        "describe_inbound": "describe_inbound_connections",
        "reject_inbound": "reject_inbound_connection",
        "accept_inbound": "accept_inbound_connection",
        "delete_inbound": "delete_inbound_connection",
        "describe_outbound": "describe_outbound_connections",
        "create_outbound": "create_outbound_connection",
        "delete_outbound": "delete_outbound_connection",
    },
    shown_as={},
    nests_domains=True,
    alias_pattern=r"[a-zA-Z][a-zA-Z0-9\-\_]+",
    alias_min_length=2,
    alias_max_length=100,
    statuses={"inbound": INBOUND_STATUSES, "outbound": OUTBOUND_STATUSES},
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


def scope(api: ConnectionApi, region: str) -> str:
    """Where a call went, as every message names it."""
    return f"(api={api.name}, region={region})"
