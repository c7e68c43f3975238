#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the aws_search.cross_cluster project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: inbound_connection_policy
short_description: Decide every inbound cross-cluster search connection request against an allowlist
version_added: 0.2.0
description:
  - Lists the inbound cross-cluster search connections to your domains once, then rejects, accepts or deletes
    each one as an allowlist of partner accounts and domains says, in one task.
  - A request that is C(PENDING_ACCEPTANCE) and matches an entry of O(allow) is accepted or left, as O(allowed)
    says; one that matches no entry is rejected or left, as O(unlisted) says. With O(revoke=true), an accepted
    connection (C(APPROVED), C(PROVISIONING) or C(ACTIVE)) that matches no entry is deleted.
  - Connections that are C(REJECTING), C(REJECTED), C(DELETING) or C(DELETED) are left alone. A status the
    module does not know is left alone with a warning.
  - Makes one C(Describe) call per page of 100 connections, then one call per decision, at most
    O(max_concurrency) at once. Idempotent, so a second run reports C(ok).
  - "A lost reply counts as our change: when AWS's answer to a reject, accept or delete is lost and botocore's retry
    is refused because the connection is already where the action leads, the module reports C(changed) (it
    describes the connection to tell). The one ambiguity: another actor doing the same thing between the two
    attempts is counted as this module's change."
  - When a decision's call fails because someone else changed the connection meanwhile, the module reads the
    connection once more and counts the decision as done when the connection is now where the decision led.
    Any other failure fails the task after all the other decisions have run, with a line per failed
    connection; what was done is still returned.
options:
  allow:
    description:
      - The allowlist. An empty list allows nobody.
      - "Each entry is a dict with these keys. C(owner_id): the 12-digit AWS account id of the source domain's
        owner, or C(owner_ids): a non-empty list of such ids (version 0.3.0 and later), such as the C(account_ids)
        of M(aws_search.cross_cluster.organization_accounts_info); an entry gives exactly one of the two, since
        domain names are not unique across accounts. Matching an account is a set lookup, however long the list.
        C(domain_name): a shell-style pattern (C(*), C(?), C([...])) on the source domain's name, any when left
        out. C(region): a pattern on the source domain's region, any when left out. C(destination_domain_name):
        a pattern on which of your domains this partner may connect to, any when left out."
      - "C(organization_id) (version 0.5.0 and later): an AWS Organization id (C(o-...)), instead of the accounts.
        Such an entry allows no connection (a connection does not say its source's organization); it allows the
        access policy grants to that organization that M(aws_search.cross_cluster.domain_access_policy) judges
        with the same allowlist."
      - "Version 0.6.0 and later: C(source_ips) (address ranges), C(service) (an AWS service principal) or
        C(authenticated) (V(true)) instead of the accounts: for the grants that
        M(aws_search.cross_cluster.domain_access_policy) judges. Such an entry is accepted here and passed over: it
        admits no connection, and takes no C(domain_name) or C(region)."
      - "A connection from the destination domain's own account is always allowed (RV(decisions[].allowed) true,
        RV(decisions[].rule) null): it is never rejected or revoked."
      - "Version 0.6.0 and later: an entry may carry C(name), C(reason) and C(expires) (a date C(YYYY-MM-DD), UTC, the
        last day it allows anything): from the day after, it matches nothing, and RV(decisions[].expired_rule) names it
        where it would have matched."
      - The first entry that matches a connection is the one RV(decisions[].rule) reports.
    type: list
    elements: dict
    required: true
  destination_domain_names:
    description:
      - Consider only connections to these of your domains; the others are neither touched nor reported.
      - All your domains when left out.
    type: list
    elements: str
  allowed:
    description:
      - What happens to a C(PENDING_ACCEPTANCE) request that matches an entry of O(allow).
      - V(leave) leaves it for a person to decide; V(accept) accepts it.
    type: str
    default: leave
    choices: [leave, accept]
  unlisted:
    description:
      - What happens to a C(PENDING_ACCEPTANCE) request that matches no entry of O(allow).
      - V(reject) rejects it; V(leave) leaves it pending.
    type: str
    default: reject
    choices: [reject, leave]
  revoke:
    description:
      - Delete accepted connections (C(APPROVED), C(PROVISIONING), C(ACTIVE)) that match no entry of O(allow),
        so a partner removed from the list loses access. The partner has to request a new connection to
        search your domain again.
    type: bool
    default: false
  max_concurrency:
    description: How many decision calls are in flight at once, 1 to 16.
    type: int
    default: 4
notes:
  - In check mode the module makes only the C(Describe) calls and reports the same decisions with the statuses
    a real run would report.
  - With C(--diff) the module shows the plan, one line per connection it acts on, as a person decides on it
    (C(account 222222222222 is accepted into shared-logs (eu-west-1, connection cc-...))).
  - "IAM actions needed: C(es:DescribeInboundConnections), and C(es:RejectInboundConnection),
    C(es:AcceptInboundConnection) or C(es:DeleteInboundConnection) for the decisions the options allow."
seealso:
  - module: aws_search.cross_cluster.inbound_connection
  - module: aws_search.cross_cluster.inbound_connection_info
author:
  - aws_search.cross_cluster maintainers (@aws-search)
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
  - aws_search.cross_cluster.connection
