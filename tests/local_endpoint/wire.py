"""How each AWS API names and shapes connections on the wire, and which paths it serves.

Paths, methods and error HTTP statuses come from botocore's own service models, so the
endpoint answers exactly where and how a boto3 client expects.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Callable
from typing import Dict
from typing import List
from typing import Optional
from typing import Tuple
from typing import Union

import botocore.session
from botocore import xform_name as xform

from .store import Connection
from .store import Domain

ACCEPTED = ("APPROVED", "PROVISIONING", "ACTIVE")
# The legacy model has no inbound PROVISIONING or ACTIVE, and no outbound APPROVED or REJECTING.
ES_INBOUND_STATUS = {"PROVISIONING": "APPROVED", "ACTIVE": "APPROVED"}
ES_OUTBOUND_STATUS = {"APPROVED": "PROVISIONING", "REJECTING": "REJECTED"}
# The legacy model has no ThrottlingException; AWS answers it with 400 there.
STATUS_NOT_IN_MODEL = {
    "ThrottlingException": 400,
    "UnrecognizedClientException": 403,
    "InvalidSignatureException": 403,
    "MissingAuthenticationTokenException": 403,
}


def _es_domain(domain: Domain) -> dict:
    return {"OwnerId": domain.owner_id, "DomainName": domain.domain_name, "Region": domain.region}


def _opensearch_domain(domain: Domain) -> dict:
    return {"AWSDomainInformation": _es_domain(domain)}


def _parse_es_domain(info: dict) -> Domain:
    return Domain(
        owner_id=info.get("OwnerId", ""), domain_name=info.get("DomainName", ""), region=info.get("Region", "")
    )


def _parse_opensearch_domain(info: dict) -> Domain:
    return _parse_es_domain(info.get("AWSDomainInformation", {}))


def _filters(id_filter: str, prefixes: Dict[str, str], mine: str) -> Dict[str, Callable[[Connection], str]]:
    """The filters of one direction: the id, the other side's owner, name and region, and my domain's name."""
    theirs = "destination" if mine == "source" else "source"
    return {
        id_filter: lambda c: c.connection_id,
        f"{prefixes[theirs]}.domain-name": lambda c: getattr(c, theirs).domain_name,
        f"{prefixes[theirs]}.owner-id": lambda c: getattr(c, theirs).owner_id,
        f"{prefixes[theirs]}.region": lambda c: getattr(c, theirs).region,
        f"{prefixes[mine]}.domain-name": lambda c: getattr(c, mine).domain_name,
    }


@dataclass(frozen=True)
class Wire:
    """One API's names for the same things."""

    name: str
    service: str
    operations: Dict[str, str]
    id_key: str
    connection_key: str
    connections_key: str
    source_key: str
    destination_key: str
    render_domain: Callable[[Domain], dict]
    parse_domain: Callable[[dict], Domain]
    filters: Dict[str, Dict[str, Callable[[Connection], str]]]
    statuses: Dict[str, Dict[str, str]]
    opensearch_only: bool
    alias_rule: "re.Pattern[str]"

    @property
    def describe_config(self) -> str:
        """The client method that describes a domain's configuration."""
        return xform(next(op for op, handler in self.operations.items() if handler == "describe_domain_config"))

    @property
    def update_config(self) -> str:
        return xform(next(op for op, handler in self.operations.items() if handler == "update_domain_config"))

    def render(self, connection: Connection, direction: str, status: Optional[str] = None) -> dict:
        """The connection in this API's shape, showing status (by default its own)."""
        status = status or connection.status
        rendered = {
            self.source_key: self.render_domain(connection.source),
            self.destination_key: self.render_domain(connection.destination),
            self.id_key: connection.connection_id,
            "ConnectionStatus": {
                "StatusCode": self.statuses[direction].get(status, status),
                "Message": connection.status_message(status),
            },
        }
        if direction == "outbound":
            rendered["ConnectionAlias"] = connection.alias
        if self.opensearch_only:
            rendered["ConnectionMode"] = connection.mode
        if self.opensearch_only and direction == "outbound":
            rendered["ConnectionProperties"] = _properties(connection, status)
        return rendered


def _properties(connection: Connection, status: str) -> dict:
    """AWS fills in the remote domain's endpoint of a VPC_ENDPOINT connection once it is accepted."""
    properties: dict = {"CrossClusterSearch": {"SkipUnavailable": connection.skip_unavailable}}
    if connection.mode == "VPC_ENDPOINT" and status in ACCEPTED:
        remote = connection.destination
        properties["Endpoint"] = (
            f"vpc-{remote.domain_name}-{connection.connection_id[-8:]}.{remote.region}.es.amazonaws.com"
        )
    return properties


# The same on both APIs: a handler each, named as botocore names the method.
DOMAIN_ACCESS_OPERATIONS = ("ListVpcEndpointAccess", "AuthorizeVpcEndpointAccess", "RevokeVpcEndpointAccess")
ES_PREFIXES = {"source": "source-domain-info", "destination": "destination-domain-info"}
OPENSEARCH_PREFIXES = {"source": "local-domain-info", "destination": "remote-domain-info"}

