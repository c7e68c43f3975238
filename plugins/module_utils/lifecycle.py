# -*- coding: utf-8 -*-

# Copyright: Contributors to the aws_search.cross_cluster project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""How connections move from status to status, and what each state asks of each status, in both directions.

Each state is a row of data, the way Terraform's waiters list their statuses: the action that starts the
way there and the statuses it acts on, the statuses still on the way (pending) and those where the way
ends (target), and what is ok, a warning or a failure on the way. Pure functions, no AWS calls.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field
from typing import Dict
from typing import Mapping
from typing import Optional
from typing import Tuple

from ansible_collections.aws_search.cross_cluster.plugins.module_utils.api_differences import INBOUND_STATUSES
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.api_differences import OUTBOUND_STATUSES
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.api_differences import PENDING
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.api_differences import ConnectionApi
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.api_differences import connection_status

Statuses = Tuple[Optional[str], ...]

REJECTED_STATUSES = ("REJECTING", "REJECTED")
ACCEPTED_STATUSES = ("APPROVED", "PROVISIONING", "ACTIVE")
DELETED_STATUSES = ("DELETING", "DELETED")
LIVE_INBOUND = (PENDING,) + REJECTED_STATUSES + ACCEPTED_STATUSES
KNOWN_INBOUND = INBOUND_STATUSES
# A REJECTING request is on its way to REJECTED: present asks anew rather than wait for a refusal.
NOT_LIVE_OUTBOUND = ("VALIDATION_FAILED",) + REJECTED_STATUSES + DELETED_STATUSES
LIVE_OUTBOUND = tuple(status for status in OUTBOUND_STATUSES if status not in NOT_LIVE_OUTBOUND)
STATUS_AFTER_ACTION = {"reject": "REJECTING", "accept": "APPROVED", "delete": "DELETING", "create": "VALIDATING"}

NOT_FOUND = (
    "no inbound connection with this id was found; check connection_id, and that api and region are those"
    " of the domain that received the request"
)
UNKNOWN_STATUS = "its status {status} is not one this module knows, so it changes nothing"
NEW_REQUEST = "the source domain's owner has to request a new connection"


@dataclass(frozen=True)
class Plan:
    """action: the API action to take (None: nothing to do); failure: why the state cannot be reached."""

    action: Optional[str] = None
    failure: Optional[str] = None
    warning: Optional[str] = None


@dataclass(frozen=True)
class Row:
    """One state of one direction. Messages may name {status}; None in a status list means "not found"."""

    action: str
    acts_on: Statuses
    pending: Tuple[str, ...]
    target: Statuses
    ok: Statuses = ()
    warnings: Tuple[Tuple[Statuses, str], ...] = ()
    failures: Tuple[Tuple[Statuses, str], ...] = ()
    # Where waiting from a pending status ends, when not in the first target status.
    settles_in: Mapping[str, str] = field(default_factory=dict)
    # Target statuses where waiting ends in failure; messages may name {status} and AWS's {message}.
    failed_endings: Tuple[Tuple[Statuses, str], ...] = ()
    # The error codes after which another run (or a lost reply) may have done the action: read again then.
    # None: any error AWS answers.
    raced_by: Optional[Tuple[str, ...]] = None


INBOUND_ROWS: Dict[str, Row] = {
    "rejected": Row(
        action="reject",
        acts_on=(PENDING,),
        pending=("REJECTING",),
        target=("REJECTED",),
        ok=REJECTED_STATUSES,
        warnings=((DELETED_STATUSES, "the connection is deleted ({status}), so there is nothing left to reject"),),
        failures=(
            ((None,), NOT_FOUND),
            (
                ACCEPTED_STATUSES,
                "it is already accepted ({status}) and an accepted connection cannot be rejected;"
                " use state=absent to delete it",
            ),
        ),
    ),
    "accepted": Row(
        action="accept",
        acts_on=(PENDING,),
        pending=("APPROVED", "PROVISIONING"),
        target=("ACTIVE",),
        ok=ACCEPTED_STATUSES,
        failures=(
            ((None,), NOT_FOUND),
            (
                REJECTED_STATUSES,
                "it is rejected ({status}) and a rejected connection cannot be accepted; " + NEW_REQUEST,
            ),
            (DELETED_STATUSES, "it is deleted ({status}) and a deleted connection cannot be accepted; " + NEW_REQUEST),
        ),
    ),
    "absent": Row(
        action="delete",
        acts_on=LIVE_INBOUND,
        pending=("DELETING",),
        target=("DELETED", None),
        ok=(None,) + DELETED_STATUSES,
    ),
}

