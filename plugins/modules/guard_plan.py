#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the aws_search.cross_cluster project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: guard_plan
short_description: Group the domains of the domains inventory into the guard's policy runs
version_added: 0.4.0
description:
  - Reads each domain host's variables once (an action plugin on the controller; no AWS call), resolves its
    settings (C(guard_allow), C(guard_allowed), C(guard_unlisted), C(guard_revoke), C(guard_api), C(guard_findings),
    C(guard_security_hub), C(guard_fix_policy) from group_vars, else C(allow), C(allowed), C(unlisted), C(revoke),
    C(api), C(findings), C(security_hub), C(fix_policy), else the defaults C(leave), C(reject), C(false), C(es),
    C(fail), C(false), C(false)), and returns one run per account, region, role and distinct settings. A C(findings)
    other than C(fail) or C(report), a C(security_hub) or C(fix_policy) that is not a boolean, and an allowlist that
    is not a list of valid entries (an unknown key, a bad C(expires)) leave the domain not governed, before any AWS
    call.
  - "Version 0.6.0 and later: a C(group_vars) (C(host_vars)) file or folder beside an inventory source whose name is no
    group (host) of the inventory, within two edits of one that exists, leaves that group's domains (that host) not
    governed, naming both; one far from every name is a warning."
  - A domain host without C(account_id), C(domain_region) or C(domain_name) (a hand-written host, or another
    inventory's), and one with a variable one or two edits away from a guard setting (C(revok) for C(revoke),
    C(guard_alow) for C(guard_allow); C(api) is left out, too short, but not C(guard_api)), which would otherwise be
    ignored in silence, is not governed, with a reason that names the variable and the setting meant.
  - A domain without an allowlist (or whose settings fail to template), and every host of the group
    C(aws_search_unreadable) that the
    P(aws_search.cross_cluster.domains#inventory) inventory records for what it could not read, is returned in
    RV(not_governed) with the reason, never dropped.
  - With O(report_dir), the folder the report will be written in is checked first (made if missing, and written to);
    a folder that cannot be written fails the task at once, before anything is decided.
  - The playbook C(aws_search.cross_cluster.guard) runs it once on localhost, makes one host per run with
    C(add_host), and decides each run's requests with M(aws_search.cross_cluster.inbound_connection_policy), so that
    the work grows with the runs, not with the domains.
options:
  domains:
    description: The domain hosts to govern (hosts of the group C(aws_search_domains)).
    type: list
    elements: str
    default: []
  unreadable:
    description: The hosts of the group C(aws_search_unreadable).
    type: list
    elements: str
    default: []
  sources:
    description:
      - The inventory paths ansible-playbook was given (C(ansible_inventory_sources)).
      - Each file among them (or in a directory among them) that names the P(aws_search.cross_cluster.domains#inventory)
        plugin or ends in C(domains.aws_search.yml) and that the plugin did not read (a wrong option, an error, which
        Ansible drops with a mere warning) is returned in RV(not_governed) as C(inventory), so that the guard fails
        closed without C(ANSIBLE_INVENTORY_ANY_UNPARSED_IS_FAILED).
    type: list
    elements: str
    default: []
    version_added: 0.5.0
  report_dir:
    description:
      - The folder the report will be written in, relative to where ansible-playbook runs unless absolute. It is made
        if missing and written to (a file made and removed) before anything is decided; a folder that cannot be
        written fails the task.
    type: str
    version_added: 0.6.0
attributes:
  check_mode:
    support: full
    description: Reads variables (and checks that O(report_dir) can be written); the same in check mode.
  diff_mode:
    support: none
  platform:
    platforms: all
    description: Runs on the controller.
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
seealso:
  - module: aws_search.cross_cluster.inbound_connection_policy
  - module: aws_search.cross_cluster.connection_report
author:
  - aws_search.cross_cluster maintainers (@aws-search)
"""

EXAMPLES = r"""
- name: Plan the guard's runs over the whole inventory
  aws_search.cross_cluster.guard_plan:
    domains: "{{ groups['aws_search_domains'] | default([]) }}"
    unreadable: "{{ groups['aws_search_unreadable'] | default([]) }}"
  register: plan
"""

RETURN = r"""
runs:
  description: One policy run per account, region, role and distinct settings, sorted.
  returned: always
  type: list
  elements: dict
  contains:
    name:
      description: The run's host name, unique in the plan.
      type: str
      sample: guard-111111111111-eu-west-1-3f2a9c1d
    account_id:
      description: The domains' account.
      type: str
    region:
      description: The domains' region.
      type: str
    account_role_arn:
      description: The role to assume for these domains (the inventory's C(iam_role_arn)); null without one.
      type: str
    account_role_region:
      description: The STS region the inventory assumed the role through (the domains' region without a role).
      type: str
    settings:
      description: >-
        C(allow), C(allowed), C(unlisted), C(revoke), C(api), C(findings), C(security_hub) and C(fix_policy) for the run.
      type: dict
    domain_names:
      description: The domains the run decides, sorted.
      type: list
      elements: str
    role_session_name:
      description: The session name for C(AssumeRole), with the run's start time, so CloudTrail tells runs apart.
      type: str
      sample: aws-search-guard-20261202T081500Z
domains:
  description: Every domain governed, for the report.
  returned: always
  type: list
  elements: dict
  contains:
    host:
      description: The domain's inventory host name.
      type: str
    account_id:
      description: The domain's account.
      type: str
    region:
      description: The domain's region.
      type: str
    domain_name:
      description: The domain's name.
      type: str
    account_name:
      description: The account's name in AWS Organizations, where the inventory read the organization; null otherwise.
      type: str
      version_added: 0.5.0
    account_role_arn:
      description: The role its run assumes; null without one.
      type: str
    tags:
      description: The domain's tags (with the inventory's C(include_tags)), which choose its group_vars.
      type: dict
    groups:
      description: The inventory groups the domain is in (besides C(all) and C(aws_search_domains)).
      type: list
      elements: str
    source:
      description: The inventory source that listed the domain.
      type: str
    run:
      description: The name of the run that decides the domain.
      type: str
not_governed:
  description: Every host that cannot be governed, with the reason; the guard fails the run for any of them.
  returned: always
  type: list
  elements: dict
  contains:
    host:
      description: The host's name.
      type: str
    account_id:
      description:
        - The account (C(unknown) when not even that could be read); null for an inventory source that was not
          read (host C(inventory)).
      type: str
    region:
      description: The region.
      type: str
    domain_name:
      description: The domain, when one domain could not be governed; null for a whole account or region.
      type: str
    reason:
      description: What happened, and what to do.
      type: str
    source:
      description: The inventory source of the host.
      type: str
inventories:
  description:
    - Each domains inventory source the hosts came from (its host variable C(inventory_read)), for the report to say
      how old what it read is and which accounts it left out on purpose.
  returned: always
  type: list
  elements: dict
  version_added: 0.5.0
  contains:
    source:
      description: The inventory source.
      type: str
    read_at:
      description: When the source read AWS (UTC, ISO 8601); null for a result cached by release 0.4.0.
      type: str
    from_cache:
      description: Whether this run took the source's result from the inventory cache instead of reading AWS.
      type: bool
    accounts_excluded:
      description: With C(organization), the accounts left out by C(exclude_account_ids).
      type: int
    accounts_not_active:
      description: With C(organization), the accounts left out because they are not ACTIVE (suspended, closed).
      type: int
working_dir:
  description: The directory ansible-playbook runs in, against which the guard resolves a relative C(report_dir).
  returned: always
  type: str
started:
  description: When the plan was made (UTC, compact ISO 8601).
  returned: always
  type: str
  sample: 20261202T081500Z
"""
