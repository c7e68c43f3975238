# -*- coding: utf-8 -*-

# Copyright: Contributors to the aws_search.cross_cluster project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The rules module options must follow, checked before any AWS call. Each returns the first rule broken, or None."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING
from typing import Dict
from typing import Optional

from ansible_collections.aws_search.cross_cluster.plugins.module_utils.connection_api import ConnectionApi

if TYPE_CHECKING:
    from ansible_collections.aws_search.cross_cluster.plugins.module_utils.connection_state import InboundRequest
    from ansible_collections.aws_search.cross_cluster.plugins.module_utils.outbound_state import OutboundRequest

DOMAIN_NAME_PATTERN = r"[a-z][a-z0-9\-]+"
OWNER_ID_PATTERN = r"[0-9]{12}"
OPENSEARCH_ONLY = ("connection_mode", "skip_unavailable")


def inbound_problem(request: "InboundRequest", api: ConnectionApi) -> Optional[str]:
    """The first rule the inbound_connection options break; None when they are valid."""
    return api.id_problem(request.connection_id) or wait_timeout_problem(request.wait_timeout)


def outbound_problem(request: "OutboundRequest", api: ConnectionApi) -> Optional[str]:
    """The first rule the outbound_connection options break; None when they are valid."""
    if request.by_match and not (request.local_domain and request.remote_domain and request.connection_alias):
        return f"state={request.state} needs connection_id, or local_domain, remote_domain and connection_alias"
    opensearch_only = [name for name in OPENSEARCH_ONLY if getattr(request, name) is not None]
    if opensearch_only and api.name != "opensearch":
        return f"{' and '.join(opensearch_only)} need api=opensearch; the es API has no such settings"
    problems = (
        request.connection_id and api.id_problem(request.connection_id),
        request.local_domain and domain_problem(request.local_domain, "local_domain"),
        request.remote_domain and domain_problem(request.remote_domain, "remote_domain"),
        request.connection_alias is not None and api.alias_problem(request.connection_alias),
        wait_timeout_problem(request.wait_timeout),
    )
    return next((problem for problem in problems if problem), None)


def domain_problem(domain: Dict[str, Optional[str]], option: str) -> Optional[str]:
    """The rule a domain given as module options breaks, or None when it is valid (both APIs share them)."""
    name = domain.get("domain_name") or ""
    if not 3 <= len(name) <= 28 or not re.fullmatch(DOMAIN_NAME_PATTERN, name):
        return (
            f"{option}.domain_name must be 3 to 28 characters, start with a lowercase letter and hold only"
            f" lowercase letters, digits and hyphens, got '{name}'"
        )
    owner = domain.get("owner_id")
    if owner is not None:
        return owner_id_problem(owner, f"{option}.owner_id")
    return None


def owner_id_problem(owner: object, option: str) -> Optional[str]:
    if not isinstance(owner, str) or not re.fullmatch(OWNER_ID_PATTERN, owner):
        return f"{option} must be a 12-digit AWS account id, got '{owner}'"
    return None


def wait_timeout_problem(wait_timeout: int) -> Optional[str]:
    if wait_timeout < 1:
        return f"wait_timeout must be at least 1 second, got {wait_timeout}"
    return None

