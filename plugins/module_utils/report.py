# -*- coding: utf-8 -*-

# Copyright: Contributors to the aws_search.cross_cluster project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The report "who can search our data?": what was not governed, who can search each domain now, what changed since
the previous report, and what the run did, per account, region and domain. The data is built here; how it is
shown lives in report_pages.py."""

from __future__ import annotations

from datetime import date
from datetime import datetime
from typing import Any
from typing import Dict
from typing import List
from typing import Optional
from typing import Set
from typing import Tuple

from ansible_collections.aws_search.cross_cluster.plugins.module_utils.access_allowlist import finding_line
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.api_differences import PENDING
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.lifecycle import ACCEPTED_STATUSES
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.policy import utc_today
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.report_access import COVERAGE
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.report_access import DomainKey
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.report_access import access_changes
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.report_access import access_counts
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.report_access import attach_access
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.report_access import domain_key
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.report_access import each_domain
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.report_access import expiring_soon
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.report_access import findings_of
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.report_access import hub_imports
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.report_access import severity_counts
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.report_access import unmatched_entries

# What was done to a connection, as data: the words shown and the counts come from these, never the other way.
OUTCOMES = {"reject": "rejected", "accept": "accepted", "delete": "revoked"}
SUMMARY_KEYS = ("domains", "connections", "accepted", "rejected", "revoked", "pending_for_a_person", "failures")
ACCESS_KEYS = (
    "findings",
    "domains_open_to_everyone",
    "domains_reachable_from_another_account",
    "outside_accounts",
    "not_governed",
)


def outcome(decision: Dict[str, Any]) -> str:
    """What was done to one connection (or would be, in check mode): a key of the report's words."""
    action = decision.get("action") or "none"
    if decision.get("failure"):
        return "failed"
    if action != "none" and decision.get("status") is None:
        return "gone"
    if action in OUTCOMES:
        return OUTCOMES[action]
    if decision.get("previous_status") == PENDING:
        return "pending"
    return "left"


def status_now(decision: Dict[str, Any]) -> Optional[str]:
    """The connection's status after the run: a failed decision left it as it was found."""
    if decision.get("failure"):
        return decision.get("previous_status")
    return decision.get("status")


def allow_entry(settings: Dict[str, Any], rule: Optional[int]) -> Optional[Dict[str, Any]]:
    """The allowlist entry that allowed a connection, as written in the allowlist, with its index."""
    entries = settings.get("allow") or []
    if rule is None or not isinstance(rule, int) or rule >= len(entries):
        return None
    return {"index": rule, "entry": entries[rule]}


def connection_row(decision: Dict[str, Any], settings: Dict[str, Any]) -> Dict[str, Any]:
    return {
        "connection_id": decision.get("connection_id"),
        "source": decision.get("source") or {},
        "status_before": decision.get("previous_status"),
        "status_after": status_now(decision),
        "allowed": bool(decision.get("allowed")),
        "allow_entry": allow_entry(settings, decision.get("rule")) if decision.get("allowed") else None,
        "action": decision.get("action") or "none",
        "outcome": outcome(decision),
        "failure": decision.get("failure"),
    }


def can_search(row: Dict[str, Any]) -> bool:
    return row["status_after"] in ACCEPTED_STATUSES


