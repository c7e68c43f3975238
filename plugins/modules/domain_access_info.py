#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the aws_search.cross_cluster project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: domain_access_info
short_description: Who can reach each domain's data, by every path AWS shows
version_added: 0.5.0
description:
  - "Reads, for each domain of the region (or of O(domain_names)), every path AWS shows by which another account, or
    anyone, reaches its data: the domain access policy, VPC endpoint access (C(AuthorizeVpcEndpointAccess)),
    anonymous access under fine-grained access control, and accepted inbound cross-cluster connections."
  - "Reads conservatively: what the analysis does not understand counts as open to everyone (scope C(conditional)),
    never as closed. It reads each C(Allow) statement whose actions reach the data (C(es:ESHttp<Verb>),
    C(es:ESHttp*), C(es:*), C(*) and wildcards matching them) and whose resource is the domain or below it. A C(Deny)
    statement never removes a grant: it can only narrow access."
  - "Calls: one C(ListDomainNames) when O(domain_names) is left out; C(DescribeDomains) (C(DescribeElasticsearchDomains)
    with O(api=es)) with at most 5 names a call, as AWS allows; C(ListVpcEndpointAccess) for the VPC domains only, every
    page; one inbound connection listing for the region, every page. No write; check mode makes the same reads."
  - "Not read, because AWS's API does not show them: users and role mappings inside the domain's security plugin,
    OpenSearch UI applications of other accounts (their VPC endpoint access is shown), snapshots shared through S3, and
    identity policies of your own account."
  - A name in O(domain_names) that is no domain of the region, an access policy that is not a JSON policy document,
    and a call refused or throttled past the retries fail the task with a sentence naming the domain or the IAM
    action; a domain that could not be read is never reported as one nobody can reach.
options:
  domain_names:
    description: The domains to read; every domain of the region when left out.
    type: list
    elements: str
notes:
  - "IAM actions needed: C(es:ListDomainNames) (without O(domain_names)), C(es:DescribeDomains) (C(es:DescribeElasticsearchDomains)
    with O(api=es)), C(es:ListVpcEndpointAccess) and C(es:DescribeInboundConnections)."
seealso:
  - module: aws_search.cross_cluster.vpc_endpoint_access
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
- name: Who can reach our domains?
  aws_search.cross_cluster.domain_access_info:
    api: opensearch
  register: access

- name: Fail when anyone but the domain's own account can reach a domain we keep private
  vars:
    private_domains: [secret-logs]
  ansible.builtin.assert:
    that:
      - access.domains | selectattr('domain_name', 'in', private_domains) | selectattr('reachable_from_outside')
        | list == []
"""

RETURN = r"""
domains:
  description: One entry per domain, sorted by name.
  returned: always
  type: list
  elements: dict
  contains:
    domain_name:
      description: The domain's name.
      type: str
      sample: shared-logs
    owner_id:
      description: The domain's account.
      type: str
      sample: "111111111111"
    region:
      description: The domain's region.
      type: str
      sample: eu-west-1
    arn:
      description: The domain's ARN.
      type: str
      sample: arn:aws:es:eu-west-1:111111111111:domain/shared-logs
    endpoint_type:
      description: C(vpc) for a domain in a VPC, C(public) for one with a public endpoint.
      type: str
      choices: [public, vpc]
    vpc_id:
      description: The domain's VPC; null for a public domain.
      type: str
    fine_grained_access_control:
      description: The domain's fine-grained access control.
      type: dict
      contains:
        enabled:
          description: Whether it is on.
          type: bool
        anonymous_auth_enabled:
          description: Whether anonymous auth is on (anyone who reaches the endpoint, without signing in).
          type: bool
        internal_user_database_enabled:
          description: Whether the domain has its own users.
          type: bool
    access_policy:
      description: The domain access policy, parsed; null when the domain has none.
      type: dict
    grants:
      description: Every grant of access to the domain's data, by any path.
      type: list
      elements: dict
      contains:
        path:
          description: How it reaches the data.
          type: str
          choices: [access_policy, vpc_endpoint, connection, anonymous]
        principal:
          description:
            - Who, as AWS wrote it; an ARN, an account id, C(*), a service name, C(anonymous), or the ARN of the
              source domain of a connection.
          type: str
        account_id:
          description: The 12-digit account the grant names, null when it names none (C(*), a service, anyone).
          type: str
        scope:
          description:
            - C(account), one account; C(everyone), anyone (C(*) without a condition, an C(aws:SourceIp) that includes
              C(0.0.0.0/0) or C(::/0), anonymous auth); C(ip_restricted), C(*) from some addresses;
              C(organization), C(*) from one AWS Organization (C(aws:PrincipalOrgID), C(aws:PrincipalOrgPaths));
              C(authenticated), C(*) on a domain whose fine-grained access control makes every user sign in;
              C(service), an AWS service principal.
            - C(conditional), what the analysis does not understand (a condition key or operator such as
              C(NotIpAddress), C(...IfExists), C(ForAllValues:), a wildcard value; C(NotPrincipal), C(NotAction),
              C(NotResource); a principal form it does not know). It counts as open to everyone.
          type: str
          choices: [account, everyone, ip_restricted, organization, authenticated, service, conditional]
        conditions:
          description: The condition keys of the statement, as written; [] when none.
          type: list
          elements: str
        statement:
          description: The statement's C(Sid), else its index; null outside the access policy.
          type: str
        connection_id:
          description: The connection's id (path C(connection)); null otherwise.
          type: str
        addresses:
          description: The addresses of scope C(ip_restricted); [] otherwise.
          type: list
          elements: str
        organization_ids:
          description: The organizations of scope C(organization); [] otherwise.
          type: list
          elements: str
        source_accounts:
          description:
            - For scope C(service) on the access policy, the accounts the statement pins the service's caller to
              (C(aws:SourceAccount), the account of C(aws:SourceArn)), or a value that names no one account as written;
              [] otherwise.
          type: list
          elements: str
          version_added: 0.6.0
    outside_accounts:
      description:
        - The sorted ids of every other account with a grant that names it, by any path.
        - An organization, an address range or a service names no account, so this list can be empty for a domain
          others can reach; RV(domains[].reachable_from_outside) says whether anyone else can reach it.
      type: list
      elements: str
    open_to_everyone:
      description: Whether any grant has scope C(everyone) or C(conditional).
      type: bool
    reachable_from_outside:
      description:
        - Whether any grant can let in anyone but the domain's own account (another account, an organization,
          addresses, a service, every user who signs in, everyone, or what the analysis does not understand).
      type: bool
      version_added: 0.6.0
"""

from ansible_collections.aws_search.cross_cluster.plugins.module_utils.access_modules import run_domain_access_info


def main() -> None:
    run_domain_access_info()


if __name__ == "__main__":
    main()
