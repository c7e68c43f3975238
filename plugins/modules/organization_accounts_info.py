#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the aws_search.cross_cluster project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: organization_accounts_info
short_description: List the accounts of an AWS Organization, or of some of its organizational units
version_added: 0.3.0
description:
  - Lists the accounts of the AWS Organization of the caller, or those in some of its organizational units (OUs) and
    every OU below them, with their state and the OU they sit in directly.
  - Made for allowlists that follow the organization, read at every run; give RV(account_ids) to
    M(aws_search.cross_cluster.inbound_connection_policy) as an entry's C(owner_ids).
  - Walks the OU tree once, each OU listed once, pages of 20 (AWS's largest); a page may be empty while more follow.
  - Never changes anything; check mode makes the same reads.
  - Only the organization's management account or a delegated administrator may list its accounts.
options:
  organizational_unit_ids:
    description:
      - The accounts directly in each of these OUs (C(ou-...)) or roots (C(r-...)), and in every OU below them,
        however deep.
      - The whole organization when left out.
      - Each id is checked against AWS's pattern before any call; an id the organization does not have fails the
        task, naming it.
    type: list
    elements: str
  states:
    description:
      - Which accounts count, by their state.
      - Read from the account's C(State), or from the older C(Status) where only that is returned.
    type: list
    elements: str
    default: [ACTIVE]
    choices: [ACTIVE, SUSPENDED, PENDING_CLOSURE, PENDING_ACTIVATION, CLOSED]
notes:
  - AWS Organizations is a global service; the region is V(us-east-1) unless one is given.
  - "IAM actions needed: C(organizations:ListRoots) (without O(organizational_unit_ids)),
    C(organizations:ListOrganizationalUnitsForParent) and C(organizations:ListAccountsForParent)."
  - Calls are retried by botocore's standard retry mode, as for this collection's other modules.
seealso:
  - module: aws_search.cross_cluster.inbound_connection_policy
author:
  - aws_search.cross_cluster maintainers (@aws-search)
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: The active accounts of the production OU, and of every OU below it
  aws_search.cross_cluster.organization_accounts_info:
    organizational_unit_ids: [ou-abcd-11111111]
    profile: org-reader            # management account or delegated administrator
  register: org

- name: Keep exactly the organization's active accounts (and one partner) connected
  aws_search.cross_cluster.inbound_connection_policy:
    allow:
      - owner_ids: "{{ org.account_ids }}"
      - owner_id: "222222222222"
        domain_name: "analytics-*"
    allowed: accept
    revoke: true
"""

RETURN = r"""
accounts:
  description: The accounts in one of O(states), sorted by id. E-mail addresses are left out.
  returned: always
  type: list
  elements: dict
  contains:
    account_id:
      description: The 12-digit account id.
      type: str
      sample: "111111111111"
    name:
      description: The account's name.
      type: str
      sample: analytics
    state:
      description: The account's state (C(State), or C(Status) where only that is returned).
      type: str
      sample: ACTIVE
    organizational_unit_id:
      description: The OU or root the account sits in directly.
      type: str
      sample: ou-abcd-11111111
account_ids:
  description: The ids of RV(accounts), sorted; what an allowlist needs.
  returned: always
  type: list
  elements: str
  sample: ["111111111111", "333333333333"]
"""

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.aws_search.cross_cluster.plugins.module_utils.api_calls import aws_client
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.input_checks import organization_problem
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.organization import Organization
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.organization import OrganizationError

STATES = ["ACTIVE", "SUSPENDED", "PENDING_CLOSURE", "PENDING_ACTIVATION", "CLOSED"]
ARGUMENT_SPEC = dict(
    organizational_unit_ids=dict(type="list", elements="str"),
    states=dict(type="list", elements="str", default=["ACTIVE"], choices=STATES),
)


def main() -> None:
    module = AnsibleAWSModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True)
    problem = organization_problem(module.params)
    if problem:
        module.fail_json(msg=problem)
    if not module.region:
        module.params["region"] = "us-east-1"
    organization = Organization(aws_client(module, "organizations"))
    try:
        found = organization.accounts(module.params["organizational_unit_ids"] or ())
    except OrganizationError as error:
        module.fail_json_aws_error(error)
    accounts = [account for account in found if account.state in module.params["states"]]
    module.exit_json(
        changed=False,
        accounts=[account.as_dict() for account in accounts],
        account_ids=[account.account_id for account in accounts],
    )


if __name__ == "__main__":
    main()
