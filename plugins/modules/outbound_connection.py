#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the aws_search.cross_cluster project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: outbound_connection
short_description: Request or delete an outbound cross-cluster search connection
version_added: 0.1.0
description:
  - Requests a cross-cluster search connection from one of your domains (the local domain) to another domain
    (the remote domain), often in another AWS account, or deletes one.
  - The remote domain's owner then accepts or rejects the request, for example with
    M(aws_search.cross_cluster.inbound_connection).
  - Idempotent. With O(state=present) the module looks for a live outbound connection with the same local
    domain, remote domain and alias, and creates one only when there is none. Live means any status but
    C(VALIDATION_FAILED), C(REJECTING), C(REJECTED), C(DELETING) and C(DELETED).
options:
  local_domain:
    description:
      - Your domain, which asks to search the remote domain.
      - Required with O(state=present), and with O(state=absent) when O(connection_id) is not given.
    type: dict
    suboptions:
      domain_name:
        description: The domain's name, 3 to 28 characters, lowercase letters, digits and hyphens.
        type: str
        required: true
      owner_id:
        description: The 12-digit AWS account id of the domain's owner. Left out, any owner matches.
        type: str
      region:
        description: The domain's region. Left out, any region matches.
        type: str
  remote_domain:
    description:
      - The domain to connect to. Same suboptions as O(local_domain).
      - Required with O(state=present), and with O(state=absent) when O(connection_id) is not given.
    type: dict
    suboptions:
      domain_name:
        description: The domain's name.
        type: str
        required: true
      owner_id:
        description: The 12-digit AWS account id of the domain's owner.
        type: str
      region:
        description: The domain's region.
        type: str
  connection_alias:
    description:
      - The name of the connection, used in cross-cluster queries.
      - With O(api=es) at most 20 characters. With O(api=opensearch) 2 to 100 characters, a letter first,
        then letters, digits, hyphens and underscores.
      - Required with O(state=present), and with O(state=absent) when O(connection_id) is not given.
    type: str
  connection_id:
    description:
      - With O(state=absent), the id of the connection to delete, instead of the match on domains and alias.
    type: str
  state:
    description:
      - V(present) requests the connection unless a live one exists.
      - V(absent) deletes it. A connection that is C(DELETING), C(DELETED) or not found is left as it is.
    type: str
    default: present
    choices: [present, absent]
  connection_mode:
    description:
      - How the domains connect. Only with O(api=opensearch).
    type: str
    choices: [DIRECT, VPC_ENDPOINT]
  skip_unavailable:
    description:
      - Whether cross-cluster queries skip the remote domain when it is unavailable. Only with O(api=opensearch).
    type: bool
  wait:
    description:
      - With O(state=present), wait until the connection leaves C(VALIDATING) and C(PROVISIONING); fail with
        AWS's message when it ends in C(VALIDATION_FAILED).
      - With O(state=absent), wait until it is C(DELETED).
    type: bool
    default: false
  wait_timeout:
    description: How many seconds to wait when O(wait=true) before failing.
    type: int
    default: 300
notes:
  - In check mode the module makes only C(Describe) calls. When it would create a connection it reports
    C(connection_id=null), an empty RV(connection), and the status a real run reports when AWS validates the
    request (C(VALIDATING), or C(PENDING_ACCEPTANCE) with O(wait=true)).
  - "IAM actions needed: C(es:DescribeOutboundConnections) always, C(es:CreateOutboundConnection) for
    O(state=present) and C(es:DeleteOutboundConnection) for O(state=absent)."
  - A domain has at most 20 outbound and 20 inbound connections. An Elasticsearch domain cannot connect to an
    OpenSearch domain.
author:
  - aws_search.cross_cluster maintainers (@aws-search)
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
  - aws_search.cross_cluster.connection
"""

EXAMPLES = r"""
- name: Ask to search the partner's logs domain
  aws_search.cross_cluster.outbound_connection:
    local_domain:
      domain_name: my-search
    remote_domain:
      domain_name: partner-logs
      owner_id: "222222222222"
      region: eu-west-1
    connection_alias: partner-logs
    api: opensearch
    skip_unavailable: true
    wait: true
  register: request

- name: Delete it by id
  aws_search.cross_cluster.outbound_connection:
    connection_id: "{{ request.connection_id }}"
    api: opensearch
    state: absent
