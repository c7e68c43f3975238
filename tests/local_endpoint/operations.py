"""The AWS operations the endpoint serves, written once for both APIs against a Wire."""

from __future__ import annotations

import base64
import re
from typing import Any
from typing import Dict
from typing import List
from typing import Optional
from typing import Tuple

from . import domain_access
from . import security_hub
from .endpoint import Endpoint
from .store import AwsError
from .store import Caller
from .store import Connection
from .store import Domain
from .wire import Wire

OPENSEARCH_ID = r"[a-z][a-z0-9\-]+"
MAX_RESULTS = 100


def _page(items: List[Any], body: dict) -> Tuple[List[Any], Optional[str]]:
    size = body.get("MaxResults", MAX_RESULTS)
    if not isinstance(size, int) or not 1 <= size <= MAX_RESULTS:
        raise AwsError("ValidationException", f"MaxResults must be between 1 and {MAX_RESULTS}.")
    start = _token_offset(body.get("NextToken"))
    end = start + size
    next_token = base64.urlsafe_b64encode(str(end).encode()).decode() if end < len(items) else None
    return items[start:end], next_token


def _token_offset(token: Optional[str]) -> int:
    if token is None:
        return 0
    try:
        return int(base64.urlsafe_b64decode(token.encode()).decode())
    except ValueError as error:
        raise AwsError("InvalidPaginationTokenException", "The NextToken is not valid.") from error


def _check_filters(wire: Wire, direction: str, filters: List[dict]) -> None:
    for spec in filters:
        if spec.get("Name") not in wire.filters[direction]:
            names = ", ".join(wire.filters[direction])
            raise AwsError("ValidationException", f"Filter name {spec.get('Name')} is not valid; use one of {names}.")


def _matches(wire: Wire, direction: str, connection: Connection, filters: List[dict]) -> bool:
    return all(wire.filters[direction][spec["Name"]](connection) in spec.get("Values", []) for spec in filters)


def _describe(direction: str):
    def handler(endpoint: Endpoint, wire: Wire, caller: Caller, body: dict, _params: dict) -> dict:
        filters = body.get("Filters") or []
        _check_filters(wire, direction, filters)
        store = endpoint.store
        mine = store.inbound_for(caller) if direction == "inbound" else store.outbound_for(caller)
        page, next_token = _page([c for c in mine if _matches(wire, direction, c, filters)], body)
        shown = [wire.render(c, direction, store.visible_status(c)) for c in page]
        answer: Dict[str, Any] = {wire.connections_key: shown}
        if next_token:
            answer["NextToken"] = next_token
        return answer

    return handler


def _connection_id(wire: Wire, params: dict) -> str:
    connection_id = params["ConnectionId"]
    if wire.name == "opensearch" and not _valid_opensearch_id(connection_id):
        raise AwsError("ValidationException", f"ConnectionId must match {OPENSEARCH_ID}, 10 to 256 characters.")
    return connection_id


def _act_on_inbound(action: str):
    def handler(endpoint: Endpoint, wire: Wire, caller: Caller, _body: dict, params: dict) -> dict:
        connection = endpoint.store.act_on_inbound(caller, _connection_id(wire, params), action, wire.name)
        return {wire.connection_key: wire.render(connection, "inbound")}

    return handler


def delete_outbound(endpoint: Endpoint, wire: Wire, caller: Caller, _body: dict, params: dict) -> dict:
    connection = endpoint.store.delete_outbound(caller, _connection_id(wire, params))
    return {wire.connection_key: wire.render(connection, "outbound")}


