# -*- coding: utf-8 -*-

# Copyright: Contributors to the aws_search.cross_cluster project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Who a domain's access policy lets reach its data, read conservatively: pure functions over the policy document.

Each Allow statement whose actions reach the data (es:ESHttp<Verb>, es:ESHttp*, es:*, *, and wildcards matching
them) and whose resource is the domain or below it is one grant per principal, with a scope: account, everyone,
ip_restricted, organization, authenticated, service, or conditional (whatever the analysis does not understand: it
counts as open to everyone). A Deny statement never removes a grant: it can only narrow access.
"""

from __future__ import annotations

import ipaddress
import json
import re
from dataclasses import dataclass
from typing import Any
from typing import Dict
from typing import List
from typing import Optional
from typing import Tuple

# The HTTP verbs of the domain's REST API, as IAM actions: what "reaching the data" means.
DATA_ACTIONS = tuple(f"es:eshttp{verb}" for verb in ("get", "head", "post", "put", "patch", "delete"))
ACCOUNT_ID = re.compile(r"[0-9]{12}")
IAM_PRINCIPAL = re.compile(
    r"arn:aws[a-z-]*:(?:iam|sts)::(?P<account>[0-9]{12}):(?:root|role/.+|user/.+|assumed-role/.+)"
)
ORGANIZATION_ID = re.compile(r"o-[a-z0-9]{10,32}")
ACCOUNT_KEYS = ("aws:principalaccount", "aws:sourceaccount")
# The keys that pin an AWS service to the account it acts for (the confused-deputy guard).
SOURCE_KEYS = ("aws:sourceaccount", "aws:sourcearn")
ARN_OPERATORS = ("arnequals", "arnlike")
# A policy variable (${aws:username}): where AWS does not substitute it, reading it as a wildcard errs on the open side.
POLICY_VARIABLE = re.compile(r"\$\{[^}]*\}")
# The condition operators read as written; ForAnyValue: reads like the plain operator (ForAllValues: holds when the
# key is absent, ...IfExists too: neither is understood).
EQUALS = ("stringequals", "stringlike")
SCOPES = ("account", "everyone", "ip_restricted", "organization", "authenticated", "service", "conditional")
OPEN_SCOPES = ("everyone", "conditional")


class PolicyError(Exception):
    """The access policy is not a JSON policy document."""


@dataclass(frozen=True)
class Domain:
    """What the analysis needs of the domain: its ARN and owner, and its fine-grained access control."""

    arn: str
    owner_id: str
    fine_grained: bool = False
    anonymous_auth: bool = False

    @property
    def users_sign_in(self) -> bool:
        """Fine-grained access control on and anonymous auth off: every request needs a user of the domain."""
        return self.fine_grained and not self.anonymous_auth


def parse(text: Optional[str]) -> Optional[Dict[str, Any]]:
    """The policy document of AccessPolicies; None when the domain has none; PolicyError when it is not one."""
    if text is None or not str(text).strip():
        return None
    try:
        document = json.loads(text, object_pairs_hook=_without_duplicates)
    except ValueError as error:
        raise PolicyError(f"its access policy is not JSON ({error})") from error
    statements = document.get("Statement") if isinstance(document, dict) else None
    if not isinstance(statements, (dict, list)) or not all(isinstance(s, dict) for s in _listed(statements)):
        raise PolicyError("its access policy is not a policy document (no Statement of statements)")
    for statement in _listed(statements):
        condition = statement.get("Condition", {})
        if not isinstance(condition, dict) or not all(isinstance(block, dict) for block in condition.values()):
            raise PolicyError("its access policy has a Condition that is not a map of operators to keys")
    return document


def _without_duplicates(pairs: List[Tuple[str, Any]]) -> Dict[str, Any]:
    """A JSON object; a key written twice is ambiguous (which one does AWS read?), so the policy is not read."""
    keys = [key for key, _value in pairs]
    twice = sorted({key for key in keys if keys.count(key) > 1})
    if twice:
        raise PolicyError(f"its access policy has the key {twice[0]!r} twice in one object, which is ambiguous")
    return dict(pairs)


def policy_grants(document: Optional[Dict[str, Any]], domain: Domain) -> List[Dict[str, Any]]:
    """Every grant of the access policy (path access_policy), statement by statement, in order."""
    if document is None:
        return []
    grants: List[Dict[str, Any]] = []
    for index, statement in enumerate(_listed(document["Statement"])):
        if _applies(statement, domain):
            label = statement.get("Sid") if isinstance(statement.get("Sid"), str) else str(index)
            grants += [
                dict(grant, path="access_policy", statement=label) for grant in _statement_grants(statement, domain)
            ]
    return grants


def grant(principal: str, account_id: Optional[str], scope: str, conditions: Tuple[str, ...] = (), **more: Any) -> dict:
    """One grant, with every key (null or [] where it does not apply)."""
    found = {"path": None, "principal": principal, "account_id": account_id, "scope": scope}
    found.update(conditions=sorted(conditions), statement=None, connection_id=None, addresses=[], organization_ids=[])
    found.update(source_accounts=[])
    found.update(more)
    return found


def _listed(value: Any) -> List[Any]:
    return value if isinstance(value, list) else [value]


def _matches(pattern: str, text: str, ignore_case: bool = False) -> bool:
    """IAM's wildcards: * any run of characters, ? any one (/ included); a policy variable counts as *."""
    expression = re.escape(_wildcarded(pattern)).replace(r"\*", ".*").replace(r"\?", ".")
    return re.fullmatch(expression, text, re.IGNORECASE | re.DOTALL if ignore_case else re.DOTALL) is not None


