# -*- coding: utf-8 -*-

# Copyright: Contributors to the aws_search.cross_cluster project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The rules module options must follow, checked before any AWS call. Each returns the first rule broken, or None."""

from __future__ import annotations

import datetime
import ipaddress
import re
from typing import Any
from typing import Dict
from typing import Iterable
from typing import Optional

from ansible_collections.aws_search.cross_cluster.plugins.module_utils.access_policy import ORGANIZATION_ID
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.api_differences import APIS
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.api_differences import ConnectionApi

DOMAIN_NAME_PATTERN = r"[a-z][a-z0-9\-]+"
OWNER_ID_PATTERN = r"[0-9]{12}"
REGION_PATTERN = r"[a-z]{2}(-[a-z]+)+-[0-9]{1,2}"
ORGANIZATION_PARENT_PATTERN = r"ou-[0-9a-z]{4,32}-[0-9a-z]{8,32}|r-[0-9a-z]{4,32}"
OPENSEARCH_ONLY = ("connection_mode", "skip_unavailable")
# A shell-style pattern over domain names and regions: their characters, * and ?, and [...] or [!...] sets.
GLOB_PATTERN = r"(?:[a-z0-9\-*?]|\[!?[a-z0-9\-]+\])+"
# Exactly one of these names who an allow entry is about.
WHO_KEYS = ("owner_id", "owner_ids", "organization_id", "source_ips", "service", "authenticated")
# What an exception says of itself: a name, why it exists, and its last day (UTC).
EXCEPTION_KEYS = ("name", "reason", "expires")
ALLOW_KEYS = WHO_KEYS + ("domain_name", "region", "destination_domain_name") + EXCEPTION_KEYS
# The kinds of entry that allow no connection: a connection does not say its source's organization, addresses or
# service, so a source domain_name or region would narrow them to nothing.
NOT_CONNECTION_KEYS = ("organization_id", "source_ips", "service", "authenticated")
# An AWS service principal: firehose.amazonaws.com, es.amazonaws.com.cn.
SERVICE_PATTERN = r"[a-z0-9][a-z0-9-]*(\.[a-z0-9][a-z0-9-]*)*\.amazonaws\.com(\.cn)?"
GLOB_KEYS = ("domain_name", "region", "destination_domain_name")
MAX_CONCURRENCY = 16


def inbound_problem(request: Any, api: ConnectionApi) -> Optional[str]:
    """The first rule the inbound_connection options (an InboundRequest) break; None when they are valid."""
    return api.id_problem(request.connection_id) or wait_timeout_problem(request.wait_timeout)


def outbound_problem(request: Any, api: ConnectionApi) -> Optional[str]:
    """The first rule the outbound_connection options (an OutboundRequest) break; None when they are valid."""
    if request.by_match and not (request.local_domain and request.remote_domain and request.connection_alias):
        return f"state={request.state} needs connection_id, or local_domain, remote_domain and connection_alias"
    opensearch_only = [name for name in OPENSEARCH_ONLY if getattr(request, name) is not None]
    if opensearch_only and api.name != "opensearch":
        return f"{' and '.join(opensearch_only)} need api=opensearch; the es API has no such settings"
    problems = (
        request.connection_id and api.id_problem(request.connection_id),
        request.local_domain and domain_problem(request.local_domain, "local_domain"),
        request.remote_domain and domain_problem(request.remote_domain, "remote_domain"),
        request.connection_alias is not None and api.alias_problem(request.connection_alias),
        wait_timeout_problem(request.wait_timeout),
    )
    return next((problem for problem in problems if problem), None)


def domain_problem(domain: Dict[str, Optional[str]], option: str) -> Optional[str]:
    """The rule a domain given as module options breaks, or None when it is valid (both APIs share them)."""
    problem = domain_name_problem(domain.get("domain_name") or "", f"{option}.domain_name")
    if problem:
        return problem
    owner = domain.get("owner_id")
    if owner is not None:
        return owner_id_problem(owner, f"{option}.owner_id")
    return None


def domain_name_problem(name: str, option: str) -> Optional[str]:
    if not 3 <= len(name) <= 28 or not re.fullmatch(DOMAIN_NAME_PATTERN, name):
        return (
            f"{option} must be 3 to 28 characters, start with a lowercase letter and hold only"
            f" lowercase letters, digits and hyphens, got '{name}'"
        )
    return None


def region_problem(region: str, option: str) -> Optional[str]:
    if not re.fullmatch(REGION_PATTERN, region):
        return f"{option} must be an AWS region name such as eu-west-1, got '{region}'"
    return None