def create_outbound(endpoint: Endpoint, wire: Wire, caller: Caller, body: dict, _params: dict) -> dict:
    alias = body.get("ConnectionAlias", "")
    if not wire.alias_rule.fullmatch(alias):
        raise AwsError("ValidationException", f"ConnectionAlias must match {wire.alias_rule.pattern}.")
    source = _with_defaults(wire.parse_domain(body.get(wire.source_key, {})), caller)
    if source.owner_id != caller.account:
        raise AwsError("ValidationException", "The local domain must belong to the caller's account.")
    if source.region != caller.region:
        raise AwsError("ValidationException", "The local domain must be in the region the request is sent to.")
    properties = body.get("ConnectionProperties", {}).get("CrossClusterSearch", {})
    _check_enum("ConnectionMode", body.get("ConnectionMode", "DIRECT"), ("DIRECT", "VPC_ENDPOINT"))
    _check_enum("SkipUnavailable", properties.get("SkipUnavailable", "DISABLED"), ("ENABLED", "DISABLED"))
    connection = Connection(
        connection_id=endpoint.store.new_id(),
        source=source,
        destination=_with_defaults(wire.parse_domain(body.get(wire.destination_key, {})), caller),
        status="VALIDATING",
        status_since=0.0,
        created_with=wire.name,
        alias=alias,
        mode=body.get("ConnectionMode", "DIRECT"),
        skip_unavailable=properties.get("SkipUnavailable", "DISABLED"),
    )
    return wire.render(endpoint.store.create_outbound(connection), "outbound")


def _check_enum(name: str, value: object, allowed: Tuple[str, ...]) -> None:
    if value not in allowed:
        raise AwsError("ValidationException", f"{name} must be one of {', '.join(allowed)}, got {value!r}.")


def _with_defaults(domain: Domain, caller: Caller) -> Domain:
    """AWS takes a domain without owner or region to be in the caller's account and region."""
    return Domain(domain.owner_id or caller.account, domain.domain_name, domain.region or caller.region)


def _valid_opensearch_id(connection_id: str) -> bool:
    return 10 <= len(connection_id) <= 256 and re.fullmatch(OPENSEARCH_ID, connection_id) is not None


ENGINE_TYPES = ("OpenSearch", "Elasticsearch")
DOMAIN_ARN = re.compile(
    r"arn:aws:es:(?P<region>[a-z0-9-]+):(?P<account>[0-9]{12}):domain/(?P<name>[a-z][a-z0-9-]{2,27})"
)


def list_domain_names(endpoint: Endpoint, _wire: Wire, caller: Caller, _body: dict, params: dict) -> dict:
    """The caller's domains in the caller's region, of one engine type if asked; AWS does not paginate these."""
    engine_type = params.get("engineType")
    if engine_type is not None and engine_type not in ENGINE_TYPES:
        raise AwsError("ValidationException", f"EngineType must be one of {', '.join(ENGINE_TYPES)}.")
    domains = [d for d in endpoint.store.hosted_for(caller) if engine_type in (None, d.engine_type)]
    return {"DomainNames": [{"DomainName": d.domain_name, "EngineType": d.engine_type} for d in domains]}


def list_tags(endpoint: Endpoint, _wire: Wire, caller: Caller, _body: dict, params: dict) -> dict:
    """A domain's tags, by its ARN; only the caller's own domains in the caller's region are found."""
    arn = params.get("arn", "")
    if not DOMAIN_ARN.fullmatch(arn):
        raise AwsError("ValidationException", f"{arn!r} is not a valid domain ARN.")
    found = [d for d in endpoint.store.hosted_for(caller) if d.arn == arn]
    if not found:
        raise AwsError("ResourceNotFoundException", f"Domain not found: {arn}")
    return {"TagList": [{"Key": key, "Value": value} for key, value in sorted(found[0].tags.items())]}


HANDLERS = {
    "describe_inbound": _describe("inbound"),
    "accept_inbound": _act_on_inbound("accept"),
    "reject_inbound": _act_on_inbound("reject"),
    "delete_inbound": _act_on_inbound("delete"),
    "describe_outbound": _describe("outbound"),
    "create_outbound": create_outbound,
    "delete_outbound": delete_outbound,
    "list_domain_names": list_domain_names,
    "list_tags": list_tags,
    "describe_domains": domain_access.describe_domains,
    "list_vpc_endpoint_access": domain_access.list_vpc_endpoint_access,
    "authorize_vpc_endpoint_access": domain_access.authorize_vpc_endpoint_access,
    "revoke_vpc_endpoint_access": domain_access.revoke_vpc_endpoint_access,
    "describe_domain_config": domain_access.describe_domain_config,
    "update_domain_config": domain_access.update_domain_config,
    "batch_import_findings": security_hub.batch_import_findings,
    "get_findings": security_hub.get_findings,
}