def searchers(rows: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """Who can search a domain after the run: the sources of its accepted connections, by connection id."""
    return [
        {
            "owner_id": row["source"].get("owner_id"),
            "domain_name": row["source"].get("domain_name"),
            "region": row["source"].get("region"),
            "connection_id": row["connection_id"],
            "status": row["status_after"],
        }
        for row in rows
        if can_search(row)
    ]


class Places:
    """The report's domains and failures, by account and region."""

    def __init__(self) -> None:
        self.places: Dict[Tuple[str, str], Dict[str, Any]] = {}
        # The accounts' names, where the inventory read the organization.
        self.names: Dict[str, str] = {}

    def place(self, account: str, region: str) -> Dict[str, Any]:
        key = (str(account), str(region))
        return self.places.setdefault(key, {"account_id": key[0], "region": key[1], "domains": {}, "failures": []})

    def domain(self, account: str, region: str, name: str) -> Dict[str, Any]:
        domains = self.place(account, region)["domains"]
        found = {"domain_name": str(name), "connections": [], "tags": {}, "groups": [], "grants": [], "paths_read": []}
        return domains.setdefault(str(name), found)

    def accounts(self) -> List[Dict[str, Any]]:
        accounts: Dict[str, List[Dict[str, Any]]] = {}
        for (account, region), place in sorted(self.places.items()):
            domains = [_finished(domain) for _name, domain in sorted(place["domains"].items())]
            accounts.setdefault(account, []).append(
                {"region": region, "domains": domains, "failures": place["failures"]}
            )
        return [
            {"account_id": account, "account_name": self.names.get(account), "regions": regions}
            for account, regions in accounts.items()
        ]


def _finished(domain: Dict[str, Any]) -> Dict[str, Any]:
    domain["connections"].sort(key=lambda row: str(row["connection_id"]))
    domain["can_search"] = searchers(domain["connections"])
    return domain


def build_report(
    results: List[Dict[str, Any]],
    domains: List[Dict[str, Any]],
    check_mode: bool,
    runs: Optional[List[Dict[str, Any]]] = None,
    not_governed: Optional[List[Dict[str, Any]]] = None,
    today: Optional[date] = None,
) -> Dict[str, Any]:
    """results: one per policy run (run, account_id, region, decisions, failed, msg, access); runs: the guard's plan,
    whose settings name the allowlist entries and whose runs without a result failed; domains: every domain governed."""
    places = Places()
    for domain in domains:
        if domain.get("account_name"):
            places.names[str(domain["account_id"])] = str(domain["account_name"])
        entry = places.domain(domain["account_id"], domain["region"], domain["domain_name"])
        entry.update(tags=dict(domain.get("tags") or {}), groups=list(domain.get("groups") or []))
    pairs = _paired(results, runs or [])
    for run, result in pairs:
        _add_run(places, run, result)
    accounts = places.accounts()
    refused = sorted(not_governed or [], key=lambda item: str(item.get("host")))
    report = {"check_mode": check_mode, "summary": summary(accounts), "accounts": accounts, "not_governed": refused}
    report["access"] = access_counts(accounts, len(refused))
    report["findings"] = findings_of(accounts)
    report["findings_by_severity"] = severity_counts(report["findings"])
    report["unmatched_allow"] = unmatched_entries(pairs)
    report["expiring_soon"] = expiring_soon(pairs, today or utc_today())
    report["security_hub"] = hub_imports(pairs)
    report["coverage"] = COVERAGE + _connections_only(accounts)
    return report


def _add_run(places: Places, run: Dict[str, Any], result: Dict[str, Any]) -> None:
    """One run's failure, decisions and access into the report's places."""
    place = places.place(run["account_id"], run["region"])
    decisions = result.get("decisions") or ()
    # A run that failed without a failed decision (no listing, no role) is a failure of its own.
    if result.get("failed") and not any(decision.get("failure") for decision in decisions):
        place["failures"].append(result.get("msg") or "the policy run failed")
    if result.get("failed") and not decisions and not result.get("access"):
        _unknown(place, run.get("domain_names"))
    for decision in decisions:
        name = decision.get("destination_domain_name") or "?"
        entry = places.domain(run["account_id"], run["region"], name)
        entry["connections"].append(connection_row(decision, run.get("settings") or {}))
    _read_paths(places, run, result)


def _connections_only(accounts: List[Dict[str, Any]]) -> str:
    partial = sum(1 for _key, domain in _domains(accounts) if domain.get("paths_read") == ["connection"])
    if not partial:
        return ""
    return (
        f" For {partial} domains only cross-cluster connections were read (no domain_access_policy answer was"
        " given for them): their access policy, VPC endpoint access and anonymous access are not in this report."
    )


def _read_paths(places: Places, run: Dict[str, Any], result: Dict[str, Any]) -> None:
    """The paths read to the run's domains: every path with domain_access_policy's entries, connections only for a
    result without them (connection_report of release 0.4.0's shape), none when the run failed before reading them.
    A domain of the run that the access read did not return is a failure of the run: who can reach it is unknown."""
    if "access" not in result:
        for name, domain in places.place(run["account_id"], run["region"])["domains"].items():
            if run.get("domain_names") is None or name in run["domain_names"]:
                domain["paths_read"] = ["connection"]
        return
    if result["access"] is None:
        return
    for entry in result["access"]:
        attach_access(places.domain(run["account_id"], run["region"], entry["domain_name"]), entry, run)
    returned = {str(entry["domain_name"]) for entry in result["access"]}
    for name in sorted(set(run.get("domain_names") or ()) - returned):
        places.place(run["account_id"], run["region"])["failures"].append(
            f"domain {name}: the access read returned nothing for it, so who can reach it is unknown; run the guard again"
        )


def inventory_summary(inventories: List[Dict[str, Any]]) -> Dict[str, Any]:
    """What the report keeps of what the inventory sources read: those taken from the cache (and when they read AWS:
    a source read now is no news, and would change the report at every run), and the accounts of the organization
    left out on purpose."""
    return {
        "from_cache": [
            {"source": read.get("source"), "read_at": read.get("read_at")}
            for read in inventories
            if read.get("from_cache")
        ],
        "accounts_excluded": sum(int(read.get("accounts_excluded") or 0) for read in inventories),
        "accounts_not_active": sum(int(read.get("accounts_not_active") or 0) for read in inventories),
    }


def inventory_lines(inventory: Dict[str, Any], started: Optional[str]) -> List[str]:
    """What the report says of its inventory (inventory_summary): each source taken from the cache, and how old it was
    at the run's start; the accounts of the organization left out on purpose."""
    lines = []
    for read in inventory.get("from_cache") or []:
        age = _age(read.get("read_at"), started)
        lines.append(
            f"The inventory source {read.get('source')} came from the inventory cache: AWS was read at"
            f" {read.get('read_at') or 'an unknown time'}{f', {age} before this run' if age else ''}; run with"
            " --flush-cache to read it now."
        )
    excluded, inactive = inventory.get("accounts_excluded") or 0, inventory.get("accounts_not_active") or 0
    if excluded or inactive:
        lines.append(
            f"Accounts of the organization left out on purpose, not read: {excluded} by exclude_account_ids,"
            f" {inactive} not ACTIVE (suspended or closed)."
        )
    return lines


def _age(read_at: Optional[str], started: Optional[str]) -> Optional[str]:
    try:
        then = datetime.strptime(str(read_at), "%Y-%m-%dT%H:%M:%SZ")
        now = datetime.strptime(str(started), "%Y%m%dT%H%M%SZ")
    except ValueError:
        return None
    minutes = max(0, int((now - then).total_seconds() // 60))
    return f"{minutes // 60} h {minutes % 60} min" if minutes >= 60 else f"{minutes} min"


def _unknown(place: Dict[str, Any], names: Optional[List[str]]) -> None:
    """The domains of a run that listed nothing: who can search them is not known, which is not "nobody"."""
    for name, domain in place["domains"].items():
        if names is None or name in names:
            domain["unknown"] = True


def _paired(results: List[Dict[str, Any]], runs: List[Dict[str, Any]]) -> List[Tuple[Dict[str, Any], Dict[str, Any]]]:
    """Each run with its result; a planned run without one failed before it could say why."""
    if not runs:
        return [(result, result) for result in results]
    by_run = {result.get("run"): result for result in results if result}
    missing = {"failed": True, "msg": "the run ended before it kept its result; see the play's output", "access": None}
    return [(run, by_run.get(run["name"], missing)) for run in runs]


def summary(accounts: List[Dict[str, Any]]) -> Dict[str, int]:
    """What the run did; revoked counts every path: connections deleted, VPC endpoint access revoked, and access
    policy grants taken out."""
    regions = [region for account in accounts for region in account["regions"]]
    outcomes = [row["outcome"] for row in _rows(accounts)]
    other_paths = [
        grant
        for _key, domain in _domains(accounts)
        for grant in domain.get("grants") or []
        if grant.get("path") != "connection" and grant.get("outcome") == "revoked"
    ]
    return {
        "domains": sum(len(region["domains"]) for region in regions),
        "connections": len(outcomes),
        "accepted": outcomes.count("accepted"),
        "rejected": outcomes.count("rejected"),
        "revoked": outcomes.count("revoked") + len(other_paths),
        "pending_for_a_person": outcomes.count("pending"),
        "failures": outcomes.count("failed") + sum(len(region["failures"]) for region in regions),
    }


def _rows(accounts: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    return [row for _key, domain in _domains(accounts) for row in domain["connections"]]


def _domains(accounts: List[Dict[str, Any]]) -> List[Tuple[DomainKey, Dict[str, Any]]]:
    return [(domain_key(account, region, domain), domain) for account, region, domain in each_domain(accounts)]


def connections_of(report: Dict[str, Any]) -> Dict[str, DomainKey]:
    return {
        str(row.get("connection_id")): key
        for key, domain in _domains(report["accounts"])
        for row in domain.get("connections") or []
    }


def known_domains(report: Dict[str, Any]) -> Set[DomainKey]:
    """The domains whose connections this run read."""
    return {key for key, domain in _domains(report["accounts"]) if not domain.get("unknown")}


def changes(report: Dict[str, Any], previous: Optional[Dict[str, Any]]) -> Optional[Dict[str, Any]]:
    """What changed since the previous report, over the domains this run governed (a domain not governed now is no
    evidence that access was lost); None without a previous report."""
    if previous is None:
        return None
    governed = known_domains(report)
    now, before = connections_of(report), connections_of(previous)
    gained, lost = access_changes(report, previous)
    return {
        "since": previous.get("started"),
        "new_connections": _connection_list(sorted(set(now) - set(before)), now, governed),
        "connections_gone": _connection_list(sorted(set(before) - set(now)), before, governed),
        "accounts_gained_access": gained,
        "accounts_lost_access": lost,
    }


def _connection_list(ids: List[str], where: Dict[str, DomainKey], governed: Set[DomainKey]) -> List[Dict]:
    return [
        {"connection_id": cid, "account_id": where[cid][0], "region": where[cid][1], "domain_name": where[cid][2]}
        for cid in ids
        if where[cid] in governed
    ]


def problems(report: Dict[str, Any]) -> List[str]:
    """Why the run must fail: what was not governed, failed runs and decisions, or nothing governed at all."""
    found = [f"{item['host']} not governed: {item['reason']}" for item in report["not_governed"]]
    for account in report["accounts"]:
        for region in account["regions"]:
            where = f"account {account['account_id']}, {region['region']}"
            found += [f"{where}: {failure}" for failure in region["failures"]]
            found += [
                f"{where}, {domain['domain_name']}: connection {row['connection_id']} failed: {row['failure']}"
                for domain in region["domains"]
                for row in domain["connections"]
                if row["outcome"] == "failed"
            ]
    found += [finding_line(item) for item in report.get("findings") or [] if item["fails_the_run"]]
    if not report["summary"]["domains"] and not found:
        sources = ", ".join(report.get("sources") or []) or "none"
        found.append(
            f"no domain was governed: the inventory sources ({sources}) listed none; check that each file's name ends"
            " in domains.aws_search.yml and that its regions are the domains'"
        )
    return found
