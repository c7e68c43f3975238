"""The service state behind the HTTP handler: connections, key pairs, injected faults and the call log."""

from __future__ import annotations

import math
import secrets
import threading
import time
from dataclasses import dataclass
from dataclasses import field
from typing import Dict
from typing import List
from typing import Optional
from typing import Set

from . import regions
from .sigv4 import KeyPair
from .store import AwsError
from .store import Caller
from .store import Store
from .wire import Route
from .wire import build_routes

DEFAULT_KEYS = (
    KeyPair("AKIDLOCALOWNERA0001", "local-secret-owner-a", "111111111111"),
    KeyPair("AKIDLOCALOWNERB0002", "local-secret-owner-b", "222222222222"),
)


FAULT_KINDS = ("error", "reset", "slow", "garbage", "lost_reply", "change")


@dataclass
class Fault:
    """The next count calls of operation fail: kind error answers code (with http_status, if given, instead of the
    model's), reset closes the connection, slow answers after delay seconds, garbage answers 200 with HTML,
    lost_reply carries the operation out and then closes the connection without answering, change carries it out
    after set_status or set_access_policy (another actor's change just before it). With forget, the connection is
    removed first, as if AWS had forgotten it long after its deletion; with set_access_policy, the caller's domain
    named DomainName gets that access policy first."""

    operation: str
    count: int
    code: str
    message: str
    set_status: Optional[str] = None
    kind: str = "error"
    http_status: Optional[int] = None
    delay: float = 0.0
    forget: bool = False
    set_access_policy: Optional[str] = None
    # Only for AssumeRole of this role (the query protocol's RoleArn), when given.
    role_arn: Optional[str] = None


@dataclass
class Endpoint:
    """The service state behind the HTTP handler: connections, key pairs, faults and the call log."""

    store: Store = field(default_factory=Store)
    keys: Dict[str, KeyPair] = field(default_factory=lambda: {k.access_key: k for k in DEFAULT_KEYS})
    faults: List[Fault] = field(default_factory=list)
    calls: List[dict] = field(default_factory=list)
    crashes: List[str] = field(default_factory=list)
    routes: List[Route] = field(default_factory=build_routes)
    # How long AssumeRole's temporary keys last; 0: until 2099.
    session_seconds: float = 0.0
    # Seconds every AWS call waits before its answer, as AWS's round trip does (benchmarks); 0: none.
    latency_seconds: float = 0.0
    # The roles (path and name) each account has, where a test named them; any role of a known account otherwise.
    roles: Dict[str, Set[str]] = field(default_factory=dict)
    # The opt-in regions each account has enabled.
    opted_in: Dict[str, Set[str]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def log(self, entry: dict) -> None:
        with self.lock:
            self.calls.append(entry)

    def crashed(self, trace: str) -> None:
        with self.lock:
            self.crashes.append(trace)

    def take_fault(self, operation: str, role_arn: Optional[str] = None) -> Optional[Fault]:
        with self.lock:
            for fault in self.faults:
                if fault.role_arn not in (None, role_arn):
                    continue
                if fault.operation == operation and fault.count > 0:
                    fault.count -= 1
                    return fault
        return None

    def reset(self) -> None:
        with self.lock:
            self.faults.clear()
            self.calls.clear()
        with self.store.lock:
            self.store.connections.clear()
            self.store.domains.clear()
            self.store.hosted.clear()
            self.store.hubs.clear()
            self.store.hub_findings.clear()
        with self.lock:
            self.opted_in.clear()
            self.roles.clear()
            self.session_seconds = 0.0
            self.latency_seconds = 0.0

    def account_keys(self, account: str) -> KeyPair:
        """A long-term key pair of account (the same one each time), known from now on."""
        key = KeyPair(f"AKIDLOCAL{account}", f"local-secret-{account}", account)
        with self.lock:
            self.keys.setdefault(key.access_key, key)
        return key

    def temporary_keys(self, account: str) -> KeyPair:
        """Temporary credentials of account, with a session token, as STS AssumeRole hands them out."""
        serial = secrets.token_hex(4).upper()
        # Whole seconds, as STS's Expiration shows them.
        expires = float(math.ceil(time.time() + self.session_seconds)) if self.session_seconds else 0.0
        key = KeyPair(
            f"ASIALOCAL{account[-6:]}{serial}", secrets.token_hex(16), account, secrets.token_hex(24), expires
        )
        with self.lock:
            self.keys[key.access_key] = key
        return key

    def enable_regions(self, account: str, opted_in: Set[str]) -> None:
        with self.lock:
            self.opted_in[account] = set(opted_in)

    def opted_in_regions(self, account: str) -> Set[str]:
        with self.lock:
            return set(self.opted_in.get(account, ()))

    def check_region(self, caller: Caller) -> None:
        """AwsError, as AWS answers it, for a request signed for an opt-in region the caller's account has not
        enabled."""
        if not regions.is_enabled(caller.region, self.opted_in_regions(caller.account)):
            raise AwsError(*regions.refusal(caller.service))

    def add_roles(self, account: str, roles: Set[str]) -> None:
        with self.lock:
            self.roles[account] = set(roles)

    def knows_role(self, account: str, role: str) -> bool:
        """True when account is known and has role (any role, unless the account's roles were named)."""
        with self.lock:
            named = self.roles.get(account)
        return self.knows_account(account) and (named is None or role in named)

    def knows_account(self, account: str) -> bool:
        with self.lock:
            return any(key.account == account for key in self.keys.values())