def _wildcarded(pattern: str) -> str:
    return POLICY_VARIABLE.sub("*", pattern)


def _applies(statement: Dict[str, Any], domain: Domain) -> bool:
    """An Allow statement (or one whose effect is not Deny: not understood, so counted) that reaches the data."""
    if statement.get("Effect") == "Deny":
        return False
    return _reaches_data(statement) and _covers(statement, domain)


def _reaches_data(statement: Dict[str, Any]) -> bool:
    if "NotAction" in statement:
        # A variable in a NotAction may leave nothing out: it is not read as leaving anything out.
        left_out = [
            str(pattern) for pattern in _listed(statement["NotAction"]) if not POLICY_VARIABLE.search(str(pattern))
        ]
        return not all(any(_matches(p, action, True) for p in left_out) for action in DATA_ACTIONS)
    actions = [str(pattern) for pattern in _listed(statement.get("Action", "*"))]
    return any(_matches(pattern, action, True) for pattern in actions for action in DATA_ACTIONS)


def _covers(statement: Dict[str, Any], domain: Domain) -> bool:
    """A resource is the domain or something below it, such as one index (a NotResource is not understood: it may
    cover the domain)."""
    if "NotResource" in statement:
        return True
    return any(_covers_domain(str(pattern), domain.arn) for pattern in _listed(statement.get("Resource", "*")))


def _covers_domain(pattern: str, arn: str) -> bool:
    """The pattern matches the domain, or some path below it (arn/index/_search): a * can reach past the domain's
    name, and a ? can stand for the / after it, so whatever follows the first wildcard that gets there can be matched
    by some path (domain/logs?idx reaches the index idx of logs)."""
    pattern = _wildcarded(pattern)
    if _matches(pattern, arn) or _matches(pattern, f"{arn}/"):
        return True
    wildcards = [index for index, character in enumerate(pattern) if character in "*?"]
    if any(_matches(pattern[: index + 1], f"{arn}/") for index in wildcards):
        return True
    # No * reaches past the name: the part before the first / after the name decides (domain/NAME/index/...).
    parts = pattern.split("/")
    return len(parts) > 2 and _matches("/".join(parts[:2]), arn)


def _statement_grants(statement: Dict[str, Any], domain: Domain) -> List[Dict[str, Any]]:
    conditions = statement.get("Condition") or {}
    keys = tuple(key for block in conditions.values() if isinstance(block, dict) for key in block)
    if statement.get("Effect") != "Allow" or "NotPrincipal" in statement or "NotAction" in statement:
        return [grant(_written(statement, "NotPrincipal", "Principal"), None, "conditional", keys)]
    if "NotResource" in statement or not isinstance(conditions, dict):
        return [grant(_written(statement, "Principal", "Principal"), None, "conditional", keys)]
    found = []
    for principal in _principals(statement.get("Principal")):
        found += _principal_grants(principal, conditions, keys, domain)
    return found


def _written(statement: Dict[str, Any], key: str, fallback: str) -> str:
    value = statement.get(key, statement.get(fallback))
    return value if isinstance(value, str) else json.dumps(value, sort_keys=True)


def _principals(principal: Any) -> List[Tuple[str, str]]:
    """(kind, principal) as written: AWS, Service, or another kind (Federated, CanonicalUser, a bad form)."""
    if principal == "*":
        return [("AWS", "*")]
    if not isinstance(principal, dict) or not principal:
        return [("unknown", json.dumps(principal))]
    return [(kind, str(value)) for kind, values in sorted(principal.items()) for value in _listed(values)]


def _principal_grants(
    principal: Tuple[str, str], conditions: Dict[str, Any], keys: Tuple[str, ...], domain: Domain
) -> List[Dict[str, Any]]:
    kind, name = principal
    if kind == "Service":
        return [grant(name, None, "service", keys, source_accounts=source_accounts(conditions))]
    if kind != "AWS":
        return [grant(name, None, "conditional", keys)]
    if name == "*":
        return _everyone_narrowed(conditions, keys, domain)
    account = name if ACCOUNT_ID.fullmatch(name) else account_of(name)
    if account is None:
        return [grant(name, None, "conditional", keys)]
    # A condition can only narrow a statement: a named account's grant stays an account's grant.
    return [grant(name, account, "account", keys)]


