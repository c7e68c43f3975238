# -*- coding: utf-8 -*-

# Copyright: Contributors to the aws_search.cross_cluster project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The guard's plan: each domain's settings resolved once, the domains grouped into one policy run per account,
region and distinct settings, and every domain or account that cannot be governed named with the reason."""

from __future__ import annotations

import hashlib
import json
from typing import Any
from typing import Dict
from typing import Iterable
from typing import List
from typing import Mapping
from typing import Optional
from typing import Tuple

# Each setting: the guard_ name (group_vars, which wins), the estate-wide name (-e), and the default.
SETTINGS = (
    ("allow", "guard_allow", "allow", None),
    ("allowed", "guard_allowed", "allowed", "leave"),
    ("unlisted", "guard_unlisted", "unlisted", "reject"),
    ("revoke", "guard_revoke", "revoke", False),
    ("api", "guard_api", "api", "es"),
)
# Every variable the guard reads: the settings under both names, and the playbook's own.
GUARD_VARIABLES = tuple(name for setting in SETTINGS for name in setting[1:3]) + (
    "guard_hosts",
    "report_dir",
    "report_previous",
    "report_mode",
)
# A host variable that the domains inventory always sets, and the guard cannot do without.
DOMAIN_VARIABLES = ("account_id", "domain_region", "domain_name")
NO_ALLOWLIST = "no allowlist: give allow (-e @allow.yml) or guard_allow (group_vars); allow: [] rejects every request"
OWN_GROUPS = ("all", "ungrouped", "aws_search_domains")


def settings_of(host_vars: Mapping[str, Any]) -> Tuple[Optional[Dict[str, Any]], Optional[str]]:
    """A domain's settings, or the reason it has none."""
    settings = {}
    for name, group_name, estate_name, default in SETTINGS:
        if group_name in host_vars:
            settings[name] = host_vars[group_name]
        elif estate_name in host_vars:
            settings[name] = host_vars[estate_name]
        else:
            settings[name] = default
    if settings["allow"] is None:
        return None, NO_ALLOWLIST
    return settings, None


def run_key(domain: Dict[str, Any]) -> Tuple[str, str, str, str]:
    role = domain.get("account_role_arn") or ""
    return (domain["account_id"], domain["region"], role, json.dumps(domain["settings"], sort_keys=True, default=str))


def plan_runs(domains: Iterable[Dict[str, Any]], started: str) -> Dict[Tuple[str, str, str, str], Dict[str, Any]]:
    """One policy run per account, region, role and distinct settings, by their key, in a stable order."""
    grouped: Dict[Tuple[str, str, str, str], List[Dict[str, Any]]] = {}
    for domain in domains:
        grouped.setdefault(run_key(domain), []).append(domain)
    runs = {}
    for key in sorted(grouped):
        members = grouped[key]
        first = members[0]
        digest = hashlib.sha256("\0".join(key).encode()).hexdigest()[:8]
        runs[key] = {
            "name": f"guard-{first['account_id']}-{first['region']}-{digest}",
            "account_id": first["account_id"],
            "region": first["region"],
            "account_role_arn": first.get("account_role_arn"),
            "account_role_region": first.get("account_role_region") or first["region"],
            "settings": first["settings"],
            "domain_names": sorted(domain["domain_name"] for domain in members),
            "role_session_name": f"aws-search-guard-{started}",
        }
    return runs


def _where(host: str, host_vars: Mapping[str, Any]) -> Dict[str, Any]:
    """Which host, account, region, domain and inventory source an entry of the plan is about."""
    return {
        "host": host,
        "account_id": host_vars.get("account_id"),
        "region": host_vars.get("domain_region"),
        "domain_name": host_vars.get("domain_name"),
        "source": host_vars.get("inventory_source") or host_vars.get("inventory_file"),
    }


def domain_of(host: str, host_vars: Mapping[str, Any]) -> Dict[str, Any]:
    """What the report and the plan need of one domain host."""
    return dict(
        _where(host, host_vars),
        account_role_arn=host_vars.get("account_role_arn"),
        account_role_region=host_vars.get("account_role_region"),
        tags=host_vars.get("domain_tags") or {},
        groups=sorted(name for name in host_vars.get("group_names", []) if name not in OWN_GROUPS),
    )


def not_governed(host: str, host_vars: Mapping[str, Any], reason: str) -> Dict[str, Any]:
    return dict(_where(host, host_vars), reason=reason)


UNPARSED = (
    "Ansible is not told to fail on an inventory source it cannot parse, so a source with a wrong option or an error"
    " may have left its account out unseen: run the guard with ANSIBLE_INVENTORY_ANY_UNPARSED_IS_FAILED=true (or"
    " any_unparsed_is_failed = true under [inventory] in ansible.cfg)"
)


