"""The control interface, from the client side: what scripts and tests send to a running endpoint."""

from __future__ import annotations

import json
import urllib.request
from typing import Any
from typing import Dict


def control(url: str, path: str, body: dict) -> dict:
    """POST body to /_control/path of the endpoint at url; its JSON answer."""
    request = urllib.request.Request(f"{url}/_control/{path}", data=json.dumps(body).encode(), method="POST")
    with urllib.request.urlopen(request) as answer:  # nosec B310 - the local endpoint's own URL
        return json.load(answer)


def read(url: str, path: str) -> dict:
    """GET /_control/path of the endpoint at url, such as "connections" or "calls"; its JSON answer."""
    with urllib.request.urlopen(f"{url}/_control/{path}") as answer:  # nosec B310 - the local endpoint's own URL
        return json.load(answer)


def seed(url: str, **spec: Any) -> str:
    """Seed a connection (see the control interface's POST /_control/connections); its id."""
    return control(url, "connections", spec)["connection_id"]


def statuses(url: str) -> Dict[str, str]:
    """Every connection's status, by id, as the service keeps it (no read lag)."""
    return {connection["connection_id"]: connection["status"] for connection in read(url, "connections")["connections"]}
