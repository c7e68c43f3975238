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

import botocore.session

from .store import Connection
from .store import Domain

ES_INBOUND_STATUS = {"PROVISIONING": "APPROVED", "ACTIVE": "APPROVED"}
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
    inbound_filters: Dict[str, Callable[[Connection], str]]
    with_mode: bool
    inbound_status: Dict[str, str]

    def inbound(self, connection: Connection) -> dict:
        rendered = {
            self.source_key: self.render_domain(connection.source),
            self.destination_key: self.render_domain(connection.destination),
            self.id_key: connection.connection_id,
            "ConnectionStatus": {
                "StatusCode": self.inbound_status.get(connection.status, connection.status),
                "Message": connection.status_message(),
            },
        }
        if self.with_mode:
            rendered["ConnectionMode"] = connection.mode
        return rendered


ES = Wire(
    name="es",
    service="es",
    operations={
        "DescribeInboundCrossClusterSearchConnections": "describe_inbound",
        "AcceptInboundCrossClusterSearchConnection": "accept_inbound",
        "RejectInboundCrossClusterSearchConnection": "reject_inbound",
        "DeleteInboundCrossClusterSearchConnection": "delete_inbound",
    },
    id_key="CrossClusterSearchConnectionId",
    connection_key="CrossClusterSearchConnection",
    connections_key="CrossClusterSearchConnections",
    source_key="SourceDomainInfo",
    destination_key="DestinationDomainInfo",
    render_domain=_es_domain,
    inbound_filters={
        "cross-cluster-search-connection-id": lambda c: c.connection_id,
        "source-domain-info.domain-name": lambda c: c.source.domain_name,
        "source-domain-info.owner-id": lambda c: c.source.owner_id,
        "source-domain-info.region": lambda c: c.source.region,
        "destination-domain-info.domain-name": lambda c: c.destination.domain_name,
    },
    with_mode=False,
    inbound_status=ES_INBOUND_STATUS,
)

OPENSEARCH = Wire(
    name="opensearch",
    service="opensearch",
    operations={
        "DescribeInboundConnections": "describe_inbound",
        "AcceptInboundConnection": "accept_inbound",
        "RejectInboundConnection": "reject_inbound",
        "DeleteInboundConnection": "delete_inbound",
    },
    id_key="ConnectionId",
    connection_key="Connection",
    connections_key="Connections",
    source_key="LocalDomainInfo",
    destination_key="RemoteDomainInfo",
    render_domain=_opensearch_domain,
    inbound_filters={
        "connection-id": lambda c: c.connection_id,
        "local-domain-info.domain-name": lambda c: c.source.domain_name,
        "local-domain-info.owner-id": lambda c: c.source.owner_id,
        "local-domain-info.region": lambda c: c.source.region,
        "remote-domain-info.domain-name": lambda c: c.destination.domain_name,
    },
    with_mode=True,
    inbound_status={},
)

WIRES = (ES, OPENSEARCH)


@dataclass(frozen=True)
class Route:
    wire: Wire
    operation: str
    handler: str
    method: str
    pattern: "re.Pattern[str]"


def _uri_pattern(request_uri: str) -> "re.Pattern[str]":
    return re.compile("^" + re.sub(r"\\{(\w+)\\}", r"(?P<\1>[^/]+)", re.escape(request_uri)) + "$")


def build_routes() -> List[Route]:
    session = botocore.session.get_session()
    routes = []
    for wire in WIRES:
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