OUTBOUND_ROWS: Dict[str, Row] = {
    # A live match is left as it is; the module creates a connection only when it finds none.
    "present": Row(
        action="create",
        acts_on=(None,),
        pending=("VALIDATING", "PROVISIONING"),
        target=(PENDING, "APPROVED", "ACTIVE", "VALIDATION_FAILED") + REJECTED_STATUSES + DELETED_STATUSES,
        ok=LIVE_OUTBOUND,
        settles_in={"VALIDATING": PENDING, "PROVISIONING": "ACTIVE"},
        raced_by=("ResourceAlreadyExistsException",),
        failed_endings=(
            (
                ("VALIDATION_FAILED",),
                "it failed validation: {message} Check remote_domain (name, owner_id and region) and that both"
                " domains run versions that can connect",
            ),
        ),
    ),
    "absent": Row(
        action="delete",
        acts_on=tuple(status for status in OUTBOUND_STATUSES if status not in DELETED_STATUSES),
        pending=("DELETING",),
        target=("DELETED", None),
        ok=(None,) + DELETED_STATUSES,
    ),
}

ROWS = {"inbound": INBOUND_ROWS, "outbound": OUTBOUND_ROWS}


@dataclass(frozen=True)
class Lifecycle:
    """The row of one state, seen through one API (which may show several statuses as one)."""

    state: str
    row: Row
    api: ConnectionApi
    direction: str
    target: Statuses = field(init=False)
    pending: Statuses = field(init=False)

    def __post_init__(self) -> None:
        target = tuple(dict.fromkeys(self.api.shown(self.direction, status) for status in self.row.target))
        shown = (self.api.shown(self.direction, status) for status in self.row.pending)
        object.__setattr__(self, "target", target)
        object.__setattr__(self, "pending", tuple(status for status in dict.fromkeys(shown) if status not in target))

    @property
    def settled(self) -> Optional[str]:
        """The status the connection ends in once it has reached the state."""
        return self.target[0]

    def plan(self, status: Optional[str]) -> Plan:
        row = self.row
        if status in row.acts_on:
            return Plan(action=row.action)
        if status in row.ok:
            return Plan()
        warning = _message_for(row.warnings, status)
        if warning:
            return Plan(warning=warning)
        return Plan(failure=_message_for(row.failures, status) or UNKNOWN_STATUS.format(status=status))

    def in_transit(self, status: Optional[str]) -> bool:
        """True when status is on its way to the target and will move on by itself."""
        return status in self.pending

    def leads_to(self, status: Optional[str]) -> bool:
        """True when status is where this state's action leads: on the way, or arrived."""
        return status in self.pending or status in self.target

    def settles_in(self, status: Optional[str]) -> Optional[str]:
        """The status that waiting from status ends in."""
        return self.api.shown(self.direction, self.row.settles_in.get(status or "", self.row.target[0]))

    def predicted(self, status: Optional[str], wait: bool) -> Optional[str]:
        """The status a real run reports, for check mode and diff."""
        action = self.plan(status).action
        after = STATUS_AFTER_ACTION[action] if action else status
        if wait and (action is not None or self.in_transit(status)):
            return self.settles_in(after)
        return after

    def may_be_raced(self, code: Optional[str]) -> bool:
        """True when an action refused with code may have been done by another run, or by an earlier attempt."""
        return self.row.raced_by is None or code in self.row.raced_by

    def failed_ending(self, connection: Optional[dict]) -> Optional[str]:
        """Why waiting that ended with this connection is a failure, or None."""
        status = connection_status(connection)
        message = (connection or {}).get("ConnectionStatus", {}).get("Message", "")
        endings = self.row.failed_endings
        return next((text.format(status=status, message=message) for found, text in endings if status in found), None)


def _message_for(messages: Tuple[Tuple[Statuses, str], ...], status: Optional[str]) -> Optional[str]:
    return next((message.format(status=status) for statuses, message in messages if status in statuses), None)


def lifecycle(direction: str, state: str, api: ConnectionApi) -> Lifecycle:
    return Lifecycle(state, ROWS[direction][state], api, direction)


def is_live_outbound(connection: Optional[dict]) -> bool:
    return connection is not None and connection_status(connection) not in NOT_LIVE_OUTBOUND
