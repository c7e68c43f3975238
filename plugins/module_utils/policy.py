# -*- coding: utf-8 -*-

# Copyright: Contributors to the aws_search.cross_cluster project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The inbound_connection_policy module: one listing, then every decision the allowlist calls for.

Each decision is a state of the inbound lifecycle (rejected, accepted or absent), carried out by the same
engine as inbound_connection (plan, act, race rule), on the connection the listing found.
"""

from __future__ import annotations

import dataclasses
import datetime
import fnmatch
import functools
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from dataclasses import field
from typing import Any
from typing import Dict
from typing import FrozenSet
from typing import List
from typing import Optional
from typing import Tuple

from ansible_collections.aws_search.cross_cluster.plugins.module_utils.api_calls import Connections
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.api_differences import PENDING
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.api_differences import connection_status
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.aws_failures import ConnectionApiError
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.engine import StateRequest
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.engine import by_id
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.engine import follow
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.input_checks import GLOB_KEYS
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.lifecycle import ACCEPTED_STATUSES
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.lifecycle import KNOWN_INBOUND
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.lifecycle import Plan
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.lifecycle import lifecycle
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.results import ConnectionStateError

LIST_NAMES = {"reject": "rejected", "accept": "accepted", "delete": "deleted"}


@dataclass(frozen=True)
class Rule:
    """An allow entry: what it allows (source accounts, one id or a set of them; an organization; address ranges; a
    service; or every user who signs in to the domain), and shell-style globs on the source and destination domains.
    Matching an account is a set lookup, however many accounts the entry names. Only an entry of accounts admits a
    connection: a connection does not say its source's organization, addresses or service."""

    owners: FrozenSet[str]
    domain_name: str = "*"
    region: str = "*"
    destination_domain_name: str = "*"
    organization_id: Optional[str] = None
    source_ips: Tuple[str, ...] = ()
    service: Optional[str] = None
    authenticated: bool = False
    # An exception: its name, and the last day (UTC) it allows anything; from the day after, it is expired.
    name: Optional[str] = None
    expires: Optional[str] = None
    expired: bool = False

    def __post_init__(self) -> None:
        if isinstance(self.owners, str):
            object.__setattr__(self, "owners", frozenset((self.owners,)))

    @classmethod
    def from_entry(cls, entry: Dict[str, Any], today: Optional[datetime.date] = None) -> "Rule":
        listed = entry.get("owner_ids") or ([entry["owner_id"]] if entry.get("owner_id") else [])
        globs = {key: value for key, value in entry.items() if key in GLOB_KEYS and value is not None}
        expires = str(entry["expires"]) if entry.get("expires") is not None else None
        return cls(
            frozenset(listed),
            organization_id=entry.get("organization_id"),
            source_ips=tuple(entry.get("source_ips") or ()),
            service=entry.get("service"),
            authenticated=entry.get("authenticated") is True,
            name=entry.get("name"),
            expires=expires,
            expired=bool(expires) and (today or utc_today()) > datetime.date.fromisoformat(expires),
            **globs,
        )

    def in_force(self) -> "Rule":
        """The same entry as if it had not expired: what it would allow."""
        return dataclasses.replace(self, expired=False)

    def matches(self, source: Dict[str, Optional[str]], destination_name: Optional[str]) -> bool:
        globs = (
            (source.get("domain_name"), self.domain_name),
            (source.get("region"), self.region),
            (destination_name, self.destination_domain_name),
        )
        same_owner = source.get("owner_id") in self.owners and not self.expired
        return same_owner and all(fnmatch.fnmatchcase(value or "", glob) for value, glob in globs)

    def reaches(self, destination_name: str) -> bool:
        """The entry covers this destination domain (every path but connections: no source domain to match), and has
        not expired."""
        return not self.expired and fnmatch.fnmatchcase(destination_name, self.destination_domain_name)

    @property
    def whole_account(self) -> bool:
        """Not narrowed to a source domain or region: an access policy or VPC endpoint grant has no source domain, so
        only such an entry allows one."""
        return self.domain_name == "*" and self.region == "*"


def utc_today() -> datetime.date:
    return datetime.datetime.now(datetime.timezone.utc).date()


def unexpired(rules: Tuple[Rule, ...]) -> Tuple[Rule, ...]:
    return tuple(rule.in_force() for rule in rules)


@dataclass(frozen=True)
class PolicyRequest:
    """The inbound_connection_policy module's options."""

    allow: Tuple[Rule, ...]
    destination_domain_names: Tuple[str, ...] = ()
    allowed: str = "leave"
    unlisted: str = "reject"
    revoke: bool = False
    max_concurrency: int = 4

    @classmethod
    def from_params(cls, params: Dict[str, Any]) -> "PolicyRequest":
        return cls(
            allow=tuple(Rule.from_entry(entry) for entry in params["allow"]),
            destination_domain_names=tuple(params["destination_domain_names"] or ()),
            allowed=params["allowed"],
            unlisted=params["unlisted"],
            revoke=params["revoke"],
            max_concurrency=params["max_concurrency"],
        )


@dataclass
class Decision:
    """What the policy decided for one connection, and, once carried out, where the connection is."""

    connection: dict
    connection_id: str
    source: Dict[str, Optional[str]]
    destination_domain_name: Optional[str]
    rule: Optional[int]
    state: Optional[str]
    plan: Plan
    own_account: bool = False
    expired_rule: Optional[int] = None
    status: Optional[str] = None
    changed: bool = False
    failure: Optional[str] = None
    warnings: List[str] = field(default_factory=list)

    @property
    def previous_status(self) -> Optional[str]:
        return connection_status(self.connection)

    @property
    def action(self) -> Optional[str]:
        return self.plan.action

    @property
    def allowed(self) -> bool:
        """An entry allows it, or it comes from the destination domain's own account (always allowed)."""
        return self.own_account or self.rule is not None