"""

EXAMPLES = r"""
- name: Read the organization's active accounts (management account or delegated administrator)
  aws_search.cross_cluster.organization_accounts_info:
    profile: org-reader
  register: org

- name: Keep exactly the organization's accounts and one partner connected; revoke the rest
  aws_search.cross_cluster.inbound_connection_policy:
    allow:
      - owner_ids: "{{ org.account_ids }}"
      - owner_id: "222222222222"
        domain_name: "analytics-*"
    allowed: accept
    revoke: true

- name: Reject every request that does not come from a partner, leave the partners' for review
  aws_search.cross_cluster.inbound_connection_policy:
    allow:
      - owner_id: "111111111111"
      - owner_id: "222222222222"
        domain_name: "analytics-*"
        destination_domain_name: shared-logs

- name: Keep only the partners in a vars file, accept theirs, and revoke anybody removed from the list
  aws_search.cross_cluster.inbound_connection_policy:
    allow: "{{ partners }}"
    allowed: accept
    revoke: true
    destination_domain_names: [shared-logs, shared-metrics]
    api: opensearch
  register: policy

- name: Show what was decided
  ansible.builtin.debug:
    msg: "rejected {{ policy.rejected }}, accepted {{ policy.accepted }}, deleted {{ policy.deleted }}"
"""

RETURN = r"""
decisions:
  description:
    - One entry per connection considered, in the order AWS listed them.
    - In check mode, the statuses a real run would report.
  returned: always
  type: list
  elements: dict
  contains:
    connection_id:
      description: The connection id.
      returned: always
      type: str
      sample: "cc-0123456789abcdef"
    source:
      description: The domain that requested the connection.
      returned: always
      type: dict
      contains:
        owner_id:
          description: The AWS account id of the domain's owner.
          returned: always
          type: str
          sample: "111111111111"
        domain_name:
          description: The domain's name.
          returned: always
          type: str
          sample: analytics-eu
        region:
          description: The domain's region.
          returned: always
          type: str
          sample: eu-west-1
    destination_domain_name:
      description: Your domain, which received the request.
      returned: always
      type: str
      sample: shared-logs
    previous_status:
      description: The status the listing found.
      returned: always
      type: str
      sample: PENDING_ACCEPTANCE
    status:
      description:
        - The status after the decision, as AWS answered the call, or as found when nothing was done.
        - The status as found when the decision failed.
      returned: always
      type: str
      sample: REJECTING
    action:
      description: What the policy did (or, in check mode, would do).
      returned: always
      type: str
      choices: [reject, accept, delete, none]
      sample: reject
    allowed:
      description: Whether an entry of O(allow) matches the connection, or it comes from the destination domain's own account.
      returned: always
      type: bool
      sample: false
    rule:
      description:
        - The index in O(allow) of the first entry that matches the connection, C(null) when none does (a connection
          from the domain's own account is allowed without one).
      returned: always
      type: int
      sample: null
    expired_rule:
      description:
        - The index in O(allow) of an exception that would match the connection but has expired; null otherwise.
      returned: always
      type: int
      sample: null
      version_added: 0.6.0
    failure:
      description:
        - Why the decision could not be carried out, C(null) when it was (or needed nothing).
        - RV(decisions[].status) then stays the status found.
      returned: always
      type: str
      sample: null
      version_added: 0.3.0
rejected:
  description: The ids of the connections this run rejected (in check mode, would reject).
  returned: always
  type: list
  elements: str
  sample: ["cc-0123456789abcdef"]
accepted:
  description: The ids of the connections this run accepted (in check mode, would accept).
  returned: always
  type: list
  elements: str
  sample: []
deleted:
  description: The ids of the connections this run deleted (in check mode, would delete).
  returned: always
  type: list
  elements: str
  sample: []
"""

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.aws_search.cross_cluster.plugins.module_utils.api_calls import Connections
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.api_calls import connection_client
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.api_differences import APIS
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.aws_failures import ConnectionApiError
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.input_checks import policy_problem
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.module_runner import API_OPTION
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.policy import PolicyRequest
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.policy import apply_policy
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.policy import failure_message
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.policy import policy_output

ARGUMENT_SPEC = dict(
    allow=dict(type="list", elements="dict", required=True),
    destination_domain_names=dict(type="list", elements="str"),
    allowed=dict(type="str", default="leave", choices=["leave", "accept"]),
    unlisted=dict(type="str", default="reject", choices=["reject", "leave"]),
    revoke=dict(type="bool", default=False),
    max_concurrency=dict(type="int", default=4),
    api=API_OPTION,
)


def main() -> None:
    module = AnsibleAWSModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True)
    api = APIS[module.params["api"]]
    problem = policy_problem(module.params)
    if problem:
        module.fail_json(msg=problem)
    request = PolicyRequest.from_params(module.params)

    client = connection_client(module, api, pool_size=request.max_concurrency)
    connections = Connections(client, api, module.region, "inbound")
    try:
        result = apply_policy(connections, request, module.check_mode)
    except ConnectionApiError as error:
        module.fail_json_aws_error(error)
    for warning in result.warnings:
        module.warn(warning)
    output = policy_output(result, module.region)
    if result.failures:
        module.fail_json(msg=failure_message(result), **output)
    module.exit_json(**output)


if __name__ == "__main__":
    main()