ES = Wire(
    name="es",
    service="es",
    operations={
        "DescribeInboundCrossClusterSearchConnections": "describe_inbound",
        "AcceptInboundCrossClusterSearchConnection": "accept_inbound",
        "RejectInboundCrossClusterSearchConnection": "reject_inbound",
        "DeleteInboundCrossClusterSearchConnection": "delete_inbound",
        "DescribeOutboundCrossClusterSearchConnections": "describe_outbound",
        "CreateOutboundCrossClusterSearchConnection": "create_outbound",
        "DeleteOutboundCrossClusterSearchConnection": "delete_outbound",
        "ListDomainNames": "list_domain_names",
        "ListTags": "list_tags",
        "DescribeElasticsearchDomains": "describe_domains",
        "DescribeElasticsearchDomainConfig": "describe_domain_config",
        "UpdateElasticsearchDomainConfig": "update_domain_config",
        **{operation: xform(operation) for operation in DOMAIN_ACCESS_OPERATIONS},
    },
    id_key="CrossClusterSearchConnectionId",
    connection_key="CrossClusterSearchConnection",
    connections_key="CrossClusterSearchConnections",
    source_key="SourceDomainInfo",
    destination_key="DestinationDomainInfo",
    render_domain=_es_domain,
    parse_domain=_parse_es_domain,
    filters={
        "inbound": _filters("cross-cluster-search-connection-id", ES_PREFIXES, "destination"),
        "outbound": _filters("cross-cluster-search-connection-id", ES_PREFIXES, "source"),
    },
    statuses={"inbound": ES_INBOUND_STATUS, "outbound": ES_OUTBOUND_STATUS},
    opensearch_only=False,
    alias_rule=re.compile(r".{1,20}"),
)

OPENSEARCH = Wire(
    name="opensearch",
    service="opensearch",
    operations={
        "DescribeInboundConnections": "describe_inbound",
        "AcceptInboundConnection": "accept_inbound",
        "RejectInboundConnection": "reject_inbound",
        "DeleteInboundConnection": "delete_inbound",
        "DescribeOutboundConnections": "describe_outbound",
        "CreateOutboundConnection": "create_outbound",
        "DeleteOutboundConnection": "delete_outbound",
        "ListDomainNames": "list_domain_names",
        "ListTags": "list_tags",
        "DescribeDomains": "describe_domains",
        "DescribeDomainConfig": "describe_domain_config",
        "UpdateDomainConfig": "update_domain_config",
        **{operation: xform(operation) for operation in DOMAIN_ACCESS_OPERATIONS},
    },
    id_key="ConnectionId",
    connection_key="Connection",
    connections_key="Connections",
    source_key="LocalDomainInfo",
    destination_key="RemoteDomainInfo",
    render_domain=_opensearch_domain,
    parse_domain=_parse_opensearch_domain,
    filters={
        "inbound": _filters("connection-id", OPENSEARCH_PREFIXES, "destination"),
        "outbound": _filters("connection-id", OPENSEARCH_PREFIXES, "source"),
    },
    statuses={"inbound": {}, "outbound": {}},
    opensearch_only=True,
    alias_rule=re.compile(r"[a-zA-Z][a-zA-Z0-9\-\_]{1,99}"),
)

WIRES = (ES, OPENSEARCH)


@dataclass(frozen=True)
class Service:
    """Another AWS service the endpoint plays, with no connections: its name, and its handlers by operation."""

    name: str
    service: str
    operations: Dict[str, str]


SECURITY_HUB = Service(
    "securityhub", "securityhub", {"BatchImportFindings": "batch_import_findings", "GetFindings": "get_findings"}
)
SERVICES = (SECURITY_HUB,)


@dataclass(frozen=True)
class Route:
    wire: Union[Wire, Service]
    operation: str
    handler: str
    method: str
    pattern: "re.Pattern[str]"


def _uri_pattern(request_uri: str) -> "re.Pattern[str]":
    return re.compile("^" + re.sub(r"\\{(\w+)\\}", r"(?P<\1>[^/]+)", re.escape(request_uri)) + "$")


def build_routes() -> List[Route]:
    session = botocore.session.get_session()
    routes = []
    for wire in WIRES + SERVICES:
        model = session.get_service_model(wire.service)
        for operation, handler in wire.operations.items():
            http = model.operation_model(operation).http
            routes.append(Route(wire, operation, handler, http["method"], _uri_pattern(http["requestUri"])))
    return routes


def match_route(routes: List[Route], method: str, path: str) -> Optional[Tuple[Route, Dict[str, str]]]:
    for route in routes:
        found = route.pattern.match(path)
        if found and route.method == method:
            return route, found.groupdict()
    return None


@functools.lru_cache(maxsize=None)
def error_status(service: str, code: str) -> int:
    """The HTTP status the service's model gives an error code."""
    model = botocore.session.get_session().get_service_model(service)
    statuses = {shape.name: shape.metadata.get("error", {}).get("httpStatusCode", 400) for shape in model.error_shapes}
    return statuses.get(code, STATUS_NOT_IN_MODEL.get(code, 400))