def edits(first: str, second: str) -> int:
    """How many insertions, deletions, substitutions or swaps of two neighbours make first into second."""
    previous, current = None, list(range(len(second) + 1))
    for i, letter in enumerate(first, 1):
        before, previous, current = previous, current, [i] + [0] * len(second)
        for j, other in enumerate(second, 1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (letter != other))
            if before and i > 1 and j > 1 and letter == second[j - 2] and first[i - 2] == other:
                current[j] = min(current[j], before[j - 2] + 1)
    return current[-1]


def meant_setting(name: str) -> Optional[str]:
    """The guard variable of five letters or more that name is one or two edits away from. api is left out: too many
    common names (app, ami, apt) are one edit from it; guard_api is not."""
    if name in GUARD_VARIABLES:
        return None
    close = [known for known in GUARD_VARIABLES if len(known) >= 5 and edits(name, known) <= 2]
    return min(close, key=lambda known: edits(name, known)) if close else None


def misspelling_problem(host_vars: Mapping[str, Any]) -> Optional[str]:
    """A variable that looks like a misspelled guard setting (revok=true), which the guard would silently ignore."""
    found = [(name, meant_setting(str(name))) for name in sorted(host_vars, key=str)]
    misspelled = [f"{name} (did you mean {meant}?)" for name, meant in found if meant]
    if not misspelled:
        return None
    return (
        f"{', '.join(misspelled)} is not a guard setting, and a misspelled setting would be ignored: rename it (in -e,"
        " group_vars or host_vars)"
    )


def domain_variables_problem(host_vars: Mapping[str, Any]) -> Optional[str]:
    """A domain host without the variables the domains inventory gives every domain (a hand-written host)."""
    missing = [name for name in DOMAIN_VARIABLES if not isinstance(host_vars.get(name), str) or not host_vars[name]]
    if not missing:
        return None
    return (
        f"it has no {', '.join(missing)} (as text): the guard governs the hosts of the aws_search.cross_cluster.domains"
        " inventory only; take this host out of the group aws_search_domains"
    )


def _domain_or_reason(host: str, host_vars: Mapping[str, Any]) -> Tuple[Optional[Dict[str, Any]], Optional[str]]:
    """A domain with its settings, or why it cannot be governed (a template of its settings that fails, too)."""
    try:
        problem = domain_variables_problem(host_vars) or misspelling_problem(host_vars)
        if problem:
            return None, problem
        settings, problem = settings_of(host_vars)
        return (None, problem) if problem else (dict(domain_of(host, host_vars), settings=settings), None)
    except Exception as error:  # pylint: disable=broad-exception-caught
        return None, f"its variables could not be resolved: {type(error).__name__}: {error}"


def build_plan(
    hostvars: Mapping[str, Mapping[str, Any]],
    domain_hosts: List[str],
    unreadable_hosts: List[str],
    started: str,
    unparsed_is_failed: bool = True,
) -> Dict[str, Any]:
    """hostvars: Ansible's hostvars (each host's variables resolved on access), read once per host."""
    governed, refused = [], []
    if not unparsed_is_failed:
        refused.append(not_governed("inventory", {}, UNPARSED))
    for host in sorted(set(unreadable_hosts)):
        host_vars = hostvars[host]
        refused.append(not_governed(host, host_vars, str(host_vars.get("unreadable_reason") or "could not be read")))
    for host in sorted(set(domain_hosts) - set(unreadable_hosts)):
        host_vars = hostvars[host]
        domain, problem = _domain_or_reason(host, host_vars)
        if problem:
            refused.append(not_governed(host, host_vars, problem))
        else:
            governed.append(domain)
    runs = plan_runs(governed, started)
    domains = [dict(_reported(domain), run=runs[run_key(domain)]["name"]) for domain in governed]
    inventories = inventories_read(hostvars, sorted(set(domain_hosts) | set(unreadable_hosts)))
    plan = {"runs": list(runs.values()), "domains": domains, "not_governed": refused, "started": started}
    return dict(plan, inventories=inventories)


def inventories_read(hostvars: Mapping[str, Mapping[str, Any]], hosts: List[str]) -> List[Dict[str, Any]]:
    """Each domains inventory source the hosts came from: when it read AWS, whether from the cache, and the accounts
    it left out on purpose (inventory_read)."""
    found: Dict[str, Dict[str, Any]] = {}
    for host in hosts:
        host_vars = hostvars[host]
        read = host_vars.get("inventory_read")
        source = host_vars.get("inventory_source")
        if isinstance(read, Mapping) and source and str(source) not in found:
            found[str(source)] = dict(read, source=str(source))
    return [found[source] for source in sorted(found)]


def _reported(domain: Dict[str, Any]) -> Dict[str, Any]:
    return {key: value for key, value in domain.items() if key not in ("settings", "account_role_region")}