def account_of(arn: str) -> Optional[str]:
    found = IAM_PRINCIPAL.fullmatch(arn)
    return found["account"] if found else None


def _everyone_narrowed(conditions: Dict[str, Any], keys: Tuple[str, ...], domain: Domain) -> List[Dict[str, Any]]:
    """ "*", narrowed by every condition: the narrowest understood one decides (account, then organization, then
    addresses); one condition not understood makes it conditional."""
    read = [
        _condition(operator, key, values) for operator, block in conditions.items() for key, values in _items(block)
    ]
    if not read or None in read:
        return [grant("*", None, "conditional" if read else _unrestricted(domain), keys)]
    by_kind: Dict[str, List[str]] = {}
    for kind, values in read:
        by_kind.setdefault(kind, []).extend(values)
    if "account" in by_kind:
        return [grant("*", account, "account", keys) for account in sorted(set(by_kind["account"]))]
    if "organization" in by_kind:
        return [grant("*", None, "organization", keys, organization_ids=sorted(set(by_kind["organization"])))]
    if "addresses" in by_kind and not _everywhere(by_kind["addresses"]):
        return [grant("*", None, "ip_restricted", keys, addresses=sorted(set(by_kind["addresses"])))]
    return [grant("*", None, _unrestricted(domain), keys)]


def source_accounts(conditions: Dict[str, Any]) -> List[str]:
    """The accounts a statement pins an AWS service's caller to (aws:SourceAccount, or the account of aws:SourceArn,
    with an equality or ARN operator); a value that names no one account is kept as written, so that it pins to
    nobody's account in particular."""
    pinned = set()
    for operator, block in conditions.items():
        name = _operator(operator)
        for key, values in _items(block):
            key = key.lower()
            if key not in SOURCE_KEYS or name not in EQUALS + ARN_OPERATORS:
                continue
            written = [str(value) for value in _listed(values)] if values is not None else []
            pinned.update(_account_in(value) if key == "aws:sourcearn" else value for value in written)
    return sorted(pinned)


def _account_in(arn: str) -> str:
    parts = arn.split(":")
    return parts[4] if len(parts) > 5 and ACCOUNT_ID.fullmatch(parts[4]) else arn


def _network(value: str) -> Optional[Any]:
    try:
        return ipaddress.ip_network(value.strip(), strict=False)
    except ValueError:
        return None


def _everywhere(addresses: List[str]) -> bool:
    """The addresses cover every IPv4 or every IPv6 address (0.0.0.0/0, ::/0, 1.2.3.4/0, two /1 halves...)."""
    networks = [network for network in (_network(value) for value in addresses) if network is not None]
    for version in (4, 6):
        collapsed = list(ipaddress.collapse_addresses(n for n in networks if n.version == version))
        if any(network.prefixlen == 0 for network in collapsed):
            return True
    return False


def _unrestricted(domain: Domain) -> str:
    """Who "*" without a narrowing condition is: every user of the domain, or anyone."""
    return "authenticated" if domain.users_sign_in else "everyone"


def _items(block: Any) -> List[Tuple[str, Any]]:
    return list(block.items()) if isinstance(block, dict) else [("", None)]


def _operator(operator: str) -> str:
    """The operator, lower case; ForAnyValue: reads like the plain operator (ForAllValues: does not: it holds when the
    key is absent)."""
    name = operator.lower()
    return name.split(":", 1)[1] if name.startswith("foranyvalue:") else name


def _condition(operator: str, key: str, values: Any) -> Optional[Tuple[str, List[str]]]:
    """(account, ids), (organization, ids) or (addresses, CIDRs) for a condition understood; None otherwise."""
    name = _operator(operator)
    key = key.lower()
    values = [str(value) for value in _listed(values)] if values is not None else []
    if not values:
        return None
    if name == "ipaddress" and key == "aws:sourceip":
        return ("addresses", values) if all(_network(value) for value in values) else None
    if name not in EQUALS:
        return None
    if key in ACCOUNT_KEYS and all(ACCOUNT_ID.fullmatch(value) for value in values):
        return "account", values
    if key == "aws:principalorgid" and all(ORGANIZATION_ID.fullmatch(value) for value in values):
        return "organization", values
    if key == "aws:principalorgpaths":
        organizations = [value.split("/")[0] for value in values]
        if all(ORGANIZATION_ID.fullmatch(organization) for organization in organizations):
            return "organization", organizations
    return None
