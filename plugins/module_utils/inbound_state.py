# -*- coding: utf-8 -*-

# Copyright: Contributors to the aws_search.cross_cluster project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Reject, accept or delete an inbound connection by its id, through the engine."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from typing import Dict

from ansible_collections.aws_search.cross_cluster.plugins.module_utils.api_calls import Connections
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.engine import StateRequest
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.engine import by_id
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.engine import ensure_state
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.lifecycle import lifecycle
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.results import ConnectionResult


@dataclass(frozen=True)
class InboundRequest:
    """The inbound_connection module's options."""

    connection_id: str
    state: str
    wait: bool = False
    wait_timeout: int = 300

    @classmethod
    def from_params(cls, params: Dict[str, Any]) -> "InboundRequest":
        return cls(**{key: params[key] for key in cls.__dataclass_fields__})


def ensure_inbound(connections: Connections, request: InboundRequest, check_mode: bool) -> ConnectionResult:
    target = by_id(connections, lifecycle("inbound", request.state, connections.api), request.connection_id)
    state_request = StateRequest(connections.subject(request.connection_id), request.wait, request.wait_timeout)
    return ensure_state(target, state_request, check_mode)
