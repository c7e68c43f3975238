#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the aws_search.cross_cluster project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: domain_access_policy
short_description: Judge every path to your domains against an allowlist, and revoke the VPC endpoint access it does not allow
version_added: 0.5.0
description:
  - "Reads who can reach each domain by every path AWS shows, as M(aws_search.cross_cluster.domain_access_info) reads
    it (the access policy, VPC endpoint access, anonymous access under fine-grained access control, accepted inbound
    connections), and judges each grant against O(allow), the allowlist of M(aws_search.cross_cluster.inbound_connection_policy)."
  - "Every grant gets a verdict. Allowed: the domain's own account, on every path; any other grant by an entry whose
    C(destination_domain_name) covers the domain and that names it: an account in C(owner_id) or C(owner_ids) (an entry
    narrowed to a source C(domain_name) or C(region) allows connections only, so a policy or VPC endpoint grant needs an
    entry for the whole account); an organization (scope C(organization)) in C(organization_id); address ranges (scope
    C(ip_restricted)) when each lies inside one of an entry's C(source_ips); an AWS service (scope C(service)) named
    in C(service), and, on the access policy, only when the statement pins the service's caller to the domain's own
    account (C(aws:SourceAccount), or an C(aws:SourceArn) of that account): without that condition it is a finding
    whatever the allowlist (the confused deputy); every user who signs in (scope C(authenticated)) with
    C(authenticated=true). Scopes C(everyone) and C(conditional), anonymous auth included, are never allowed."
  - "VPC endpoint access of an account that no entry allows is revoked with O(revoke=true) (C(RevokeVpcEndpointAccess)),
    and is a finding otherwise. Any other grant that no entry allows is a finding, named (account, region, domain, path,
    principal, statement) with the AWS CLI command that fixes it. The module never edits security options, and edits
    an access policy only with O(fix_policy=true)."
  - "Findings fail the task with O(findings=fail), after every revocation; everything is returned either way. With
    C(--diff), the plan, one line per grant taken away (C(account 999999999999 loses access to vpc-logs (us-east-1,
    VPC endpoint access))), and with O(fix_policy=true) each policy before and after."
  - "Calls: one C(ListDomainNames) when O(domain_names) is left out; C(DescribeDomains) (C(DescribeElasticsearchDomains)
    with O(api=es)) with at most 5 names a call; C(ListVpcEndpointAccess) for the VPC domains only; one inbound
    connection listing, unless O(decisions) gives the connections; one C(RevokeVpcEndpointAccess) per revocation. Check
    mode makes the reads only, and reports what a real run would."
  - "A call refused or throttled past the retries fails the task naming the IAM action; a domain that could not be read
    is never reported as one nobody can reach."
options:
  allow:
    description:
      - The allowlist, as O(aws_search.cross_cluster.inbound_connection_policy#module:allow) takes it. An empty list
        allows only the domains' own account.
      - "Each entry allows exactly one of: C(owner_id) or C(owner_ids) (accounts, on every path); C(organization_id)
        (an AWS Organization, C(o-...)); C(source_ips) (a list of address ranges, IPv4 or IPv6, such as
        C(203.0.113.0/24)); C(service) (an AWS service principal, such as C(firehose.amazonaws.com)); C(authenticated)
        (V(true): every user who signs in to a domain with fine-grained access control). The last four never admit a
        connection, and take no C(domain_name) or C(region)."
      - "An entry may say what it is: C(name) (the report, and AWS Security Hub, name it so, else C(allow[N])),
        C(reason), and C(expires), a date C(YYYY-MM-DD) (UTC): the last day it allows anything. From the day after,
        what it allowed is a finding (severity high) that names it and the date."
    type: list
    elements: dict
    required: true
  domain_names:
    description: The domains to govern; every domain of the region when left out.
    type: list
    elements: str
  decisions:
    description:
      - The RV(aws_search.cross_cluster.inbound_connection_policy#module:decisions) of a policy run over the same
        domains. The connections are judged as that run judged them, with their status after it, and not listed again.
      - Left out, the module lists the inbound connections to the domains once, and judges them with O(allow).
    type: list
    elements: dict
  revoke:
    description: Revoke the VPC endpoint access of accounts that no entry of O(allow) allows.
    type: bool
    default: false
  findings:
    description:
      - V(fail) fails the task when it finds access nobody allowed; V(report) returns the findings and does not fail.
    type: str
    default: fail
    choices: [fail, report]
  fix_policy:
    description:
      - "Take every access policy grant nobody allowed out of the domain's access policy, the smallest change that
        removes it: a principal nobody allowed leaves its statement's principal list (the statement stays for the
        others); a statement whose grants are all not allowed (C(*) open to everyone, an organization, addresses, a
        service, what the analysis does not understand) is removed. C(Deny) statements, the domain's own account,
        every allowed grant, statement order, C(Sid)s and the C(Version) stay as they were; a policy left with no
        statement is sent with an empty statement list."
      - "The new policy is judged again before it is sent: if it still holds a grant nobody allowed (a principal that
        cannot be taken out alone, such as C(*) limited to several accounts), nothing is sent and the domain is named
        in RV(failures). Just before writing, the policy is read again (C(DescribeDomainConfig),
        C(DescribeElasticsearchDomainConfig) with O(api=es)); if it is not the one judged, nothing is sent and the
        domain is named (it changed while the task ran). Then one C(UpdateDomainConfig)
        (C(UpdateElasticsearchDomainConfig)) per domain that changes, with the access policy only: AWS applies it
        without a blue/green deployment."
      - "A removed grant's outcome is C(revoked); with C(--diff), each policy before and after. Anonymous access is
        not a policy: it stays a finding. Infrastructure as code that owns a policy will put it back: fix the code, or
        leave this off there."
    type: bool
    default: false
    version_added: 0.6.0
