# -*- coding: utf-8 -*-

# Copyright: Contributors to the aws_search.cross_cluster project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The accounts of an AWS Organization, or of some of its organizational units, read in one walk of the OU tree."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from typing import Dict
from typing import Iterator
from typing import List
from typing import Optional
from typing import Sequence
from typing import Tuple

try:
    import botocore.exceptions
except ImportError:
    pass  # AnsibleAWSModule reports a missing botocore

from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError

from ansible_collections.aws_search.cross_cluster.plugins.module_utils.aws_failures import ANSWER_ERRORS
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.aws_failures import UnreadableAnswer
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.aws_failures import error_code
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.aws_failures import hint_for_any_call

# AWS's largest page for these listings.
PAGE_SIZE = 20
IAM_ACTIONS = (
    "organizations:ListRoots, organizations:ListOrganizationalUnitsForParent and organizations:ListAccountsForParent"
)
HINTS_BY_CODE = {
    "AWSOrganizationsNotInUseException": (
        "the account of these credentials is not in an AWS Organization; use credentials of the management account"
        " or of a delegated administrator"
    ),
    "AccessDeniedException": (
        "only the organization's management account or a delegated administrator may list its accounts; use such"
        f" credentials (profile or role), and grant them {IAM_ACTIONS}"
    ),
    "TooManyRequestsException": "AWS Organizations kept throttling the requests; try again later",
}


class OrganizationError(AnsibleAWSError):
    """A failed AWS Organizations call; message says what happened and what to do."""


@dataclass(frozen=True)
class Account:
    account_id: str
    name: str
    state: Optional[str]
    organizational_unit_id: str

    def as_dict(self) -> Dict[str, Any]:
        return {
            "account_id": self.account_id,
            "name": self.name,
            "state": self.state,
            "organizational_unit_id": self.organizational_unit_id,
        }


def account_state(account: Dict[str, Any]) -> Optional[str]:
    """The account's State; the retiring Status where an SDK or the service returns only that."""
    return account.get("State") or account.get("Status")


class Organization:
    """Reads through an organizations client; each listing follows its pages (20 a page, some possibly empty)."""

    def __init__(self, client: Any) -> None:
        self.client = client

    def accounts(self, start_ids: Sequence[str] = ()) -> List[Account]:
        """Every account directly in one of start_ids (OUs or roots) or in an OU below, however deep; the whole
        organization when start_ids is empty. Each OU is listed once."""
        pending: List[Tuple[str, Optional[int]]] = [(parent, index) for index, parent in enumerate(start_ids)]
        if not pending:
            pending = [(root["Id"], None) for root in self._pages("list_roots", "Roots")]
        seen = set()
        found: Dict[str, Account] = {}
        while pending:
            parent, index = pending.pop(0)
            if parent in seen:
                continue
            seen.add(parent)
            for account in self._pages("list_accounts_for_parent", "Accounts", index, ParentId=parent):
                found.setdefault(
                    account["Id"], Account(account["Id"], account.get("Name", ""), account_state(account), parent)
                )
            units = self._pages("list_organizational_units_for_parent", "OrganizationalUnits", index, ParentId=parent)
            pending.extend((unit["Id"], None) for unit in units)
        return sorted(found.values(), key=lambda account: account.account_id)

    def _pages(self, operation: str, key: str, index: Optional[int] = None, **params: Any) -> Iterator[dict]:
        pages = self.client.get_paginator(operation).paginate(PaginationConfig={"PageSize": PAGE_SIZE}, **params)
        try:
            for page in pages:
                yield from _entries(page, key, operation)
        except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError, *ANSWER_ERRORS) as error:
            raise failure(error, operation, params.get("ParentId"), index) from error


def _entries(page: Dict[str, Any], key: str, operation: str) -> List[dict]:
    """The page's entries under key, each with its Id; UnreadableAnswer for a page that is not the API's answer."""
    entries = page.get(key)
    if not isinstance(entries, list) or not all(isinstance(entry, dict) and entry.get("Id") for entry in entries):
        raise UnreadableAnswer(f"the answer to {operation} has no {key}, or an entry without its Id")
    return entries


def failure(error: Exception, operation: str, parent: Optional[str], index: Optional[int]) -> OrganizationError:
    code = error_code(error)
    if code == "ParentNotFoundException" and index is not None:
        hint = (
            f"organizational_unit_ids[{index}] '{parent}' is not an organizational unit or root of this"
            " organization; check the id (aws organizations list-roots, list-organizational-units-for-parent)"
        )
    else:
        hint = HINTS_BY_CODE.get(code or "") or hint_for_any_call(error)
    return OrganizationError(
        message=f"Could not read the organization's accounts ({operation}): {hint}", exception=error
    )
