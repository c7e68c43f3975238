# -*- coding: utf-8 -*-

# Copyright: Contributors to the aws_search.cross_cluster project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The report's answer for every path: each domain's grants as domain_access_policy judged them, the findings (access
nobody allowed) with their fixes, the counts at the top, and which accounts gained or lost access by which path."""

from __future__ import annotations

import datetime
import json
from typing import Any
from typing import Dict
from typing import Iterator
from typing import List
from typing import Optional
from typing import Set
from typing import Tuple

from ansible_collections.aws_search.cross_cluster.plugins.module_utils.access_allowlist import SEVERITIES
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.access_allowlist import entry_label
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.access_allowlist import finding
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.access_policy import OPEN_SCOPES
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.api_differences import APIS
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.domain_access import outside_accounts
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.domain_access import reachable_from_outside

EVERY_PATH = ("access_policy", "vpc_endpoint", "anonymous", "connection")
# Findings first, then what could not be done, what was taken away, and what is allowed.
ORDER = ("finding", "failed", "revoked", "allowed")
COVERAGE = (
    "Every path AWS shows to a domain is read: its access policy, VPC endpoint access, anonymous access under"
    " fine-grained access control, and cross-cluster connections. Not read, because AWS's API does not show them: the"
    " users and role mappings inside the domain's security plugin, OpenSearch UI applications of other accounts"
    " (their VPC endpoint access is read), and snapshots shared through S3."
)
DomainKey = Tuple[str, str, str]


def each_domain(accounts: List[Dict[str, Any]]) -> Iterator[Tuple[Dict[str, Any], Dict[str, Any], Dict[str, Any]]]:
    """(account, region, domain) of every domain of the report's accounts."""
    for account in accounts:
        for region in account.get("regions") or []:
            for domain in region.get("domains") or []:
                yield account, region, domain


def domain_key(account: Dict[str, Any], region: Dict[str, Any], domain: Dict[str, Any]) -> DomainKey:
    return str(account.get("account_id")), str(region.get("region")), str(domain.get("domain_name"))


def who_of(grant: Dict[str, Any]) -> str:
    """Who a grant lets in, in words: an account id, everyone, an organization, addresses, or the principal."""
    scope = grant.get("scope")
    if scope == "account":
        return str(grant.get("account_id"))
    if scope == "organization":
        return "organization " + ", ".join(grant.get("organization_ids") or [])
    if scope == "ip_restricted":
        return "addresses " + ", ".join(grant.get("addresses") or [])
    if scope == "authenticated":
        return "every user of the domain"
    if scope == "everyone":
        return "everyone"
    return f"{scope}: {grant.get('principal')}"


def attach_access(entry: Dict[str, Any], domain: Dict[str, Any], run: Dict[str, Any]) -> None:
    """One domain's judged grants (domain_access_policy's entry) into the report's domain, findings with their fix."""
    settings = run.get("settings") or {}
    api = APIS.get(str(settings.get("api") or "es"), APIS["es"])
    grants, entries = [], settings.get("allow") or []
    for grant in domain.get("grants") or []:
        row = dict(grant, who=who_of(grant), finding=None, fix=None, severity=None, finding_id=None)
        row["rule_name"] = entry_label(entries, grant.get("rule")) if isinstance(grant.get("rule"), int) else None
        if grant.get("outcome") == "finding":
            named = finding(domain, grant, api, entries)
            row.update(finding=named["message"], fix=named["fix"], severity=named["severity"], finding_id=named["id"])
        grants.append(row)
    grants.sort(key=_grant_order)
    entry.update(grants=grants, paths_read=list(EVERY_PATH), findings_fail=settings.get("findings") != "report")


def _severity_rank(severity: Any) -> int:
    return SEVERITIES.index(severity) if severity in SEVERITIES else len(SEVERITIES)


def _grant_order(row: Dict[str, Any]) -> Tuple[int, int, str, str]:
    """Findings first, most severe first; then what could not be done, what was taken away, and what is allowed."""
    outcome = ORDER.index(row["outcome"]) if row["outcome"] in ORDER else 0
    return outcome, _severity_rank(row.get("severity")), str(row["path"]), str(row["who"])


