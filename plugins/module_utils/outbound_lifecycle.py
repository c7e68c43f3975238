# -*- coding: utf-8 -*-

# Copyright: Contributors to the aws_search.cross_cluster project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""How outbound connections move, and what deleting one asks of each status. Pure functions, no AWS calls."""

from __future__ import annotations

from typing import Optional

from ansible_collections.aws_search.cross_cluster.plugins.module_utils.connection_api import ConnectionApi
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.connection_api import connection_status
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.lifecycle import Lifecycle
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.lifecycle import Plan

OUTBOUND_STATUSES = (
    "VALIDATING",
    "VALIDATION_FAILED",
    "PENDING_ACCEPTANCE",
    "APPROVED",
    "PROVISIONING",
    "ACTIVE",
    "REJECTING",
    "REJECTED",
    "DELETING",
    "DELETED",
)
NOT_LIVE = ("VALIDATION_FAILED", "REJECTED", "DELETING", "DELETED")
GONE = ("DELETING", "DELETED")
# With state=present and wait, the module waits while the connection is in one of these.
MOVING_WHEN_PRESENT = ("VALIDATING", "PROVISIONING")


def is_live(connection: Optional[dict]) -> bool:
    return connection is not None and connection_status(connection) not in NOT_LIVE


def plan_outbound_absent(state: str, status: Optional[str]) -> Plan:
    if status is None or status in GONE:
        return Plan()
    if status not in OUTBOUND_STATUSES:
        return Plan(failure=f"its status {status} is not one this module knows, so it changes nothing")
    return Plan(action="delete")


def _deleted(state: str, api: ConnectionApi) -> str:
    return "DELETED"


OUTBOUND = Lifecycle(
    plan=plan_outbound_absent,
    paths={"absent": GONE},
    settled=_deleted,
    status_after={"delete": "DELETING"},
)
