# -*- coding: utf-8 -*-

# Copyright: Contributors to the aws_search.cross_cluster project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Every path to a domain judged against the allowlist (pure functions over what domain_access.py read): whether an
entry allows each grant, what is done about it (its outcome), and, for access nobody allowed, the finding with the
change that fixes it.

The domain's own account is always allowed, on every path. Every other grant is allowed by an entry of its kind that
covers the domain (destination_domain_name), or it is a finding (or revoked):
- account: an entry naming the account (owner_id, owner_ids) for the whole account: an entry narrowed to a source
  domain or region allows connections only;
- organization: an entry with that organization_id, for each organization the grant names;
- ip_restricted: source_ips, each address range of the grant inside one of them;
- service: an entry naming the service, and (on the access policy) a statement that pins the service's caller to the
  domain's own account (aws:SourceAccount, aws:SourceArn): without it, any account could have the service act for it;
- authenticated: an entry with authenticated: true;
- everyone and conditional: never.
Connections were judged by inbound_connection_policy, with the source domain's patterns too: its decisions say."""

from __future__ import annotations

import hashlib
import ipaddress
import shlex
from typing import Any
from typing import Callable
from typing import Dict
from typing import List
from typing import Optional
from typing import Sequence
from typing import Set
from typing import Tuple

from ansible_collections.aws_search.cross_cluster.plugins.module_utils.access_policy import OPEN_SCOPES
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.access_policy import grant
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.api_differences import ConnectionApi
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.domain_access import outside_accounts
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.domain_access import reachable_from_outside
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.domain_access import source_arn
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.lifecycle import ACCEPTED_STATUSES
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.policy import Rule

Judgement = Tuple[bool, Optional[int]]
# A finding's severity, most severe first: open to everyone; an account or organization nobody allowed, an expired
# exception, what the analysis does not understand; addresses, a service, every user who signs in; none yet is low.
SEVERITIES = ("critical", "high", "medium", "low")
MEDIUM_SCOPES = ("ip_restricted", "service", "authenticated")
# What a finding's id and the generator of its Security Hub finding begin with.
GENERATOR = "aws_search.cross_cluster"


def is_own(found: Dict[str, Any], owner_id: str) -> bool:
    return found["scope"] == "account" and found["account_id"] == owner_id


def pinned_to_owner(found: Dict[str, Any], owner_id: str) -> bool:
    """A service grant of the access policy whose statement pins the caller to the domain's own account (VPC endpoint
    access of a service takes no condition: nothing to pin)."""
    return found["path"] != "access_policy" or found["source_accounts"] == [owner_id]


def allowing_entry(found: Dict[str, Any], owner_id: str, domain_name: str, rules: Sequence[Rule]) -> Judgement:
    """(allowed, index of the entry that allows it; None for the domain's own account)."""
    if is_own(found, owner_id):
        return True, None
    if found["scope"] == "service" and not pinned_to_owner(found, owner_id):
        return False, None
    reaching = [(index, rule) for index, rule in enumerate(rules) if rule.reaches(domain_name)]
    parts = _parts(found)
    entries = [next((index for index, rule in reaching if _allows(rule, found, part)), None) for part in parts]
    allowed = bool(parts) and all(entry is not None for entry in entries)
    return allowed, min(entries) if allowed else None


def _parts(found: Dict[str, Any]) -> List[Any]:
    """What an entry must allow, each part by some entry: each organization, each address range, or the grant."""
    if found["scope"] == "organization":
        return list(found["organization_ids"])
    if found["scope"] == "ip_restricted":
        return list(found["addresses"])
    return [None] if found["scope"] in ENTRY_CHECKS else []


def _allows(rule: Rule, found: Dict[str, Any], part: Any) -> bool:
    return ENTRY_CHECKS[found["scope"]](rule, found, part)


