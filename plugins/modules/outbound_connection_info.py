#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the aws_search.cross_cluster project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: outbound_connection_info
short_description: List outbound cross-cluster search connections
version_added: 0.1.0
description:
  - Lists the outbound cross-cluster search connections the caller's account sees, with their status.
  - Follows C(NextToken) with pages of 100, so a thousand connections take ten calls.
  - Filters given together must all match.
options:
  connection_ids:
    description:
      - Connection ids.
      - A connection matches when it matches any of the values.
    type: list
    elements: str
  destination_owner_ids:
    description:
      - AWS account ids of the remote domains.
      - A connection matches when it matches any of the values.
    type: list
    elements: str
  destination_domain_names:
    description:
      - Names of the remote domains.
      - A connection matches when it matches any of the values.
    type: list
    elements: str
  destination_regions:
    description:
      - Regions of the remote domains.
      - A connection matches when it matches any of the values.
    type: list
    elements: str
  source_domain_names:
    description:
      - Names of your domains that requested the connections.
      - A connection matches when it matches any of the values.
    type: list
    elements: str
notes:
  - "IAM action needed: C(es:DescribeOutboundConnections)."
seealso:
  - module: aws_search.cross_cluster.outbound_connection
author:
  - aws_search.cross_cluster maintainers (@aws-search)
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
  - aws_search.cross_cluster.connection
  - aws_search.cross_cluster.connection.info
"""

EXAMPLES = r"""
- name: See whether the partner decided our requests
  aws_search.cross_cluster.outbound_connection_info:
    destination_owner_ids: ["222222222222"]
    api: opensearch
  register: requests
"""

RETURN = r"""
connections:
  description:
    - The matching outbound connections, as the API returned them, with keys in snake case, in the order AWS lists them (AWS promises no order).
    - Their keys depend on O(api); see RV(aws_search.cross_cluster.outbound_connection#module:connection) for them.
  returned: always
  type: list
  elements: dict
  sample:
    - cross_cluster_search_connection_id: cc-0123456789abcdef
      source_domain_info: {owner_id: "222222222222", domain_name: partner-logs, region: us-east-1}
      destination_domain_info: {owner_id: "111111111111", domain_name: my-logs, region: eu-west-1}
      connection_status: {status_code: PENDING_ACCEPTANCE, message: Pending acceptance by the destination owner.}
"""

from ansible_collections.aws_search.cross_cluster.plugins.module_utils.info_modules import run_info_module


def main() -> None:
    run_info_module("outbound")


if __name__ == "__main__":
    main()