@dataclass
class PolicyResult:
    decisions: List[Decision]
    warnings: List[str] = field(default_factory=list)

    @property
    def failures(self) -> List[str]:
        return [decision.failure for decision in self.decisions if decision.failure]


def first_match(rules: Tuple[Rule, ...], source: Dict[str, Optional[str]], destination: Optional[str]) -> Optional[int]:
    """The index of the first rule that allows the connection, None when none does."""
    return next((index for index, rule in enumerate(rules) if rule.matches(source, destination)), None)


def decided_state(status: Optional[str], allowed: bool, request: PolicyRequest) -> Optional[str]:
    """The inbound state the policy asks for a connection in status, None to leave it alone."""
    if status == PENDING:
        if allowed:
            return "accepted" if request.allowed == "accept" else None
        return "rejected" if request.unlisted == "reject" else None
    if status in ACCEPTED_STATUSES and not allowed and request.revoke:
        return "absent"
    return None


def decide(connections: Connections, connection: dict, request: PolicyRequest) -> Decision:
    api = connections.api
    source = api.domain_of(connection, "source")
    destination = api.domain_of(connection, "destination")
    name = destination["domain_name"]
    rule = first_match(request.allow, source, name)
    own = bool(source.get("owner_id")) and source.get("owner_id") == destination.get("owner_id")
    expired = None if own or rule is not None else first_match(unexpired(request.allow), source, name)
    status = connection_status(connection)
    state = decided_state(status, own or rule is not None, request)
    plan = lifecycle("inbound", state, api).plan(status) if state else Plan()
    return Decision(connection, connection[api.id_key], source, name, rule, state, plan, own, expired, status)


def carry_out(connections: Connections, check_mode: bool, decision: Decision) -> Decision:
    """Bring one connection to its decided state through the inbound engine; a failure is kept, not raised."""
    if decision.state is None:
        return decision
    target = by_id(connections, lifecycle("inbound", decision.state, connections.api), decision.connection_id)
    request = StateRequest(connections.subject(decision.connection_id))
    try:
        result = follow(target, request, decision.connection, decision.plan, check_mode)
    except ConnectionApiError as error:
        decision.failure = f"{error.message}: {error.exception}"
    except ConnectionStateError as error:
        decision.failure = str(error)
    else:
        decision.status, decision.changed, decision.warnings = result.status, result.changed, result.warnings
    return decision


def apply_policy(connections: Connections, request: PolicyRequest, check_mode: bool) -> PolicyResult:
    filters = {"destination_domain_names": list(request.destination_domain_names)}
    found = connections.list(filters if request.destination_domain_names else None)
    decisions = [decide(connections, connection, request) for connection in found]
    run = functools.partial(carry_out, connections, check_mode)
    with ThreadPoolExecutor(max_workers=request.max_concurrency) as pool:
        decisions = list(pool.map(run, decisions))
    warnings = [unknown_status_warning(d) for d in decisions if _is_unknown(d)]
    return PolicyResult(decisions, warnings + [warning for decision in decisions for warning in decision.warnings])


def _is_unknown(decision: Decision) -> bool:
    return decision.previous_status not in KNOWN_INBOUND


def unknown_status_warning(decision: Decision) -> str:
    return (
        f"inbound connection '{decision.connection_id}' has the status {decision.previous_status}, which this"
        " module does not know, so the policy left it alone"
    )


def decision_output(decision: Decision) -> Dict[str, Any]:
    return {
        "connection_id": decision.connection_id,
        "source": decision.source,
        "destination_domain_name": decision.destination_domain_name,
        "previous_status": decision.previous_status,
        "status": decision.status,
        "action": decision.action or "none",
        "allowed": decision.allowed,
        "rule": decision.rule,
        "expired_rule": decision.expired_rule,
        "failure": decision.failure,
    }


PLAN_WORDS = {
    "accept": "account {owner} is accepted into {domain} ({region}, connection {cid})",
    "reject": "account {owner}'s request to {domain} is rejected ({region}, connection {cid})",
    "delete": "account {owner} loses access to {domain} ({region}, connection {cid} deleted)",
}


def plan_lines(decisions: List[Dict[str, Any]], region: str) -> str:
    """What a person decides on, one line per change, as a plan says it (the --diff of a policy run)."""
    lines = [
        PLAN_WORDS[item["action"]].format(
            owner=item["source"].get("owner_id"),
            domain=item["destination_domain_name"],
            region=region,
            cid=item["connection_id"],
        )
        for item in decisions
        if item["action"] in PLAN_WORDS
    ]
    return "".join(f"{line}\n" for line in lines)


def policy_output(result: PolicyResult, region: str = "") -> Dict[str, Any]:
    """The module's return values; in check mode, what a real run would report. The diff is the plan, in words."""
    decisions = [decision_output(decision) for decision in result.decisions]
    done = [(decision, output) for decision, output in zip(result.decisions, decisions) if decision.changed]
    acted_on = [output for output in decisions if output["action"] != "none"]
    output: Dict[str, Any] = {name: [] for name in LIST_NAMES.values()}
    for decision, decided in done:
        output[LIST_NAMES[decided["action"]]].append(decision.connection_id)
    output.update(changed=bool(done), decisions=decisions, diff={"prepared": plan_lines(acted_on, region)})
    return output


def failure_message(result: PolicyResult) -> str:
    failures = result.failures
    considered = sum(1 for decision in result.decisions if decision.state)
    lines = "\n".join(f"- {failure}" for failure in failures)
    return (
        f"{len(failures)} of {considered} policy decisions could not be carried out; the others were"
        f" (see decisions):\n{lines}"
    )
