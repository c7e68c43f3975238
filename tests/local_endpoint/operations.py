"""The AWS operations the endpoint serves, written once for both APIs against a Wire."""

from __future__ import annotations

import base64
import re
from typing import Any
from typing import Dict
from typing import List
from typing import Optional
from typing import Tuple

from .endpoint import Endpoint
from .store import AwsError
from .store import Connection
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


def _check_filters(wire: Wire, filters: List[dict]) -> None:
    for spec in filters:
        if spec.get("Name") not in wire.inbound_filters:
            names = ", ".join(wire.inbound_filters)
            raise AwsError("ValidationException", f"Filter name {spec.get('Name')} is not valid; use one of {names}.")


def _matches(wire: Wire, connection: Connection, filters: List[dict]) -> bool:
    return all(wire.inbound_filters[spec["Name"]](connection) in spec.get("Values", []) for spec in filters)


def describe_inbound(endpoint: Endpoint, wire: Wire, account: str, body: dict, _params: dict) -> dict:
    filters = body.get("Filters") or []
    _check_filters(wire, filters)
    found = [c for c in endpoint.store.inbound_for(account) if _matches(wire, c, filters)]
    page, next_token = _page(found, body)
    answer: Dict[str, Any] = {wire.connections_key: [wire.inbound(c) for c in page]}
    if next_token:
        answer["NextToken"] = next_token
    return answer


def _act_on_inbound(action: str):
    def handler(endpoint: Endpoint, wire: Wire, account: str, _body: dict, params: dict) -> dict:
        connection_id = params["ConnectionId"]
        if wire.name == "opensearch" and not _valid_opensearch_id(connection_id):
            raise AwsError("ValidationException", f"ConnectionId must match {OPENSEARCH_ID}, 10 to 256 characters.")
        connection = endpoint.store.act_on_inbound(account, connection_id, action, wire.name)
        return {wire.connection_key: wire.inbound(connection)}

    return handler


def _valid_opensearch_id(connection_id: str) -> bool:
    return 10 <= len(connection_id) <= 256 and re.fullmatch(OPENSEARCH_ID, connection_id) is not None


HANDLERS = {
    "describe_inbound": describe_inbound,
    "accept_inbound": _act_on_inbound("accept"),
    "reject_inbound": _act_on_inbound("reject"),
    "delete_inbound": _act_on_inbound("delete"),
}