def _inside(address: str, allowed: Sequence[str]) -> bool:
    """The address range lies inside one of the allowed ranges (203.0.113.0/24 inside 203.0.113.0/24, not
    203.0.112.0/23)."""
    try:
        network = ipaddress.ip_network(str(address).strip(), strict=False)
    except ValueError:
        return False
    for value in allowed:
        outer = ipaddress.ip_network(value, strict=False)
        if outer.version == network.version and network.subnet_of(outer):
            return True
    return False


ENTRY_CHECKS: Dict[str, Callable[[Rule, Dict[str, Any], Any], bool]] = {
    "account": lambda rule, found, _part: found["account_id"] in rule.owners and rule.whole_account,
    "organization": lambda rule, _found, organization: rule.organization_id == organization,
    "ip_restricted": lambda rule, _found, address: _inside(address, rule.source_ips),
    "service": lambda rule, found, _part: rule.service == found["principal"],
    "authenticated": lambda rule, _found, _part: rule.authenticated,
}


def matched_entries(grants: List[Dict[str, Any]], domain_name: str, rules: Sequence[Rule]) -> Set[int]:
    """The entries that allow some part of some grant of the domain (first or not, expired or not): an entry outside
    this set matched nothing here."""
    return {
        index
        for found in grants
        if found["path"] != "connection"
        for part in _parts(found)
        for index, rule in enumerate(rules)
        if rule.in_force().reaches(domain_name) and _allows(rule.in_force(), found, part)
    }


def judged(found: Dict[str, Any], owner_id: str, domain_name: str, rules: Sequence[Rule], revoke: bool) -> dict:
    """A grant of the access policy, VPC endpoint access or anonymous access, with allowed, rule and outcome.
    VPC endpoint access of an account nobody allowed is revoked when revoke is true."""
    allowed, rule = allowing_entry(found, owner_id, domain_name, rules)
    if allowed:
        result = "allowed"
    elif revoke and found["path"] == "vpc_endpoint" and found["scope"] == "account" and found["account_id"]:
        result = "revoked"
    else:
        result = "finding"
    expired = None if allowed else expired_entry(found, owner_id, domain_name, rules)
    return dict(found, allowed=allowed, rule=rule, expired_rule=expired, outcome=result, failure=None)


def expired_entry(found: Dict[str, Any], owner_id: str, domain_name: str, rules: Sequence[Rule]) -> Optional[int]:
    """The first expired exception that would allow some part of a grant nobody allows now, if any."""
    if found["scope"] == "service" and not pinned_to_owner(found, owner_id):
        return None
    for index, rule in enumerate(rules):
        in_force = rule.in_force()
        if rule.expired and in_force.reaches(domain_name) and any(_allows(in_force, found, p) for p in _parts(found)):
            return index
    return None


def connection_grants(decisions: List[Dict[str, Any]], partition: str = "aws") -> List[Dict[str, Any]]:
    """The connections inbound_connection_policy decided that could search the domain before or after the run (its
    decisions, so no second listing): allowed as the policy judged them, revoked when the run took them away."""
    grants = []
    for decision in decisions:
        before = decision.get("previous_status")
        after = before if decision.get("failure") else decision.get("status")
        if before not in ACCEPTED_STATUSES and after not in ACCEPTED_STATUSES:
            continue
        source = decision["source"]
        found = grant(
            source_arn(source, partition), source["owner_id"], "account", connection_id=decision["connection_id"]
        )
        allowed = bool(decision.get("allowed"))
        result = "allowed" if allowed else "finding"
        result = result if after in ACCEPTED_STATUSES else "revoked"
        found.update(path="connection", allowed=allowed, rule=decision.get("rule"), outcome=result, failure=None)
        found["expired_rule"] = decision.get("expired_rule")
        grants.append(found)
    return grants


def reach(grants: List[Dict[str, Any]], owner_id: str) -> Dict[str, Any]:
    """Who can reach the domain after the run (revoked grants left out; a revocation that failed is kept): the other
    accounts, whether everyone can, and whether anyone but the domain's own account can."""
    kept = [found for found in grants if found["outcome"] != "revoked"]
    return {
        "outside_accounts": outside_accounts(kept, owner_id),
        "open_to_everyone": any(found["scope"] in OPEN_SCOPES for found in kept),
        "reachable_from_outside": reachable_from_outside(kept, owner_id),
    }