def owner_id_problem(owner: object, option: str) -> Optional[str]:
    if not isinstance(owner, str):
        return f"{option} must be a quoted string of 12 digits (YAML reads a bare number as an integer), got {owner}"
    if not re.fullmatch(OWNER_ID_PATTERN, owner):
        return f"{option} must be a 12-digit AWS account id, got '{owner}'"
    return None


def wait_timeout_problem(wait_timeout: int) -> Optional[str]:
    if wait_timeout < 1:
        return f"wait_timeout must be at least 1 second, got {wait_timeout}"
    return None


def policy_problem(params: Dict[str, Any]) -> Optional[str]:
    """The first rule the inbound_connection_policy options break; None when they are valid."""
    concurrency = params["max_concurrency"]
    if not 1 <= concurrency <= MAX_CONCURRENCY:
        return f"max_concurrency must be 1 to {MAX_CONCURRENCY}, got {concurrency}"
    problem = filters_problem(params, ("destination_domain_names",), APIS[params["api"]], "inbound")
    if problem:
        return problem
    problems = (allow_entry_problem(entry, f"allow[{index}]") for index, entry in enumerate(params["allow"]))
    return next((problem for problem in problems if problem), None)


def allow_entry_problem(entry: Dict[str, Any], where: str) -> Optional[str]:
    if not isinstance(entry, dict):
        return f"{where} must be a mapping (owner_id: ..., destination_domain_name: ...), got {entry!r}"
    unknown = sorted(set(entry) - set(ALLOW_KEYS))
    if unknown:
        return f"{where} has the unknown key '{unknown[0]}'; an entry takes {', '.join(ALLOW_KEYS)}"
    problems = [owners_problem(entry, where)]
    problems += [glob_problem(entry[key], f"{where}.{key}") for key in GLOB_KEYS if entry.get(key) is not None]
    problems += [narrowing_problem(entry, where), exception_problem(entry, where)]
    return next((problem for problem in problems if problem), None)


def exception_problem(entry: Dict[str, Any], where: str) -> Optional[str]:
    """An exception's name and reason are text; its expires a date, YYYY-MM-DD (UTC), the last day it allows."""
    for key in ("name", "reason"):
        value = entry.get(key)
        if value is not None and (not isinstance(value, str) or not value.strip()):
            return f"{where}.{key} must be text, got {value!r}"
    expires = entry.get("expires")
    if expires is None:
        return None
    try:
        datetime.date.fromisoformat(str(expires))
        valid = re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", str(expires)) is not None
    except ValueError:
        valid = False
    if not valid:
        return (
            f"{where}.expires must be a date written YYYY-MM-DD (UTC), the last day the entry allows anything, got"
            f" '{expires}'"
        )
    return None


def narrowing_problem(entry: Dict[str, Any], where: str) -> Optional[str]:
    """A source domain_name or region on an entry that allows no connection would narrow it to nothing."""
    kind = next((key for key in NOT_CONNECTION_KEYS if entry.get(key) is not None), None)
    narrowed = [key for key in ("domain_name", "region") if entry.get(key) not in (None, "*")]
    if kind and narrowed:
        return (
            f"{where} has {kind} and {narrowed[0]}: {narrowed[0]} narrows the source domain of a connection, and an"
            f" entry of {kind} allows no connection; leave {narrowed[0]} out (destination_domain_name narrows the"
            " domains it covers)"
        )
    return None


def owners_problem(entry: Dict[str, Any], where: str) -> Optional[str]:
    """An entry names what it allows with exactly one of owner_id (one id), owner_ids (a non-empty list of ids),
    organization_id (an AWS Organization), source_ips (address ranges), service (an AWS service principal) or
    authenticated (true: every user who signs in to the domain)."""
    given = [key for key in WHO_KEYS if entry.get(key) is not None]
    if not given:
        return (
            f"{where} needs one of {', '.join(WHO_KEYS)}: domain names are not unique across accounts, so every entry"
            " names whom it allows"
        )
    if len(given) > 1:
        return f"{where} has both {given[0]} and {given[1]}; give one of them"
    checks = {
        "organization_id": organization_id_problem,
        "source_ips": source_ips_problem,
        "service": service_problem,
        "authenticated": authenticated_problem,
    }
    if given[0] in checks:
        return checks[given[0]](entry[given[0]], f"{where}.{given[0]}")
    if entry.get("owner_id") is not None:
        return owner_id_problem(entry["owner_id"], f"{where}.owner_id")
    owners = entry["owner_ids"]
    if not isinstance(owners, list) or not owners:
        return f"{where}.owner_ids must be a non-empty list of 12-digit account ids, got {owners!r}"
    problems = (owner_id_problem(owner, f"{where}.owner_ids[{index}]") for index, owner in enumerate(owners))
    return next((problem for problem in problems if problem), None)