notes:
  - "IAM actions needed: C(es:ListDomainNames) (without O(domain_names)), C(es:DescribeDomains) (C(es:DescribeElasticsearchDomains)
    with O(api=es)), C(es:ListVpcEndpointAccess), C(es:DescribeInboundConnections) (without O(decisions)), and
    C(es:RevokeVpcEndpointAccess) with O(revoke=true), and C(es:DescribeDomainConfig) and C(es:UpdateDomainConfig)
    (C(es:DescribeElasticsearchDomainConfig), C(es:UpdateElasticsearchDomainConfig) with O(api=es)) with
    O(fix_policy=true)."
seealso:
  - module: aws_search.cross_cluster.domain_access_info
  - module: aws_search.cross_cluster.inbound_connection_policy
  - module: aws_search.cross_cluster.vpc_endpoint_access
author:
  - aws_search.cross_cluster maintainers (@aws-search)
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
  - aws_search.cross_cluster.connection
"""

EXAMPLES = r"""
- name: Who may reach our domains? Revoke the VPC endpoint access of strangers, fail on any other access nobody allowed
  aws_search.cross_cluster.domain_access_policy:
    allow:
      - owner_id: "222222222222"
      - organization_id: o-a1b2c3d4e5
        destination_domain_name: shared-*
      - source_ips: [203.0.113.0/24]   # the office
      - service: firehose.amazonaws.com   # with aws:SourceAccount in its statement
    revoke: true
    api: opensearch

- name: Decide the connection requests, then judge every path with the same allowlist and that run's decisions
  aws_search.cross_cluster.inbound_connection_policy:
    allow: "{{ partners }}"
    revoke: true
  register: decided

- name: Report what nobody allowed, without failing
  aws_search.cross_cluster.domain_access_policy:
    allow: "{{ partners }}"
    decisions: "{{ decided.decisions }}"
    findings: report
  register: access
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
      description:
        - The domain access policy, parsed; null when the domain has none. With O(fix_policy=true), the policy after the
          fix (in check mode, as it would be).
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
        source_accounts:
          description:
            - For scope C(service) on the access policy, the accounts the statement pins the service's caller to
              (C(aws:SourceAccount), the account of C(aws:SourceArn)), or a value that names no one account as written;
              [] otherwise.
          type: list
          elements: str
          version_added: 0.6.0
        organization_ids:
          description: The organizations of scope C(organization); [] otherwise.
          type: list
          elements: str
        allowed:
          description:
            - Whether an entry of O(allow) allows it (the domain's own account always is).
          type: bool
        rule:
          description: The index in O(allow) of the (first) entry that allows it; null otherwise, and for the domain's own account.
          type: int
        expired_rule:
          description:
            - The index in O(allow) of an exception that would allow it but has expired (its C(expires) has passed);
              null otherwise.
          type: int
          version_added: 0.6.0
        outcome:
          description:
            - C(allowed); C(revoked), VPC endpoint access revoked by this task or a connection revoked by the policy run
              of O(decisions) (in check mode, would be); C(finding), access nobody allowed, in RV(findings);
              C(failed), a revocation that failed (RV(failures)), whose account can still reach the domain.
          type: str
          choices: [allowed, revoked, finding, failed]
        failure:
          description: Why the revocation failed (outcome C(failed)); null otherwise.
          type: str
    outside_accounts:
      description: The sorted ids of every other account that can still reach the domain, by any path, after the task.
      type: list
      elements: str
    open_to_everyone:
      description: Whether any grant kept has scope C(everyone) or C(conditional).
      type: bool
    reachable_from_outside:
      description:
        - Whether any grant kept can let in anyone but the domain's own account (another account, an organization,
          addresses, a service, every user who signs in, everyone, or what the analysis does not understand).
      type: bool
      version_added: 0.6.0
