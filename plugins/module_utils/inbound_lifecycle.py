# -*- coding: utf-8 -*-

# Copyright: Contributors to the aws_search.cross_cluster project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""What to do with an inbound connection, given the state asked for and the status found.

Pure functions, no AWS calls: this is the decision table of the inbound_connection module.
"""

from __future__ import annotations

from typing import Optional

from ansible_collections.aws_search.cross_cluster.plugins.module_utils.connection_api import ConnectionApi
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.lifecycle import Lifecycle
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.lifecycle import Plan

NOT_FOUND = (
    "no inbound connection with this id was found; check connection_id, and that api and region are those"
    " of the domain that received the request"
)
PENDING = "PENDING_ACCEPTANCE"
REJECTED_STATUSES = ("REJECTING", "REJECTED")
ACCEPTED_STATUSES = ("APPROVED", "PROVISIONING", "ACTIVE")
DELETED_STATUSES = ("DELETING", "DELETED")
LIVE_STATUSES = (PENDING,) + REJECTED_STATUSES + ACCEPTED_STATUSES

ACTION_FOR_STATE = {"rejected": "reject", "accepted": "accept", "absent": "delete"}
STATUS_AFTER_ACTION = {"reject": "REJECTING", "accept": "APPROVED", "delete": "DELETING"}
PATH_TO_STATE = {
    "rejected": ("REJECTING", "REJECTED"),
    "accepted": ("APPROVED", "PROVISIONING", "ACTIVE"),
    "absent": ("DELETING", "DELETED"),
}


def plan_inbound(state: str, status: Optional[str]) -> Plan:
    if status is None:
        return Plan() if state == "absent" else Plan(failure=NOT_FOUND)
    if status in DELETED_STATUSES:
        return _plan_for_deleted(state, status)
    if status not in LIVE_STATUSES:
        return Plan(failure=f"its status {status} is not one this module knows, so it changes nothing")
    if state == "absent" or status == PENDING:
        return Plan(action=ACTION_FOR_STATE[state])
    if state == "rejected" and status in ACCEPTED_STATUSES:
        return Plan(
            failure=f"it is already accepted ({status}) and an accepted connection cannot be rejected;"
            " use state=absent to delete it"
        )
    if state == "accepted" and status in REJECTED_STATUSES:
        return Plan(
            failure=f"it is rejected ({status}) and a rejected connection cannot be accepted;"
            " the source domain's owner has to request a new connection"
        )
    return Plan()


def _plan_for_deleted(state: str, status: str) -> Plan:
    if state == "absent":
        return Plan()
    if state == "rejected":
        return Plan(warning=f"the connection is deleted ({status}), so there is nothing left to reject")
    return Plan(
        failure=f"it is deleted ({status}) and a deleted connection cannot be accepted;"
        " the source domain's owner has to request a new connection"
    )


def settled_status(state: str, api: ConnectionApi) -> str:
    """The status a connection ends in once it has reached state."""
    if state == "accepted":
        return api.accepted_settles_in
    return PATH_TO_STATE[state][-1]


INBOUND = Lifecycle(plan=plan_inbound, paths=PATH_TO_STATE, settled=settled_status, status_after=STATUS_AFTER_ACTION)
