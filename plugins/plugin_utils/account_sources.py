# -*- coding: utf-8 -*-

# Copyright: Contributors to the aws_search.cross_cluster project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The accounts and regions the domains inventory and the event source cover, in one of their forms: the caller's
own account, one role (iam_role_arn), a list of roles (iam_role_arns), or the accounts of an AWS Organization with
the same role in each (organization and role_name); and the regions given, or each account's enabled ones (all)."""

from __future__ import annotations

import re
from typing import Any
from typing import Callable
from typing import Dict
from typing import List
from typing import NamedTuple
from typing import Optional
from typing import Sequence

try:
    import boto3
    import botocore.exceptions
except ImportError:
    pass  # the inventory and the event source report a missing boto3

from ansible_collections.aws_search.cross_cluster.plugins.module_utils.aws_failures import UnreadableAnswer
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.input_checks import organization_unit_problem
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.input_checks import owner_id_problem
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.input_checks import region_problem
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.organization import Organization

ALL_REGIONS = "all"
# DescribeRegions without AllRegions lists the enabled regions only; these two statuses say so where it lists more.
ENABLED_STATUSES = ("opt-in-not-required", "opted-in")
ROLE_ARN_PATTERN = r"arn:aws[a-z-]*:iam::[0-9]{12}:role/[\w+=,.@/-]{1,512}"
# An IAM role name (64 characters at most), after an optional path such as guard/ or /security/guard/.
ROLE_NAME_PATTERN = r"/?(?:[\w+=,.@-]+/)*[\w+=,.@-]{1,64}"
ORGANIZATION_KEYS = ("organizational_unit_ids", "exclude_account_ids")
DEFAULT_MAX_CONCURRENCY = 8
MAX_CONCURRENCY_BOUND = 64


def partition_for(region: str) -> str:
    """The partition of region; aws for a region botocore does not know (its role ARNs are then refused, and say so)."""
    try:
        return boto3.session.Session().get_partition_for_region(region)
    except botocore.exceptions.UnknownRegionError:
        return "aws"


def role_arn(partition: str, account_id: str, role_name: str) -> str:
    """The role named role_name (after its path, if any) in account_id."""
    return f"arn:{partition}:iam::{account_id}:role/{role_name.lstrip('/')}"


class OrganizationRoles(NamedTuple):
    """The role to assume in each account kept, how many accounts were left out on purpose (excluded, not_active),
    and the name of each account kept, by id."""

    roles: List[str]
    left_out: Dict[str, int]
    names: Dict[str, str]


def organization_role_arns(
    client: Any, organization: Dict[str, Any], role_name: str, partition: str
) -> OrganizationRoles:
    """role_name in each ACTIVE account of the organization (or of its OUs given), less the excluded accounts, as
    organization_accounts_info reads them; OrganizationError when the organization cannot be read."""
    accounts = Organization(client).accounts(organization.get("organizational_unit_ids") or ())
    excluded = set(organization.get("exclude_account_ids") or ())
    kept = [a.account_id for a in accounts if a.state == "ACTIVE" and a.account_id not in excluded]
    left_out = {
        "excluded": sum(1 for a in accounts if a.account_id in excluded),
        "not_active": sum(1 for a in accounts if a.state != "ACTIVE" and a.account_id not in excluded),
    }
    names = {a.account_id: a.name for a in accounts if a.account_id in kept and a.name}
    return OrganizationRoles([role_arn(partition, account_id, role_name) for account_id in kept], left_out, names)


def enabled_regions(answer: Dict[str, Any]) -> List[str]:
    """The regions an EC2 DescribeRegions answer shows as enabled for the caller, sorted; UnreadableAnswer for an
    answer that is not DescribeRegions' (never "no region")."""
    regions = answer.get("Regions")
    if not isinstance(regions, list) or not all(isinstance(r, dict) and r.get("RegionName") for r in regions):
        raise UnreadableAnswer("the answer to DescribeRegions has no Regions, or a region without its RegionName")
    enabled = sorted(r["RegionName"] for r in regions if r.get("OptInStatus", ENABLED_STATUSES[0]) in ENABLED_STATUSES)
    if not enabled:
        # Every account has the regions AWS enables by default: none is an answer that is not the account's.
        raise UnreadableAnswer("the answer to DescribeRegions shows no enabled region")
    return enabled


