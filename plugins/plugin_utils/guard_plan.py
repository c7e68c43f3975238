# -*- coding: utf-8 -*-

# Copyright: Contributors to the aws_search.cross_cluster project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The guard's plan: each domain's settings resolved once, the domains grouped into one policy run per account,
region and distinct settings, and every domain or account that cannot be governed named with the reason."""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
from typing import Any
from typing import Dict
from typing import Iterable
from typing import List
from typing import Mapping
from typing import Optional
from typing import Tuple

from ansible.module_utils.parsing.convert_bool import boolean

from ansible_collections.aws_search.cross_cluster.plugins.module_utils.domain_discovery import DOMAINS_FILE_SUFFIXES
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.input_checks import allow_entry_problem

# Each setting: the guard_ name (group_vars, which wins), the estate-wide name (-e), and the default.
SETTINGS = (
    ("allow", "guard_allow", "allow", None),
    ("allowed", "guard_allowed", "allowed", "leave"),
    ("unlisted", "guard_unlisted", "unlisted", "reject"),
    ("revoke", "guard_revoke", "revoke", False),
    ("api", "guard_api", "api", "es"),
    ("findings", "guard_findings", "findings", "fail"),
    ("security_hub", "guard_security_hub", "security_hub", False),
    ("fix_policy", "guard_fix_policy", "fix_policy", False),
)
BOOLEAN_SETTINGS = ("security_hub", "fix_policy")
# What findings (access nobody allowed) do to the run: fail it after the report, or be reported only.
FINDINGS_CHOICES = ("fail", "report")
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
    settings = {
        name: host_vars[group_name] if group_name in host_vars else host_vars.get(estate_name, default)
        for name, group_name, estate_name, default in SETTINGS
    }
    if settings["allow"] is None:
        return None, NO_ALLOWLIST
    problem = allowlist_problem(settings["allow"]) or findings_problem(settings["findings"])
    for name in BOOLEAN_SETTINGS:
        try:
            settings[name] = boolean(settings[name], strict=True)
        except TypeError:
            problem = problem or f"{name} (or guard_{name}) is {settings[name]!r}: give true or false"
    return (None, problem) if problem else (settings, None)


def findings_problem(findings: Any) -> Optional[str]:
    if findings in FINDINGS_CHOICES:
        return None
    return (
        f"findings (or guard_findings) is {findings!r}: give fail (findings fail the run, the default) or report"
        " (findings are reported, and the run does not fail for them)"
    )


def allowlist_problem(allow: Any) -> Optional[str]:
    """The allowlist's first problem, found before any AWS call (a bad expires, a misspelled key): the domain is not
    governed, rather than decided with an allowlist its modules would refuse after the role was taken."""
    if not isinstance(allow, list):
        return (
            f"allow (or guard_allow) must be a list of entries, each beginning with '- ' in YAML, got"
            f" {type(allow).__name__} {json.dumps(allow, default=str)[:200]}"
        )
    problems = (allow_entry_problem(entry, f"allow[{index}]") for index, entry in enumerate(allow))
    return next((problem for problem in problems if problem), None)


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
        account_name=host_vars.get("account_name"),
        account_role_arn=host_vars.get("account_role_arn"),
        account_role_region=host_vars.get("account_role_region"),
        tags=host_vars.get("domain_tags") or {},
        groups=sorted(name for name in host_vars.get("group_names", []) if name not in OWN_GROUPS),
    )


def not_governed(host: str, host_vars: Mapping[str, Any], reason: str) -> Dict[str, Any]:
    return dict(_where(host, host_vars), reason=reason)


# plugin: aws_search.cross_cluster.domains, in YAML or in JSON (which is YAML too).
DOMAINS_PLUGIN = re.compile(r"[\"']?plugin[\"']?\s*:\s*[\"']?aws_search\.cross_cluster\.domains\b")
# Folders of an inventory directory that hold variables, not sources.
NOT_SOURCES = ("group_vars", "host_vars")


def is_domains_source(name: str, text: str) -> bool:
    """A file the domains inventory is meant to read: its name, or a YAML file that names the plugin."""
    return name.endswith(DOMAINS_FILE_SUFFIXES) or (
        name.endswith((".yml", ".yaml", ".json")) and bool(DOMAINS_PLUGIN.search(text))
    )


def domains_sources(paths: Iterable[str]) -> List[str]:
    """The domains inventory sources among the inventory paths ansible-playbook was given (files, and the files of
    directories, as Ansible reads them)."""
    found = []
    for path in paths:
        candidates = [path] if os.path.isfile(path) else _files_below(path)
        found += [
            candidate for candidate in candidates if is_domains_source(os.path.basename(candidate), _text(candidate))
        ]
    return sorted(set(found))


def _files_below(folder: str) -> List[str]:
    files = []
    for root, folders, names in os.walk(folder):
        folders[:] = [name for name in folders if name not in NOT_SOURCES and not name.startswith(".")]
        files += [os.path.join(root, name) for name in names if not name.startswith(".")]
    return files


def _text(path: str) -> str:
    try:
        with open(path, encoding="utf-8", errors="replace") as source:
            return source.read(65536)
    except OSError:
        return ""


def unread_sources(given: Iterable[str], read: Iterable[str]) -> List[Dict[str, Any]]:
    """The domains sources the guard was given and the domains inventory did not read, each not governed."""
    done = {os.path.realpath(path) for path in read}
    return [
        not_governed(
            "inventory",
            {"inventory_source": path},
            f"the inventory source {path} is one of the domains inventory's, and was not read (a wrong option or an"
            " error: Ansible's warning above names it; ANSIBLE_INVENTORY_ANY_UNPARSED_IS_FAILED=true shows the error"
            " itself), so its accounts are not governed: fix it",
        )
        for path in domains_sources(given)
        if os.path.realpath(path) not in done
    ]


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


@functools.lru_cache(maxsize=4096)
def meant_setting(name: str) -> Optional[str]:
    """The guard variable of five letters or more that name is one or two edits away from. api is left out: too many
    common names (app, ami, apt) are one edit from it; guard_api is not. Every host has mostly the same variables:
    each name is weighed once."""
    if name in GUARD_VARIABLES:
        return None
    near = [known for known in GUARD_VARIABLES if len(known) >= 5 and abs(len(known) - len(name)) <= 2]
    close = [known for known in near if edits(name, known) <= 2]
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


# The files and folders Ansible reads variables from, beside an inventory source: group_vars/NAME and host_vars/NAME,
# with one of these suffixes or none (a folder of files too).
VARS_SUFFIXES = (".yml", ".yaml", ".json")
MAX_EDITS = 2


def vars_entries(paths: Iterable[str]) -> List[Tuple[str, str, str]]:
    """(group_vars or host_vars, the group or host it names, its path) of every vars file or folder beside the
    inventory sources (in a source folder, or beside a source file), as Ansible reads them."""
    found = []
    for path in paths:
        folder = path if os.path.isdir(path) else os.path.dirname(path)
        for kind in NOT_SOURCES:
            where = os.path.join(folder, kind)
            names = sorted(os.listdir(where)) if os.path.isdir(where) else []
            found += [(kind, name, os.path.join(where, entry)) for entry, name in _named(where, names)]
    return sorted(set(found))


def _named(folder: str, entries: List[str]) -> List[Tuple[str, str]]:
    """(entry, the name it gives variables to): a folder or a file without a vars suffix names itself (host names hold
    dots); in group_vars, whose names hold none, a file of another suffix is not read by Ansible."""
    named = []
    for entry in entries:
        stem, suffix = os.path.splitext(entry)
        if entry.startswith("."):
            continue
        if suffix in VARS_SUFFIXES and not os.path.isdir(os.path.join(folder, entry)):
            named.append((entry, stem))
        elif os.path.basename(folder) == "host_vars" or not suffix:
            named.append((entry, entry))
    return named


def misnamed_vars(paths: Iterable[str], groups: Mapping[str, Any]) -> Tuple[List[Dict[str, str]], List[str]]:
    """The vars files that name no group (host) of the inventory: those within two edits of one that exists (its
    settings were meant for it, and are lost: the run fails), and a warning for each of the others (a class with no
    domain yet)."""
    names = {"group_vars": set(groups), "host_vars": set(groups.get("all") or []) | {"localhost"}}
    misnamed, warnings = [], []
    for kind, name, path in vars_entries(paths):
        if name in names[kind]:
            continue
        near = sorted(known for known in names[kind] if edits(name, known) <= MAX_EDITS)
        if near:
            misnamed += [{"kind": kind, "name": name, "path": path, "meant": meant} for meant in near]
        else:
            what = "group" if kind == "group_vars" else "host"
            warnings.append(f"{path} names no {what} of the inventory ({name}): its variables apply to nothing")
    return misnamed, warnings


def misnamed_problem(item: Dict[str, str]) -> str:
    what = "group" if item["kind"] == "group_vars" else "host"
    return (
        f"{item['path']} names no {what} of the inventory, and {item['name']} is {edits(item['name'], item['meant'])}"
        f" edits from the {what} {item['meant']}: the settings meant for {item['meant']} would be lost (its domains"
        f" would be governed by the settings of the others); rename the file, or the {what}"
    )


def _misnamed_for(host: str, host_vars: Mapping[str, Any], misnamed: List[Dict[str, str]]) -> Optional[str]:
    """The problem of a misnamed vars file meant for this host or one of its groups, or None."""
    groups = set(host_vars.get("group_names") or []) | {"all"}
    for item in misnamed:
        if (item["kind"] == "group_vars" and item["meant"] in groups) or (
            item["kind"] == "host_vars" and item["meant"] == host
        ):
            return misnamed_problem(item)
    return None


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
    sources: Optional[Dict[str, Any]] = None,
) -> Dict[str, Any]:
    """hostvars: Ansible's hostvars (each host's variables resolved on access), read once per host. sources: the
    inventory paths given (given), what each domains source that was read says of itself (read), and the vars files
    that name no group or host, within two edits of one (misnamed)."""
    sources = sources or {}
    read, misnamed = list(sources.get("read") or []), list(sources.get("misnamed") or [])
    governed, refused = [], unread_sources(sources.get("given") or [], [str(item.get("source")) for item in read])
    for host in sorted(set(unreadable_hosts)):
        host_vars = hostvars[host]
        refused.append(not_governed(host, host_vars, str(host_vars.get("unreadable_reason") or "could not be read")))
    for host in sorted(set(domain_hosts) - set(unreadable_hosts)):
        host_vars = hostvars[host]
        problem = _misnamed_for(host, host_vars, misnamed)
        domain, problem = (None, problem) if problem else _domain_or_reason(host, host_vars)
        if problem:
            refused.append(not_governed(host, host_vars, problem))
        else:
            governed.append(domain)
    refused += _misnamed_without_domains(misnamed, refused)
    runs = plan_runs(governed, started)
    domains = [dict(_reported(domain), run=runs[run_key(domain)]["name"]) for domain in governed]
    inventories = sorted(
        (dict(item) for item in read if isinstance(item, Mapping)), key=lambda item: str(item.get("source"))
    )
    plan = {"runs": list(runs.values()), "domains": domains, "not_governed": refused, "started": started}
    return dict(plan, inventories=inventories)


def _misnamed_without_domains(misnamed: List[Dict[str, str]], refused: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """A misnamed vars file that no domain was refused for still fails the run: it is named on its own."""
    named = {str(item.get("reason")) for item in refused}
    problems = [(item, misnamed_problem(item)) for item in misnamed]
    return [
        not_governed("inventory", {"inventory_source": item["path"]}, problem)
        for item, problem in problems
        if problem not in named
    ]


def _reported(domain: Dict[str, Any]) -> Dict[str, Any]:
    return {key: value for key, value in domain.items() if key not in ("settings", "account_role_region")}