def severity_of(found: Dict[str, Any]) -> str:
    """critical: open to everyone (anonymous access too); high: an account or organization nobody allowed, an expired
    exception, what the analysis does not understand; medium: addresses, a service, every user who signs in."""
    if found.get("expired_rule") is not None:
        return "high"
    if found["scope"] == "everyone":
        return "critical"
    return "medium" if found["scope"] in MEDIUM_SCOPES else "high"


def finding_id(domain: Dict[str, Any], found: Dict[str, Any]) -> str:
    """The same across runs for the same domain, path, principal, account and scope (and statement, on the access
    policy; connection, on a connection): two grants of one principal ("*" for two accounts) are two findings."""
    parts = (found["principal"], found["account_id"], found["scope"], found["statement"], found["connection_id"])
    who = "\0".join(str(part) for part in parts)
    digest = hashlib.sha256(who.encode()).hexdigest()[:16]
    return f"{GENERATOR}/{domain['owner_id']}/{domain['region']}/{domain['domain_name']}/{found['path']}/{digest}"


def finding(
    domain: Dict[str, Any], found: Dict[str, Any], api: ConnectionApi, entries: Sequence[Any] = ()
) -> Dict[str, Any]:
    """Access nobody allowed, named (account, region, domain, path, principal, statement), with its severity, id and
    fix. entries: the allowlist as written, to name an expired exception by its name."""
    return {
        "id": finding_id(domain, found),
        "severity": severity_of(found),
        "account_id": domain["owner_id"],
        "region": domain["region"],
        "domain_name": domain["domain_name"],
        "path": found["path"],
        "principal": found["principal"],
        "grant_account_id": found["account_id"],
        "scope": found["scope"],
        "statement": found["statement"],
        "connection_id": found["connection_id"],
        "message": what_was_found(domain, found) + expired_words(found, entries),
        "fix": fix_for(domain, found, api),
        "expired_entry": entry_label(entries, found.get("expired_rule")),
    }


def entry_label(entries: Sequence[Any], index: Optional[int]) -> Optional[str]:
    """An allow entry as the report names it: its name, else allow[N]."""
    if index is None:
        return None
    return entry_name(entries[index] if 0 <= index < len(entries) else {}, index)


def entry_name(entry: Any, index: int) -> str:
    name = entry.get("name") if isinstance(entry, dict) else None
    return str(name) if name else f"allow[{index}]"


def expired_words(found: Dict[str, Any], entries: Sequence[Any]) -> str:
    index = found.get("expired_rule")
    if index is None:
        return ""
    entry = entries[index] if 0 <= index < len(entries) and isinstance(entries[index], dict) else {}
    return f" (the exception {entry_label(entries, index)} allowed it until {entry.get('expires')}, and has expired)"


def finding_line(item: Dict[str, Any]) -> str:
    """A finding (message and fix) in one line, as the task's failure, the report's problems and the artifact say it."""
    return f"{item['message']}; fix: {item['fix']}"


def _who(found: Dict[str, Any]) -> str:
    scope = found["scope"]
    if scope == "account":
        return f"account {found['account_id']}"
    if scope == "organization":
        return f"every account of the organization {', '.join(found['organization_ids'])}"
    if scope == "ip_restricted":
        return f"anyone from the addresses {', '.join(found['addresses'])}"
    if scope == "service":
        return f"the AWS service {found['principal']}"
    if scope == "authenticated":
        return "every user who signs in to the domain"
    if scope == "everyone":
        return "everyone"
    return "principals under conditions this collection does not read (counted as everyone)"