def wants_all_regions(regions: Sequence[str]) -> bool:
    return list(regions) == [ALL_REGIONS]


def accounts_problem(options: Dict[str, Any], role_option: str = "iam_role_arn") -> Optional[str]:
    """The first rule the account options (role_option, the one role, iam_role_arns, organization, role_name,
    max_concurrency) break; None when they are valid."""
    forms = [name for name in (role_option, "iam_role_arns", "organization") if options.get(name) is not None]
    if len(forms) > 1:
        return (
            f"{' and '.join(forms)} are different ways to name the accounts; give one. With iam_role_arns or"
            " organization, run with the credentials of the identity that assumes them (environment, profile or role)"
        )
    problems = (
        _role_arns_problem(options.get("iam_role_arns")),
        _role_arns_problem([options[role_option]], role_option) if options.get(role_option) else None,
        _organization_problem(options.get("organization"), options.get("role_name")),
        _concurrency_problem(options.get("max_concurrency", DEFAULT_MAX_CONCURRENCY)),
    )
    return next((problem for problem in problems if problem), None)


def regions_problem(regions: Any) -> Optional[str]:
    """The first rule the regions option breaks: a list of region names, or all alone."""
    if not isinstance(regions, list) or not regions:
        return "regions must name at least one region, or be all for each account's enabled regions; none is guessed"
    if ALL_REGIONS in regions and len(regions) > 1:
        return "regions: all stands alone (each account's enabled regions); give all, or a list of regions"
    if wants_all_regions(regions):
        return None
    problems = (region_problem(region, f"regions[{index}]") for index, region in enumerate(regions))
    return next((problem for problem in problems if problem), None)


def _role_arns_problem(arns: Any, option: str = "iam_role_arns") -> Optional[str]:
    if arns is None:
        return None
    if not isinstance(arns, list) or not arns:
        return f"{option} must be a list of at least one role ARN"
    for index, arn in enumerate(arns):
        if not isinstance(arn, str) or not re.fullmatch(ROLE_ARN_PATTERN, arn):
            where = f"{option}[{index}]" if option == "iam_role_arns" else option
            return f"{where} must be a role ARN such as arn:aws:iam::111111111111:role/search-guard, got '{arn}'"
    duplicates = sorted({arn for arn in arns if arns.count(arn) > 1})
    return f"{option} names {duplicates[0]} more than once" if duplicates else None


def _organization_problem(organization: Any, role_name: Any) -> Optional[str]:
    if organization is None:
        return "role_name is for organization: give organization too, or leave role_name out" if role_name else None
    if not isinstance(organization, dict):
        return "organization must be a mapping (organizational_unit_ids, exclude_account_ids), {} for all of it"
    unknown = sorted(set(organization) - set(ORGANIZATION_KEYS))
    if unknown:
        return f"organization has no key '{unknown[0]}'; it takes {' and '.join(ORGANIZATION_KEYS)}"
    if not isinstance(role_name, str) or not re.fullmatch(ROLE_NAME_PATTERN, role_name):
        return (
            "organization needs role_name, the role to assume in each account (a name such as"
            f" OrganizationAccountAccessRole, after a path if it has one), got '{role_name}'"
        )
    return _id_list_problem(organization, "organizational_unit_ids", organization_unit_problem) or _id_list_problem(
        organization, "exclude_account_ids", owner_id_problem
    )


def _id_list_problem(
    organization: Dict[str, Any], key: str, id_problem: Callable[[object, str], Optional[str]]
) -> Optional[str]:
    ids = organization.get(key)
    if ids is None:
        return None
    if not isinstance(ids, list) or not ids:
        return f"organization.{key} must be a list of at least one id; leave it out otherwise"
    problems = (id_problem(value, f"organization.{key}[{index}]") for index, value in enumerate(ids))
    return next((problem for problem in problems if problem), None)


def _concurrency_problem(value: Any) -> Optional[str]:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_CONCURRENCY_BOUND:
        return f"max_concurrency must be a whole number from 1 to {MAX_CONCURRENCY_BOUND}, got '{value}'"
    return None
