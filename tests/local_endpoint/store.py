"""Cross-cluster connections as the service keeps them, independent of which API shows them."""

from __future__ import annotations

import secrets
import threading
import time
from dataclasses import dataclass
from dataclasses import field
from typing import Callable
from typing import Dict
from typing import List
from typing import Optional
from typing import Set
from typing import Tuple

NEXT_STATUS = {
    "VALIDATING": "PENDING_ACCEPTANCE",
    "REJECTING": "REJECTED",
    "APPROVED": "PROVISIONING",
    "PROVISIONING": "ACTIVE",
    "DELETING": "DELETED",
}
INBOUND_ACTIONS = {
    "accept": ("PENDING_ACCEPTANCE",),
    "reject": ("PENDING_ACCEPTANCE",),
    "delete": ("PENDING_ACCEPTANCE", "APPROVED", "PROVISIONING", "ACTIVE", "REJECTING", "REJECTED"),
}
STATUS_AFTER = {"accept": "APPROVED", "reject": "REJECTING", "delete": "DELETING"}
NOT_LIVE = ("VALIDATION_FAILED", "REJECTING", "REJECTED", "DELETING", "DELETED")
NOT_YET_INBOUND = ("VALIDATING", "VALIDATION_FAILED")
MAX_CONNECTIONS = 20
PAST_TENSE = {"accept": "accepted", "reject": "rejected", "delete": "deleted"}
MESSAGES = {
    "PENDING_ACCEPTANCE": "Connection is waiting for the destination domain owner.",
    "APPROVED": "Connection was accepted.",
    "PROVISIONING": "Connection is being provisioned.",
    "ACTIVE": "Connection is active.",
    "REJECTING": "Connection is being rejected.",
    "REJECTED": "Connection was rejected.",
    "DELETING": "Connection is being deleted.",
    "DELETED": "Connection was deleted.",
    "VALIDATING": "Connection is being validated.",
    "VALIDATION_FAILED": "Remote domain not found.",
}
SDK_MISMATCH = (
    "Connection created using Amazon OpenSearch Service SDK cannot be accepted with Amazon Elasticsearch Service SDK"
)