def what_was_found(domain: Dict[str, Any], found: Dict[str, Any]) -> str:
    where = f"account {domain['owner_id']}, {domain['region']}, domain {domain['domain_name']}"
    path = found["path"]
    if path == "access_policy":
        unpinned = found["scope"] == "service" and not pinned_to_owner(found, domain["owner_id"])
        why = (
            "without a condition that pins its caller to the domain's own account, so any account could have it act"
            if unpinned
            else "and no allow entry allows it"
        )
        return (
            f"{where}: statement {found['statement']} of the access policy lets {_who(found)} reach the data"
            f" (principal {found['principal']}), {why}"
        )
    if path == "vpc_endpoint":
        return (
            f"{where}: {_who(found)} may create a VPC endpoint into the domain (principal {found['principal']}), and no"
            " allow entry allows it"
        )
    if path == "anonymous":
        return f"{where}: fine-grained access control lets anonymous users reach the data (AnonymousAuthEnabled)"
    return (
        f"{where}: inbound connection {found['connection_id']} from account {found['account_id']} is accepted, and no"
        " allow entry allows it"
    )


def policy_change(found: Dict[str, Any], owner_id: str) -> str:
    """What to change in the statement so that the grant is gone (or, where it is meant, how to allow it)."""
    statement, principal = found["statement"], found["principal"]
    scope = found["scope"]
    if scope == "account":
        return f"take account {found['account_id']} (principal {principal}) out of statement {statement}"
    if scope == "organization":
        organizations = ", ".join(found["organization_ids"])
        return (
            f"narrow statement {statement}'s aws:PrincipalOrgID or aws:PrincipalOrgPaths ({organizations}) to the"
            f" accounts that need the data, or allow it with an entry organization_id: {found['organization_ids'][0]}"
        )
    if scope == "ip_restricted":
        return (
            f"narrow statement {statement}'s aws:SourceIp ({', '.join(found['addresses'])}) to the ranges that need"
            " the data, or allow them with an entry source_ips"
        )
    if scope == "service" and not pinned_to_owner(found, owner_id):
        return (
            f"add the condition StringEquals aws:SourceAccount {owner_id} to statement {statement} (principal"
            f" {principal}), and allow it with an entry service: {principal}"
        )
    if scope == "service":
        return f"take {principal} out of statement {statement}, or allow it with an entry service: {principal}"
    if scope == "authenticated":
        return (
            f"replace principal * in statement {statement} with the accounts that need the data, or allow every user"
            " who signs in with an entry authenticated: true"
        )
    return (
        f"replace principal {principal} in statement {statement} with the accounts that need the data (a condition"
        " this collection does not read is no narrowing it can prove)"
    )


def fix_for(domain: Dict[str, Any], found: Dict[str, Any], api: ConnectionApi) -> str:
    """What to change, and the AWS CLI command that takes the access away (the guard edits an access policy only with
    fix_policy, and never security options)."""
    name, region = shlex.quote(domain["domain_name"]), shlex.quote(domain["region"])
    at = f"--region {region}"
    path = found["path"]
    if path == "access_policy":
        return (
            f"{policy_change(found, domain['owner_id'])} in the access policy, then: aws {api.cli}"
            f" {api.cli_update_domain} --domain-name {name} --access-policies file://access-policy.json {at}"
        )
    if path == "anonymous":
        return (
            f"aws {api.cli} {api.cli_update_domain} --domain-name {name} --advanced-security-options"
            f" AnonymousAuthEnabled=false {at}"
        )
    if path == "vpc_endpoint" and found["scope"] == "account" and found["account_id"]:
        account = shlex.quote(str(found["account_id"]))
        return (
            f"revoke: true, or aws {api.cli} revoke-vpc-endpoint-access --domain-name {name} --account {account} {at}"
        )
    if path == "vpc_endpoint":
        allow = f", or allow it with an entry service: {found['principal']}" if found["scope"] == "service" else ""
        return (
            f"aws {api.cli} list-vpc-endpoint-access --domain-name {name} {at}, then revoke-vpc-endpoint-access for"
            f" {found['principal']}{allow}"
        )
    connection = shlex.quote(str(found["connection_id"]))
    return f"revoke: true (inbound_connection_policy, the guard), or aws {api.cli} {api.cli_delete_inbound} {connection} {at}"
