# -*- coding: utf-8 -*-

# Copyright: Contributors to the aws_search.cross_cluster project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Every path to a domain judged against the allowlist (pure functions over what domain_access.py read): whether an
entry allows each grant, what is done about it (its outcome), and, for access nobody allowed, the finding with the
AWS CLI command that fixes it.

The domain's own account is always allowed. An account's grant is allowed by an entry that names the account (and
covers the domain with destination_domain_name); an organization's grant by an entry with that organization_id.
Scopes ip_restricted, authenticated and service are shown, not judged; everyone and conditional are always findings.
Connections were judged by inbound_connection_policy, with the source domain's patterns too: its decisions say."""

from __future__ import annotations

import shlex
from typing import Any
from typing import Callable
from typing import Dict
from typing import List
from typing import Optional
from typing import Sequence
from typing import Tuple

from ansible_collections.aws_search.cross_cluster.plugins.module_utils.access_policy import OPEN_SCOPES
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.access_policy import grant
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.api_differences import ConnectionApi
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.domain_access import outside_accounts
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.domain_access import source_arn
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.lifecycle import ACCEPTED_STATUSES
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.policy import Rule

SHOWN_SCOPES = ("ip_restricted", "authenticated", "service")
Judgement = Tuple[Optional[bool], Optional[int]]


def allowing_entry(found: Dict[str, Any], owner_id: str, domain_name: str, rules: Sequence[Rule]) -> Judgement:
    """(allowed, index of the entry that allows it): allowed is None for the scopes shown, not judged."""
    scope = found["scope"]
    if scope in SHOWN_SCOPES:
        return None, None
    if scope == "account" and found["account_id"] == owner_id:
        return True, None
    if scope == "account":
        return _first(rules, lambda rule: found["account_id"] in rule.owners and rule.reaches(domain_name))
    if scope == "organization" and found["organization_ids"]:
        entries = [
            _first(rules, _names_organization(organization, domain_name)) for organization in found["organization_ids"]
        ]
        allowed = all(entry[0] for entry in entries)
        return allowed, entries[0][1] if allowed else None
    return False, None


def _names_organization(organization: str, domain_name: str) -> Callable[[Rule], bool]:
    return lambda rule: rule.organization_id == organization and rule.reaches(domain_name)


def _first(rules: Sequence[Rule], allows: Callable[[Rule], bool]) -> Tuple[bool, Optional[int]]:
    index = next((index for index, rule in enumerate(rules) if allows(rule)), None)
    return index is not None, index


def judged(found: Dict[str, Any], owner_id: str, domain_name: str, rules: Sequence[Rule], revoke: bool) -> dict:
    """A grant of the access policy, VPC endpoint access or anonymous access, with allowed, rule and outcome.
    VPC endpoint access of an account nobody allowed is revoked when revoke is true."""
    allowed, rule = allowing_entry(found, owner_id, domain_name, rules)
    if allowed is None:
        result = "shown"
    elif allowed:
        result = "allowed"
    elif revoke and found["path"] == "vpc_endpoint" and found["scope"] == "account":
        result = "revoked"
    else:
        result = "finding"
    return dict(found, allowed=allowed, rule=rule, outcome=result, failure=None)


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
        grants.append(found)
    return grants


def reach(grants: List[Dict[str, Any]], owner_id: str) -> Dict[str, Any]:
    """Who can reach the domain after the run (revoked grants left out): the other accounts, and whether anyone can."""
    kept = [found for found in grants if found["outcome"] != "revoked"]
    return {
        "outside_accounts": outside_accounts(kept, owner_id),
        "open_to_everyone": any(found["scope"] in OPEN_SCOPES for found in kept),
    }


def finding(domain: Dict[str, Any], found: Dict[str, Any], api: ConnectionApi) -> Dict[str, Any]:
    """Access nobody allowed, named (account, region, domain, path, principal, statement), with its fix."""
    return {
        "account_id": domain["owner_id"],
        "region": domain["region"],
        "domain_name": domain["domain_name"],
        "path": found["path"],
        "principal": found["principal"],
        "grant_account_id": found["account_id"],
        "scope": found["scope"],
        "statement": found["statement"],
        "connection_id": found["connection_id"],
        "message": what_was_found(domain, found),
        "fix": fix_for(domain, found, api),
    }


def finding_line(item: Dict[str, Any]) -> str:
    """A finding (message and fix) in one line, as the task's failure, the report's problems and the artifact say it."""
    return f"{item['message']}; fix: {item['fix']}"


def _who(found: Dict[str, Any]) -> str:
    if found["scope"] == "account":
        return f"account {found['account_id']}"
    if found["scope"] == "organization":
        return f"every account of the organization {', '.join(found['organization_ids'])}"
    if found["scope"] == "everyone":
        return "everyone"
    return "principals under conditions this collection does not read (counted as everyone)"


def what_was_found(domain: Dict[str, Any], found: Dict[str, Any]) -> str:
    where = f"account {domain['owner_id']}, {domain['region']}, domain {domain['domain_name']}"
    path = found["path"]
    if path == "access_policy":
        return (
            f"{where}: statement {found['statement']} of the access policy lets {_who(found)} reach the data"
            f" (principal {found['principal']}), and no allow entry allows it"
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


def fix_for(domain: Dict[str, Any], found: Dict[str, Any], api: ConnectionApi) -> str:
    """The AWS CLI command that takes the access away (the guard never edits an access policy or security options)."""
    name, region = shlex.quote(domain["domain_name"]), shlex.quote(domain["region"])
    at = f"--region {region}"
    path = found["path"]
    if path == "access_policy":
        change = (
            f"take principal {found['principal']} out of statement {found['statement']}"
            if found["scope"] == "account"
            else f"narrow statement {found['statement']} (principal {found['principal']}) to the accounts that need it"
        )
        return (
            f"{change} in the access policy, then: aws {api.cli} {api.cli_update_domain} --domain-name {name}"
            f" --access-policies file://access-policy.json {at}"
        )
    if path == "anonymous":
        return (
            f"aws {api.cli} {api.cli_update_domain} --domain-name {name} --advanced-security-options"
            f" AnonymousAuthEnabled=false {at}"
        )
    if path == "vpc_endpoint" and found["scope"] == "account":
        account = shlex.quote(str(found["account_id"]))
        return (
            f"revoke: true, or aws {api.cli} revoke-vpc-endpoint-access --domain-name {name} --account {account} {at}"
        )
    if path == "vpc_endpoint":
        return (
            f"aws {api.cli} list-vpc-endpoint-access --domain-name {name} {at}, then revoke-vpc-endpoint-access for it"
        )
    connection = shlex.quote(str(found["connection_id"]))
    return f"revoke: true (inbound_connection_policy, the guard), or aws {api.cli} {api.cli_delete_inbound} {connection} {at}"