class AwsError(Exception):
    """An error the endpoint answers the way AWS does: an error code and a message (status: its HTTP status when
    not the one the service's model gives the code)."""

    def __init__(self, code: str, message: str, status: Optional[int] = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status


@dataclass(frozen=True)
class Caller:
    """Who signed a request (the key pair's account), and for which region and service (the SigV4 credential
    scope's)."""

    account: str
    region: str
    service: str = ""


@dataclass
class Domain:
    owner_id: str
    domain_name: str
    region: str


@dataclass
class HostedDomain:
    """A domain an account runs in a region, as ListDomainNames, ListTags and DescribeDomains show it: its access
    policy (a JSON string, "" for none), its VPC (None: a public domain), fine-grained access control, and the
    principals authorized to create VPC endpoints to it ((AWS_ACCOUNT or AWS_SERVICE, principal), in order)."""

    owner_id: str
    region: str
    domain_name: str
    engine_type: str = "OpenSearch"
    tags: Dict[str, str] = field(default_factory=dict)
    access_policy: str = ""
    vpc_id: Optional[str] = None
    fine_grained: bool = False
    internal_user_database: bool = False
    anonymous_auth: bool = False
    vpc_access: List[Tuple[str, str]] = field(default_factory=list)
    # The access policy's version and time of change, as DescribeDomainConfig shows them.
    policy_version: int = 1
    policy_updated: float = 1700000000.0

    @property
    def arn(self) -> str:
        return f"arn:aws:es:{self.region}:{self.owner_id}:domain/{self.domain_name}"


@dataclass
class Connection:
    connection_id: str
    source: Domain
    destination: Domain
    status: str
    status_since: float
    created_with: str = "es"
    alias: str = ""
    mode: str = "DIRECT"
    message: str = ""
    remote_found: bool = True
    skip_unavailable: str = "DISABLED"
    previous_status: Optional[str] = None
    stale_reads_left: int = 0

    def is_live(self) -> bool:
        return self.status not in NOT_LIVE

    def status_message(self, status: Optional[str] = None) -> str:
        if status and status != self.status:
            return MESSAGES.get(status, "")
        return self.message or MESSAGES.get(self.status, "")


@dataclass
class Store:
    """All connections, with statuses that move on by themselves after transition_seconds.

    Each connection lives in one region: an inbound one in its destination domain's, an outbound one in its source
    domain's, and only requests signed for that region see it. With stale_seconds, a describe still shows a
    connection's previous status for that long after each change, as AWS's eventually consistent reads can; with
    stale_reads, the next that many describes after each action show it, whatever the time (for tests that must
    meet a lagging read however slow the machine is). stale_served counts the describes that showed one.
    """

    transition_seconds: float = 0.5
    stale_seconds: float = 0.0
    stale_reads: int = 0
    stale_served: int = 0
    clock: Callable[[], float] = time.monotonic
    connections: Dict[str, Connection] = field(default_factory=dict)
    domains: List[Domain] = field(default_factory=list)
    # The hosted domains by account and region, as every call reads them: an estate of 10,000 domains is not scanned
    # for each call.
    hosted: Dict[Tuple[str, str], List[HostedDomain]] = field(default_factory=dict)
    # AWS Security Hub: the (account, region) pairs where it is enabled, and their findings by id.
    hubs: Set[Tuple[str, str]] = field(default_factory=set)
    hub_findings: Dict[Tuple[str, str], Dict[str, dict]] = field(default_factory=dict)
    lock: threading.RLock = field(default_factory=threading.RLock)

    def add(self, connection: Connection) -> Connection:
        with self.lock:
            self.connections[connection.connection_id] = connection
            return connection

    def new_id(self) -> str:
        return "cc-" + secrets.token_hex(8)

    def add_hosted(self, domains: List[HostedDomain]) -> None:
        with self.lock:
            for domain in domains:
                self.hosted.setdefault((domain.owner_id, domain.region), []).append(domain)

    def hosted_for(self, caller: Caller) -> List[HostedDomain]:
        """The domains of the caller's account in the caller's region."""
        with self.lock:
            return list(self.hosted.get((caller.account, caller.region), ()))

    def inbound_for(self, caller: Caller) -> List[Connection]:
        """The connections to the caller's domains in the caller's region, once validated, oldest first."""
        with self.lock:
            found = [c for c in self.everything() if _inbound_of(c, caller)]
            return [c for c in found if c.status not in NOT_YET_INBOUND]

    def outbound_for(self, caller: Caller) -> List[Connection]:
        """The connections from the caller's domains in the caller's region, oldest first."""
        with self.lock:
            return [c for c in self.everything() if _outbound_of(c, caller)]

    def visible_status(self, connection: Connection) -> str:
        """The status a describe shows: the previous one for stale_seconds, or stale_reads describes, after a change."""
        with self.lock:
            lagging = self.clock() - connection.status_since < self.stale_seconds or connection.stale_reads_left > 0
            if not (lagging and connection.previous_status):
                return connection.status
            connection.stale_reads_left = max(connection.stale_reads_left - 1, 0)
            self.stale_served += 1
            return connection.previous_status

    def create_outbound(self, connection: Connection) -> Connection:
        """Request a connection; it validates, then waits for the destination domain's owner."""
        with self.lock:
            live = [c for c in self.everything() if c.is_live()]
            if any(_same_request(c, connection) for c in live):
                raise AwsError("ResourceAlreadyExistsException", "A connection with this alias already exists.")
            if sum(c.source == connection.source for c in live) >= MAX_CONNECTIONS:
                raise AwsError("LimitExceededException", "The source domain has 20 outbound connections already.")
            if sum(c.destination == connection.destination for c in live) >= MAX_CONNECTIONS:
                raise AwsError("LimitExceededException", "The destination domain has 20 inbound connections already.")
            connection.remote_found = connection.destination in self.domains
            connection.status, connection.status_since = "VALIDATING", self.clock()
            return self.add(connection)

    def delete_outbound(self, caller: Caller, connection_id: str) -> Connection:
        with self.lock:
            connection = self._owned(connection_id, lambda c: _outbound_of(c, caller), "Outbound")
            if connection.status in ("DELETING", "DELETED"):
                raise AwsError("ValidationException", f"Connection {connection_id} is {connection.status} already.")
            self.set_status(connection, "DELETING")
            return connection

    def everything(self) -> List[Connection]:
        with self.lock:
            for connection in self.connections.values():
                self._advance(connection)
            return list(self.connections.values())

    def act_on_inbound(self, caller: Caller, connection_id: str, action: str, api: str) -> Connection:
        with self.lock:
            connection = self._owned(connection_id, lambda c: _inbound_of(c, caller), "Inbound")
            if connection.status in NOT_YET_INBOUND:
                raise AwsError("ResourceNotFoundException", f"Inbound connection {connection_id} not found.")
            if action == "accept" and api == "es" and connection.created_with == "opensearch":
                raise AwsError("ValidationException", SDK_MISMATCH)
            if connection.status not in INBOUND_ACTIONS[action]:
                raise AwsError(
                    "ValidationException",
                    f"Connection {connection_id} is {connection.status} and cannot be {PAST_TENSE[action]}.",
                )
            self.set_status(connection, STATUS_AFTER[action])
            return connection

    def set_status(self, connection: Connection, status: str) -> None:
        connection.previous_status = connection.status
        connection.status = status
        connection.status_since = self.clock()
        connection.message = ""
        connection.stale_reads_left = self.stale_reads

    def _owned(self, connection_id: str, owns: Callable[[Connection], bool], direction: str) -> Connection:
        connection = self.connections.get(connection_id)
        if connection is None or not owns(connection):
            raise AwsError("ResourceNotFoundException", f"{direction} connection {connection_id} not found.")
        self._advance(connection)
        return connection

    def _advance(self, connection: Connection) -> None:
        while connection.status in NEXT_STATUS:
            moves_at = connection.status_since + self.transition_seconds
            if self.clock() < moves_at:
                return
            validated = connection.status != "VALIDATING" or connection.remote_found
            connection.previous_status = connection.status
            connection.status = NEXT_STATUS[connection.status] if validated else "VALIDATION_FAILED"
            connection.status_since = moves_at
            connection.message = ""


def _inbound_of(connection: Connection, caller: Caller) -> bool:
    return (connection.destination.owner_id, connection.destination.region) == (caller.account, caller.region)


def _outbound_of(connection: Connection, caller: Caller) -> bool:
    return (connection.source.owner_id, connection.source.region) == (caller.account, caller.region)


def _same_request(one: Connection, other: Connection) -> bool:
    return (one.source, one.destination, one.alias) == (other.source, other.destination, other.alias)