def searched_through_connections(domain: Dict[str, Any]) -> List[Dict[str, Any]]:
    """Who can search through a connection, as grants judged by the policy run, for a domain whose other paths were
    not read (connection_report used without domain_access_policy's domains, or a report of 0.4.0)."""
    allowed = {row.get("connection_id"): bool(row.get("allowed")) for row in domain.get("connections") or []}
    return [
        {
            "path": "connection",
            "connection_id": who.get("connection_id"),
            "account_id": who.get("owner_id"),
            "who": str(who.get("owner_id")),
            "scope": "account",
            "allowed": allowed.get(who.get("connection_id"), False),
            "outcome": "allowed" if allowed.get(who.get("connection_id")) else "finding",
        }
        for who in domain.get("can_search") or []
    ]


def kept(domain: Dict[str, Any]) -> List[Dict[str, Any]]:
    """The grants that still let someone in after the run."""
    if "access_policy" not in (domain.get("paths_read") or []):
        return searched_through_connections(domain)
    return [grant for grant in domain.get("grants") or [] if grant.get("outcome") != "revoked"]


def findings_of(accounts: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """Every finding of the report's domains, most severe first."""
    found = [
        dict(
            id=grant.get("finding_id"),
            severity=grant.get("severity"),
            account_id=account["account_id"],
            region=region["region"],
            domain_name=domain["domain_name"],
            path=grant["path"],
            who=grant["who"],
            message=grant["finding"],
            fix=grant["fix"],
            fails_the_run=domain.get("findings_fail", True),
        )
        for account, region, domain in each_domain(accounts)
        for grant in domain.get("grants") or []
        if grant.get("outcome") == "finding"
    ]
    return sorted(found, key=lambda item: _severity_rank(item["severity"]))


def severity_counts(findings: List[Dict[str, Any]]) -> Dict[str, int]:
    return {severity: sum(1 for item in findings if item["severity"] == severity) for severity in SEVERITIES}


def access_counts(accounts: List[Dict[str, Any]], not_governed: int) -> Dict[str, int]:
    """The top of the report: access nobody allowed, domains open to everyone or reachable from another account (by
    any path), the other accounts that can reach a domain, and what was not looked at."""
    reachable, everyone, outside, unknown = 0, 0, set(), 0
    for account, _region, domain in each_domain(accounts):
        grants = kept(domain)
        others = set(outside_accounts(grants, account["account_id"]))
        reachable += reachable_from_outside(grants, account["account_id"])
        everyone += any(grant["scope"] in OPEN_SCOPES for grant in grants)
        outside |= others
        unknown += bool(domain.get("unknown") or not domain.get("paths_read"))
    return {
        "findings": len(findings_of(accounts)),
        "domains_open_to_everyone": everyone,
        "domains_reachable_from_another_account": reachable,
        "outside_accounts": len(outside),
        "not_governed": not_governed + unknown,
    }


def reach_of(report: Dict[str, Any]) -> Dict[DomainKey, Tuple[Set[Tuple[str, str, Optional[str]]], Tuple[str, ...]]]:
    """Per domain read: who can reach it after the run, as (path, who, account id), and the paths that were read."""
    found = {}
    for account, region, domain in each_domain(report.get("accounts") or []):
        paths = tuple(domain.get("paths_read") or (("connection",) if "can_search" in domain else ()))
        if domain.get("unknown") or not paths:
            continue
        grants = kept(dict(domain, paths_read=paths))
        found[domain_key(account, region, domain)] = (
            {(g["path"], g["who"], g.get("account_id")) for g in grants},
            paths,
        )
    return found


def access_changes(report: Dict[str, Any], previous: Dict[str, Any]) -> Tuple[List[Dict], List[Dict]]:
    """Who gained and who lost access to each domain read now, with the path; over the paths both reports read (a
    report of release 0.4.0 read connections only)."""
    now, before = reach_of(report), reach_of(previous)
    gained, lost = [], []
    for key, (who_now, paths) in sorted(now.items()):
        who_before, paths_before = before.get(key, (set(), paths))
        compared = set(paths) & set(paths_before)
        who_now = {item for item in who_now if item[0] in compared}
        who_before = {item for item in who_before if item[0] in compared}
        gained += [_change(key, item) for item in sorted(who_now - who_before, key=str)]
        lost += [_change(key, item) for item in sorted(who_before - who_now, key=str)]
    return gained, lost


def _change(key: DomainKey, item: Tuple[str, str, Optional[str]]) -> Dict[str, Any]:
    path, who, account = item
    return {
        "account_id": key[0],
        "region": key[1],
        "domain_name": key[2],
        "path": path,
        "who": who,
        "owner_id": account,
    }


def unmatched_entries(pairs: List[Tuple[Dict[str, Any], Dict[str, Any]]]) -> List[Dict[str, Any]]:
    """The allow entries that matched no grant and no request in any run that read its domains with them (runs with
    the same allowlist share it: an entry matched in one run is matched). A warning: a partner may not have asked yet.
    An allowlist of a run that failed before it said what it matched names no entry: that run may have matched it."""
    by_allowlist: Dict[str, Tuple[List[Any], Set[int], int]] = {}
    unknown = set()
    for run, result in pairs:
        allow = (run.get("settings") or {}).get("allow")
        if not isinstance(allow, list):
            continue
        key = json.dumps(allow, sort_keys=True, default=str)
        unmatched = result.get("unmatched_allow")
        if not isinstance(unmatched, list):
            unknown.add(key)
            continue
        entries, left, domains = by_allowlist.get(key, (allow, set(range(len(allow))), 0))
        by_allowlist[key] = (entries, left & set(unmatched), domains + len(run.get("domain_names") or []))
    return [
        {"entry": entry_label(entries, index), "written": entries[index], "domains": domains}
        for key, (entries, left, domains) in by_allowlist.items()
        if key not in unknown
        for index in sorted(left)
    ]


def unmatched_line(item: Dict[str, Any]) -> str:
    written = ", ".join(f"{key}={value}" for key, value in sorted(item["written"].items()))
    return (
        f"{item['entry']} ({written}) matched no grant and no request of the {item['domains']} domains it was applied"
        " to: a partner who has not asked yet, or a typo to fix"
    )


REMINDER_DAYS = 14


def expiring_soon(pairs: List[Tuple[Dict[str, Any], Dict[str, Any]]], today: datetime.date) -> List[Dict[str, Any]]:
    """The allow entries of the runs' allowlists whose expires is today or within REMINDER_DAYS, once each."""
    found: Dict[str, Dict[str, Any]] = {}
    for run, _result in pairs:
        entries = (run.get("settings") or {}).get("allow")
        for index, entry in enumerate(entries if isinstance(entries, list) else []):
            ends = _date(entry.get("expires")) if isinstance(entry, dict) else None
            if ends is None or not today <= ends <= today + datetime.timedelta(days=REMINDER_DAYS):
                continue
            label = entry_label(entries, index)
            found[f"{label} {ends}"] = {
                "entry": label,
                "expires": ends.isoformat(),
                "days_left": (ends - today).days,
                "reason": entry.get("reason"),
            }
    return [found[key] for key in sorted(found)]


def _date(value: Any) -> Optional[datetime.date]:
    try:
        return datetime.date.fromisoformat(str(value)) if value is not None else None
    except ValueError:
        return None


def expiring_line(item: Dict[str, Any]) -> str:
    reason = f" ({item['reason']})" if item.get("reason") else ""
    return (
        f"{item['entry']}{reason} allows nothing after {item['expires']} ({item['days_left']} days left): renew it with"
        " a later expires, or let what it allows become findings"
    )


def hub_imports(pairs: List[Tuple[Dict[str, Any], Dict[str, Any]]]) -> List[Dict[str, Any]]:
    """What each run sent to AWS Security Hub (in check mode, would send), by account and region."""
    sent: Dict[Tuple[str, str], Dict[str, Any]] = {}
    for run, result in pairs:
        hub = result.get("security_hub")
        if not isinstance(hub, dict):
            continue
        key = (str(run.get("account_id")), str(run.get("region")))
        entry = sent.setdefault(key, {"account_id": key[0], "region": key[1], "imported": 0, "archived": 0})
        entry["imported"] += len(hub.get("imported") or [])
        entry["archived"] += len(hub.get("archived") or [])
    return [sent[key] for key in sorted(sent)]


def hub_line(item: Dict[str, Any], check_mode: bool) -> str:
    verbs = ("would import", "would archive") if check_mode else ("imported", "archived")
    return (
        f"account {item['account_id']}, {item['region']}: {verbs[0]} {item['imported']} findings, {verbs[1]}"
        f" {item['archived']} that no longer hold"
    )