findings:
  description: Access nobody allowed, one entry per grant, in the order of RV(domains).
  returned: always
  type: list
  elements: dict
  contains:
    id:
      description:
        - The finding's id, the same across runs for the same domain, path and principal (and statement, on the access
          policy); the Id of its AWS Security Hub finding.
      type: str
      version_added: 0.6.0
      sample: aws_search.cross_cluster/111111111111/eu-west-1/secret-logs/access_policy/0c5d1f3b2a9e8d7c
    severity:
      description:
        - C(critical), open to everyone or anonymous access; C(high), an account or organization nobody allowed, an
          expired exception, or what the analysis does not understand; C(medium), addresses, a service or every user
          who signs in nobody allowed; C(low), none yet.
      type: str
      choices: [critical, high, medium, low]
      version_added: 0.6.0
    expired_entry:
      description: The exception (its C(name), else C(allow[N])) that allowed it until its C(expires); null otherwise.
      type: str
      version_added: 0.6.0
    account_id:
      description: The domain's account.
      type: str
    region:
      description: The domain's region.
      type: str
    domain_name:
      description: The domain.
      type: str
    path:
      description: The grant's path (RV(domains[].grants[].path)).
      type: str
    principal:
      description: The grant's principal, as AWS wrote it.
      type: str
    grant_account_id:
      description: The account the grant names; null when it names none.
      type: str
    scope:
      description: The grant's scope.
      type: str
    statement:
      description: The access policy statement (its C(Sid), else its index); null outside the access policy.
      type: str
    connection_id:
      description: The connection (path C(connection)); null otherwise.
      type: str
    message:
      description: The finding in one sentence.
      type: str
      sample: >-
        account 111111111111, eu-west-1, domain secret-logs: statement 1 of the access policy lets account
        333333333333 reach the data (principal arn:aws:iam::333333333333:root), and no allow entry allows it
    fix:
      description: What to change (the account or condition) and the AWS CLI command that takes the access away.
      type: str
      sample: "revoke: true, or aws opensearch revoke-vpc-endpoint-access --domain-name secret-logs --account 333333333333 --region eu-west-1"
revoked:
  description: The VPC endpoint access revoked (in check mode, that a real run would revoke), per domain and account.
  returned: always
  type: list
  elements: dict
  sample: [{domain_name: secret-logs, account_id: "333333333333"}]
failures:
  description:
    - The revocations that failed, and with O(fix_policy=true) the policies that could not be fixed or changed while
      the task ran, one sentence each.
  returned: always
  type: list
  elements: str
fixed_policies:
  description:
    - With O(fix_policy=true), each access policy changed (in check mode, that would be), with the principals taken
      out; [] otherwise.
  returned: always
  type: list
  elements: dict
  version_added: 0.6.0
  contains:
    domain_name:
      description: The domain.
      type: str
    before:
      description: The policy as read.
      type: dict
    after:
      description: The policy sent.
      type: dict
    removed:
      description: The principals of the grants taken out, as written.
      type: list
      elements: str
unmatched_allow:
  description:
    - The indexes in O(allow) of the entries that matched no grant of the domains and no connection or request to
      them (a partner who has not asked yet, or a typo); the guard names them in its report.
  returned: always
  type: list
  elements: int
  version_added: 0.6.0
  sample: [2]
"""

from ansible_collections.aws_search.cross_cluster.plugins.module_utils.access_governance import run_domain_access_policy


def main() -> None:
    run_domain_access_policy()


if __name__ == "__main__":
    main()
