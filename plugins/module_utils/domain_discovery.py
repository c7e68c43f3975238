# -*- coding: utf-8 -*-

# Copyright: Contributors to the aws_search.cross_cluster project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""What the domains inventory found in one account: the domains, and every region, account or domain it could not
read, kept as data (never dropped) so that the guard can name them and fail."""

from __future__ import annotations

import difflib
import hashlib
import re
from typing import Any
from typing import Dict
from typing import Iterable
from typing import List
from typing import Optional

try:
    import boto3
except ImportError:
    pass  # AWSInventoryBase reports a missing boto3

GROUP = "aws_search_domains"
UNREADABLE_GROUP = "aws_search_unreadable"
# How many ListTags calls one region runs at once.
MAX_TAG_READS = 8
ROLE_ARN = re.compile(r"arn:(?P<partition>[a-z-]+):iam::(?P<account>[0-9]{12}):role/.+")
UNKNOWN_ACCOUNT = "unknown"


# The file names the domains inventory reads.
DOMAINS_FILE_SUFFIXES = ("domains.aws_search.yml", "domains.aws_search.yaml")


def partition_of(caller_arn: str) -> str:
    """The partition (aws, aws-cn, aws-us-gov, ...) of an ARN such as STS GetCallerIdentity's."""
    parts = str(caller_arn).split(":")
    return parts[1] if len(parts) > 2 and parts[1] else "aws"


def account_of_arn(arn: str) -> str:
    """The account of an ARN (arn:PARTITION:SERVICE:REGION:ACCOUNT:...); "" when it names none."""
    parts = str(arn).split(":")
    return parts[4] if len(parts) > 5 else ""


def domain_arn(partition: str, region: str, account_id: str, domain_name: str) -> str:
    return f"arn:{partition}:es:{region}:{account_id}:domain/{domain_name}"


def account_of_role(role_arn: Optional[str]) -> str:
    """The account a role belongs to, read from its ARN; UNKNOWN_ACCOUNT without one."""
    found = ROLE_ARN.fullmatch(role_arn or "")
    return found["account"] if found else UNKNOWN_ACCOUNT


def unreadable(account_id: str, region: str, reason: str, domain_name: Optional[str] = None) -> Dict[str, Any]:
    """One account and region (or one domain of them) that could not be read, and why."""
    entry = {"account_id": account_id, "domain_region": region, "unreadable_reason": reason}
    if domain_name:
        entry["domain_name"] = domain_name
    return entry


def unreadable_hostname(entry: Dict[str, Any], source: str) -> str:
    """Unique across sources: an account that could not even be named is told apart by its inventory source."""
    account = entry["account_id"] if entry["account_id"] != UNKNOWN_ACCOUNT else source
    parts = [entry.get("domain_name") or "unreadable", entry["domain_region"], account]
    return ".".join(parts)


def unknown_regions(regions: Iterable[str]) -> List[str]:
    """The regions that no partition botocore knows has (a typo such as eu-wset-1, or a region newer than botocore)."""
    session = boto3.session.Session()
    known = set()
    for partition in session.get_available_partitions():
        known.update(session.get_available_regions("es", partition_name=partition))
    return [region for region in regions if region not in known]


def unknown_option_problem(config: Dict[str, Any], known: List[str], plugin: str) -> Optional[str]:
    """The first key of the source that is no option of this plugin, with the closest option."""
    unknown = sorted(str(key) for key in config if key not in known)
    if not unknown:
        return None
    close = difflib.get_close_matches(unknown[0], known, n=1)
    meant = f" (did you mean {close[0]}?)" if close else ""
    return (
        f"{unknown[0]} is not an option of the {plugin} inventory{meant}; the source is not read until it"
        " is fixed, since a misspelled option would silently change what is read"
    )


def unknown_region_problem(regions: List[str]) -> Optional[str]:
    """A region that no partition botocore knows has (a typo would read nothing there, and look like no domain), or
    regions of two partitions (an account lives in one: the other's would read nothing)."""
    unknown = unknown_regions(regions)
    if unknown:
        return (
            f"no AWS partition botocore knows has a region named {unknown[0]}; fix the name (a region newer than"
            " botocore needs a newer botocore); the source is not read until it is fixed"
        )
    session = boto3.session.Session()
    partitions = sorted({session.get_partition_for_region(region) for region in regions})
    if len(partitions) > 1:
        return (
            f"the regions {', '.join(regions)} are of the partitions {' and '.join(partitions)}, and an account lives"
            " in one: give each partition's accounts a source of their own; the source is not read until it is fixed"
        )
    return None


# The group variable, one per source, that says the source was read (inventory_read and its path).
SOURCE_VARIABLE_PREFIX = "aws_search_inventory_"


def source_variable(path: str) -> str:
    return SOURCE_VARIABLE_PREFIX + hashlib.sha256(str(path).encode()).hexdigest()[:16]