"""

RETURN = r"""
connection_id:
  description: The id of the connection; C(null) when there is none, or in check mode before it is created.
  returned: always
  type: str
  sample: "cc-0123456789abcdef"
status:
  description: The status of the connection after the module ran, C(null) when there is no such connection.
  returned: always
  type: str
  sample: VALIDATING
previous_status:
  description: The status of the connection the module found, C(null) when it found none.
  returned: always
  type: str
  sample: null
connection:
  description:
    - The connection as the API returned it, with keys in snake case. Empty when there is no such connection.
    - Its keys depend on O(api).
  returned: always
  type: dict
  contains:
    cross_cluster_search_connection_id:
      description: The connection id.
      returned: when O(api=es)
      type: str
    source_domain_info:
      description: Your domain (owner_id, domain_name, region).
      returned: when O(api=es)
      type: dict
      sample: {"owner_id": "111111111111", "domain_name": "my-search", "region": "eu-west-1"}
    destination_domain_info:
      description: The remote domain (owner_id, domain_name, region).
      returned: when O(api=es)
      type: dict
      sample: {"owner_id": "222222222222", "domain_name": "partner-logs", "region": "eu-west-1"}
    connection_id:
      description: The connection id.
      returned: when O(api=opensearch)
      type: str
    local_domain_info:
      description: Your domain, under C(aws_domain_information).
      returned: when O(api=opensearch)
      type: dict
      sample: {"aws_domain_information": {"owner_id": "111111111111", "domain_name": "my-search", "region": "eu-west-1"}}
    remote_domain_info:
      description: The remote domain, under C(aws_domain_information).
      returned: when O(api=opensearch)
      type: dict
      sample: {"aws_domain_information": {"owner_id": "222222222222", "domain_name": "partner-logs", "region": "eu-west-1"}}
    connection_mode:
      description: How the domains connect.
      returned: when O(api=opensearch)
      type: str
      sample: DIRECT
    connection_properties:
      description: The connection's settings.
      returned: when O(api=opensearch)
      type: dict
      sample: {"cross_cluster_search": {"skip_unavailable": "ENABLED"}}
    connection_alias:
      description: The connection's alias.
      returned: always
      type: str
      sample: partner-logs
    connection_status:
      description: The status of the connection.
      returned: always
      type: dict
      contains:
        status_code:
          description: The status code.
          returned: always
          type: str
          sample: PENDING_ACCEPTANCE
        message:
          description: AWS's explanation of the status.
          returned: when AWS gives one
          type: str
ansible_facts:
  description: Facts set by the module.
  returned: always
  type: dict
  contains:
    cross_cluster_outbound_connection:
      description: The same dict as RV(connection).
      returned: always
      type: dict
"""

import functools

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.aws_search.cross_cluster.plugins.module_utils.api_calls import Connections
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.api_calls import connection_client
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.api_differences import APIS
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.input_checks import outbound_problem
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.module_runner import API_OPTION
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.module_runner import WAIT_OPTIONS
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.module_runner import run_and_exit
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.outbound_state import OutboundRequest
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.outbound_state import ensure_outbound

DOMAIN = dict(
    type="dict",
    options=dict(domain_name=dict(type="str", required=True), owner_id=dict(type="str"), region=dict(type="str")),
)
ARGUMENT_SPEC = dict(
    local_domain=DOMAIN,
    remote_domain=DOMAIN,
    connection_alias=dict(type="str"),
    connection_id=dict(type="str"),
    state=dict(type="str", default="present", choices=["present", "absent"]),
    api=API_OPTION,
    connection_mode=dict(type="str", choices=["DIRECT", "VPC_ENDPOINT"]),
    skip_unavailable=dict(type="bool"),
    **WAIT_OPTIONS,
)
REQUIRED_IF = [("state", "present", ["local_domain", "remote_domain", "connection_alias"])]


def main() -> None:
    module = AnsibleAWSModule(argument_spec=ARGUMENT_SPEC, required_if=REQUIRED_IF, supports_check_mode=True)
    api = APIS[module.params["api"]]
    request = OutboundRequest.from_params(module.params)
    problem = outbound_problem(request, api)
    if problem:
        module.fail_json(msg=problem)

    connections = Connections(connection_client(module, api), api, module.region, "outbound")
    ensure = functools.partial(ensure_outbound, connections, request, module.check_mode)
    run_and_exit(module, ensure, "cross_cluster_outbound_connection", request.connection_id)


if __name__ == "__main__":
    main()
