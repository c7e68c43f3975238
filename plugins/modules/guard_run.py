#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the aws_search.cross_cluster project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: guard_run
short_description: Govern the domains of one account and region in one process, taking the account's role itself
version_added: 0.6.0
description:
  - "One run of the guard playbook (C(aws_search.cross_cluster.guard)): what M(amazon.aws.sts_assume_role),
    M(aws_search.cross_cluster.inbound_connection_policy), M(aws_search.cross_cluster.domain_access_policy) and
    M(aws_search.cross_cluster.security_hub_findings) do for one account and region, in one module process, with the
    same calls."
  - "With O(role_arn), the module takes the role itself (one C(AssumeRole), with the task's credentials, through
    O(role_region)), and the role's temporary credentials never leave the process: no result, fact or log holds them.
    Without it, the task's credentials are used, and one C(GetCallerIdentity) reads their account. Either way, the
    credentials must be O(account_id)'s: another account's fail the task before anything is read."
  - "Then the inbound connections to O(domain_names) are listed once and decided against O(allow) (O(allowed),
    O(unlisted), O(revoke)), every path to the domains is read and judged against the same allowlist, with the
    connections as just decided (findings are returned, never a reason to fail here), VPC endpoint access nobody
    allowed is revoked with O(revoke=true) and access policy grants nobody allowed are taken out with
    O(fix_policy=true); with O(security_hub=true), the findings go to AWS Security Hub in the account and region."
  - "A step that fails fails the task, and the result still holds what the steps before it did: RV(decisions) (the
    decisions carried out), and RV(domains) once the paths were read. The steps after it are not run."
  - Check mode makes the reads only (C(AssumeRole) included), and returns what a real run would; C(--diff) shows
    the plan in words, and with O(fix_policy=true) each policy before and after.
  - The modules it stands for keep working alone; use them for one task of this, and this for the whole of a run.
options:
  account_id:
    description: The account of the domains. The credentials the run works with must be this account's.
    type: str
    required: true
  role_arn:
    description:
      - The role to take in O(account_id) (the domains inventory's C(account_role_arn)). Without it, the task's own
        credentials (environment, profile or the host's role) must be O(account_id)'s.
    type: str
  role_session_name:
    description: The session name of the C(AssumeRole) call, as AWS CloudTrail shows it.
    type: str
    default: aws-search-guard
  role_region:
    description:
      - The region whose STS endpoint takes the role (the inventory's C(account_role_region)); O(region) when left out.
    type: str
  domain_names:
    description: The domains of O(account_id) in O(region) to govern (at least one).
    type: list
    elements: str
    required: true
  allow:
    description:
      - The allowlist, as O(aws_search.cross_cluster.domain_access_policy#module:allow) takes it.
    type: list
    elements: dict
    required: true
  allowed:
    description: As O(aws_search.cross_cluster.inbound_connection_policy#module:allowed).
    type: str
    default: leave
    choices: [leave, accept]
  unlisted:
    description: As O(aws_search.cross_cluster.inbound_connection_policy#module:unlisted).
    type: str
    default: reject
    choices: [reject, leave]
  revoke:
    description:
      - Delete accepted connections and revoke VPC endpoint access that no entry of O(allow) allows.
    type: bool
    default: false
  fix_policy:
    description: As O(aws_search.cross_cluster.domain_access_policy#module:fix_policy).
    type: bool
    default: false
  security_hub:
    description:
      - Send the findings to AWS Security Hub in O(account_id) and O(region), and archive those that no longer hold,
        as M(aws_search.cross_cluster.security_hub_findings) does.
    type: bool
    default: false
notes:
  - "IAM actions needed: C(sts:AssumeRole) on O(role_arn) for the task's credentials; for the role (or the task's
    credentials without one), those of M(aws_search.cross_cluster.inbound_connection_policy) and
    M(aws_search.cross_cluster.domain_access_policy) (without C(es:ListDomainNames)), and with O(security_hub=true),
    C(securityhub:GetFindings) and C(securityhub:BatchImportFindings)."
  - Decisions are carried out 4 at once, as M(aws_search.cross_cluster.inbound_connection_policy) does by default.
seealso:
  - module: aws_search.cross_cluster.inbound_connection_policy
  - module: aws_search.cross_cluster.domain_access_policy
  - module: aws_search.cross_cluster.security_hub_findings
author:
  - aws_search.cross_cluster maintainers (@aws-search)
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
  - aws_search.cross_cluster.connection
"""

EXAMPLES = r"""
- name: Govern two domains of account 111111111111 in eu-west-1, taking its role
  aws_search.cross_cluster.guard_run:
    account_id: "111111111111"
    role_arn: arn:aws:iam::111111111111:role/search-guard
    region: eu-west-1
    domain_names: [shared-logs, secret-logs]
    allow:
      - owner_id: "222222222222"
    allowed: accept
    revoke: true
  register: run

- name: Say who can reach them now
  ansible.builtin.debug:
    msg: "{{ run.domains | map(attribute='outside_accounts') | list }}"
"""

RETURN = r"""
decisions:
  description:
    - The RV(aws_search.cross_cluster.inbound_connection_policy#module:decisions) of the run; [] when it failed
      before they were listed.
  returned: always
  type: list
  elements: dict
rejected:
  description: As RV(aws_search.cross_cluster.inbound_connection_policy#module:rejected).
  returned: when the requests were decided
  type: list
  elements: str
accepted:
  description: As RV(aws_search.cross_cluster.inbound_connection_policy#module:accepted).
  returned: when the requests were decided
  type: list
  elements: str
deleted:
  description: As RV(aws_search.cross_cluster.inbound_connection_policy#module:deleted).
  returned: when the requests were decided
  type: list
  elements: str
domains:
  description:
    - The RV(aws_search.cross_cluster.domain_access_policy#module:domains), every path to each domain judged; null
      when the run failed before they were read (who can reach them is then unknown).
  returned: always
  type: list
  elements: dict
findings:
  description: As RV(aws_search.cross_cluster.domain_access_policy#module:findings).
  returned: when the paths were read
  type: list
  elements: dict
revoked:
  description: As RV(aws_search.cross_cluster.domain_access_policy#module:revoked).
  returned: when the paths were read
  type: list
  elements: dict
failures:
  description: As RV(aws_search.cross_cluster.domain_access_policy#module:failures).
  returned: when the paths were read
  type: list
  elements: str
fixed_policies:
  description: As RV(aws_search.cross_cluster.domain_access_policy#module:fixed_policies).
  returned: when the paths were read
  type: list
  elements: dict
unmatched_allow:
  description: As RV(aws_search.cross_cluster.domain_access_policy#module:unmatched_allow).
  returned: when the paths were read
  type: list
  elements: int
security_hub:
  description:
    - With O(security_hub=true), what was sent (RV(aws_search.cross_cluster.security_hub_findings#module:imported)
      and RV(aws_search.cross_cluster.security_hub_findings#module:archived)); null otherwise, when the run has no
      domain left, or when it failed before.
  returned: always
  type: dict
  contains:
    imported:
      description: The ids of the findings imported ACTIVE (in check mode, that a real run would import).
      type: list
      elements: str
    archived:
      description: The ids of the findings archived (in check mode, that would be).
      type: list
      elements: str
"""

from ansible_collections.aws_search.cross_cluster.plugins.module_utils.guard_run import run_guard_run


def main() -> None:
    run_guard_run()


if __name__ == "__main__":
    main()
