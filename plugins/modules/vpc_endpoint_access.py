#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the aws_search.cross_cluster project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: vpc_endpoint_access
short_description: Which accounts may create VPC endpoints to a VPC domain
version_added: 0.5.0
description:
  - "Authorizes or revokes other accounts' access to create an interface VPC endpoint to a domain in a VPC
    (C(AuthorizeVpcEndpointAccess), C(RevokeVpcEndpointAccess)): such an endpoint lets the account's network reach
    the domain, whose access policy then decides the requests."
  - Reads first (the domain, to know that it exists and is in a VPC, and every page of its VPC endpoint access), then
    acts only on the difference; C(changed) the first time, C(ok) after. Check mode makes only the reads and reports
    exactly what a real run would. With C(--diff), the accounts before and after.
  - Service principals (the OpenSearch UI, C(application.opensearchservice.amazonaws.com)) are returned in
    RV(services) and never touched, not even by O(purge_accounts).
  - "Fails before any write: a public domain (VPC endpoint access needs a VPC domain), an account id that is not 12
    digits, a domain that does not exist, and a change that would pass AWS's limit of 10 authorized principals a
    domain, services included (so does AWS's own C(LimitExceededException), should it still come)."
options:
  domain_name:
    description: The VPC domain, in the credentials' account and the region.
    type: str
    required: true
  accounts:
    description: The 12-digit account ids (quoted) that should have access (O(state=present)) or not (O(state=absent)).
    type: list
    elements: str
    required: true
  state:
    description: V(present) authorizes O(accounts); V(absent) revokes them.
    type: str
    choices: [present, absent]
    default: present
  purge_accounts:
    description: With O(state=present), revoke every other account, so that O(accounts) are exactly those with access.
    type: bool
    default: false
notes:
  - "IAM actions needed: C(es:DescribeDomains) (C(es:DescribeElasticsearchDomains) with O(api=es)),
    C(es:ListVpcEndpointAccess), and to change it C(es:AuthorizeVpcEndpointAccess) and C(es:RevokeVpcEndpointAccess)."
  - An account revoked by someone else between the read and the revocation counts as revoked.
seealso:
  - module: aws_search.cross_cluster.domain_access_info
author:
  - aws_search.cross_cluster maintainers (@aws-search)
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
  - aws_search.cross_cluster.connection
"""

EXAMPLES = r"""
- name: Only the analytics account may create a VPC endpoint to the logs domain
  aws_search.cross_cluster.vpc_endpoint_access:
    domain_name: vpc-logs
    accounts: ["222222222222"]
    purge_accounts: true
    api: opensearch

- name: Take the access of an old partner away
  aws_search.cross_cluster.vpc_endpoint_access:
    domain_name: vpc-logs
    accounts: ["333333333333"]
    state: absent
"""

RETURN = r"""
accounts:
  description: The accounts with VPC endpoint access after the run (in check mode, after a real run), sorted.
  returned: success
  type: list
  elements: str
  sample: ["222222222222"]
services:
  description: The service principals with VPC endpoint access, sorted; never changed by this module.
  returned: success
  type: list
  elements: str
  sample: ["application.opensearchservice.amazonaws.com"]
added:
  description: The accounts this run authorized (in check mode, would authorize).
  returned: success
  type: list
  elements: str
removed:
  description: The accounts this run revoked (in check mode, would revoke).
  returned: success
  type: list
  elements: str
"""

from ansible_collections.aws_search.cross_cluster.plugins.module_utils.access_modules import run_vpc_endpoint_access


def main() -> None:
    run_vpc_endpoint_access()


if __name__ == "__main__":
    main()