def organization_id_problem(value: object, option: str) -> Optional[str]:
    if not isinstance(value, str) or not ORGANIZATION_ID.fullmatch(value):
        return f"{option} must be an AWS Organization id (o- and 10 to 32 lowercase letters and digits), got '{value}'"
    return None


def source_ips_problem(value: object, option: str) -> Optional[str]:
    """A non-empty list of address ranges (CIDRs, IPv4 or IPv6), none of them every address."""
    if not isinstance(value, list) or not value or not all(isinstance(item, str) for item in value):
        return f"{option} must be a non-empty list of address ranges such as 203.0.113.0/24, got {value!r}"
    for index, text in enumerate(value):
        try:
            network = ipaddress.ip_network(text)
        except ValueError as error:
            return f"{option}[{index}] must be an address range such as 203.0.113.0/24, got '{text}' ({error})"
        if network.prefixlen == 0:
            return f"{option}[{index}] is {text}, every address: allow the ranges that need the data"
    return None


def service_problem(value: object, option: str) -> Optional[str]:
    if not isinstance(value, str) or not re.fullmatch(SERVICE_PATTERN, value):
        return f"{option} must be an AWS service principal such as firehose.amazonaws.com, got '{value}'"
    return None


def authenticated_problem(value: object, option: str) -> Optional[str]:
    if value is not True:
        return f"{option} must be true (every user who signs in to the domain), got {value!r}; leave the entry out"
    return None


def glob_problem(pattern: object, option: str) -> Optional[str]:
    if not isinstance(pattern, str) or not re.fullmatch(GLOB_PATTERN, pattern):
        return (
            f"{option} must be a shell-style pattern of lowercase letters, digits, hyphens, * and ?,"
            f" and [...] sets, got '{pattern}'"
        )
    return None


def filters_problem(
    params: Dict[str, Any], options: Iterable[str], api: ConnectionApi, direction: str
) -> Optional[str]:
    """The first rule the filter options (lists of ids, owner ids, domain names, regions or statuses) break, or None.

    A typo in a filter would match nothing and read as "no connections", so every value is checked.
    """
    for option in options:
        values = params.get(option)
        if values is None:
            continue
        if not isinstance(values, list) or not all(isinstance(value, str) for value in values):
            return f"{option} must be a list of strings, got {values!r}"
        problems = (
            _filter_value_problem(option, value, f"{option}[{i}]", api, direction) for i, value in enumerate(values)
        )
        problem = next((problem for problem in problems if problem), None)
        if problem:
            return problem
    return None


def _filter_value_problem(option: str, value: str, where: str, api: ConnectionApi, direction: str) -> Optional[str]:
    if option == "statuses" and value not in api.statuses[direction]:
        known = ", ".join(api.statuses[direction])
        return f"{where} must be a {direction} status of the {api.name} API ({known}), got '{value}'"
    if option == "connection_ids":
        return api.id_problem(value, where)
    checks = {"owner_ids": owner_id_problem, "domain_names": domain_name_problem, "regions": region_problem}
    check = next((check for suffix, check in checks.items() if option.endswith(suffix)), None)
    return check(value, where) if check else None


def organization_problem(params: Dict[str, Any]) -> Optional[str]:
    """The first rule the organization_accounts_info options break; None when they are valid."""
    ids = params["organizational_unit_ids"]
    if ids is None:
        return None
    if not ids:
        return "organizational_unit_ids must name at least one OU or root; leave it out for the whole organization"
    problems = (
        organization_unit_problem(value, f"organizational_unit_ids[{index}]") for index, value in enumerate(ids)
    )
    return next((problem for problem in problems if problem), None)


def organization_unit_problem(value: object, option: str) -> Optional[str]:
    """The rule an OU or root id (given as option) breaks, or None."""
    if not isinstance(value, str) or not re.fullmatch(ORGANIZATION_PARENT_PATTERN, value):
        return (
            f"{option} must be an organizational unit id (ou- and two groups of lowercase"
            f" letters and digits) or a root id (r-...), got '{value}'"
        )
    return None
