#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the aws_search.cross_cluster project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: inbound_connection
short_description: Reject, accept or delete an inbound cross-cluster search connection
version_added: 0.1.0
description:
  - Decides an inbound cross-cluster search connection request that another Amazon OpenSearch Service or
    Amazon Elasticsearch Service domain (often in another AWS account) sent to one of your domains.
  - Idempotent. The module describes the connection first and acts only when its status calls for it,
    so it reports C(changed) the first time and C(ok) after that.
  - Accepting a connection lets the source domain search your domain's data. Reject what you do not expect.
  - "A lost reply counts as our change: when AWS's answer to a reject, accept or delete is lost and botocore's retry
    is refused because the connection is already where the action leads, the module reports C(changed) (it
    describes the connection to tell). The one ambiguity: another actor doing the same thing between the two
    attempts is counted as this module's change."
  - A connection can be rejected or accepted only while it is C(PENDING_ACCEPTANCE). An accepted connection
    cannot be rejected and a rejected one cannot be accepted; both can be deleted with O(state=absent).
  - Makes one C(Describe) call when nothing changes and two when something does; only O(wait) adds more.
options:
  connection_id:
    description:
      - The id of the inbound connection, as the source domain's owner or
        M(aws_search.cross_cluster.inbound_connection) facts give it.
      - With O(api=opensearch) it must be 10 to 256 characters, start with a lowercase letter and hold only
        lowercase letters, digits and hyphens.
    type: str
    required: true
  state:
    description:
      - V(rejected) rejects a pending connection.
      - V(accepted) accepts a pending connection. The source domain can then search your domain.
      - V(absent) deletes the connection, whatever its status.
    type: str
    required: true
    choices: [rejected, accepted, absent]
  wait:
    description:
      - Wait until the connection settles in the status O(state) leads to
        (C(REJECTED); C(ACTIVE), or C(APPROVED) with O(api=es); C(DELETED)).
      - Without it the module returns as soon as AWS has taken the request, with a status such as C(REJECTING).
    type: bool
    default: false
  wait_timeout:
    description:
      - How many seconds to wait when O(wait=true) before failing.
    type: int
    default: 300
notes:
  - In check mode the module makes only the C(Describe) call and reports what a real run would report.
  - With C(--diff) the module shows the status before and after.
  - "IAM actions needed: C(es:DescribeInboundConnections) always, and C(es:RejectInboundConnection),
    C(es:AcceptInboundConnection) or C(es:DeleteInboundConnection) for the state asked for."
  - Deleted connections stay visible with status C(DELETED) for 15 days.
seealso:
  - name: Cross-cluster search in Amazon OpenSearch Service
    description: How connections are requested, accepted and used.
    link: https://docs.aws.amazon.com/opensearch-service/latest/developerguide/cross-cluster-search.html
author:
  - aws_search.cross_cluster maintainers (@aws-search)
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
  - aws_search.cross_cluster.connection
"""

EXAMPLES = r"""
- name: Refuse the cross-cluster request from the partner account
  aws_search.cross_cluster.inbound_connection:
    connection_id: "{{ request_id }}"
    state: rejected

- name: Accept a request through the OpenSearch Service API and wait until it is active
  aws_search.cross_cluster.inbound_connection:
    connection_id: "{{ request_id }}"
    state: accepted
    api: opensearch
    wait: true
    wait_timeout: 600
    region: eu-west-1

- name: Delete a connection, whatever its status
  aws_search.cross_cluster.inbound_connection:
    connection_id: "{{ request_id }}"
    state: absent
  register: deleted

- name: Use the returned facts
  ansible.builtin.debug:
    msg: "{{ ansible_facts.cross_cluster_inbound_connection.connection_status.status_code }}"
"""

RETURN = r"""
connection_id:
  description: The id of the connection, as given.
  returned: always
  type: str
  sample: "abcdefghij-1234"
status:
  description:
    - The status of the connection after the module ran, C(null) when there is no such connection.
    - In check mode, the status a real run would report.
  returned: always
  type: str
  sample: REJECTING
previous_status:
  description: The status the module found before acting, C(null) when there was no such connection.
  returned: always
  type: str
  sample: PENDING_ACCEPTANCE
connection:
  description:
    - The connection as the API returned it, with keys in snake case. Empty when there is no such connection.
    - The API's answer to the change when the module changed something, otherwise the connection as found.
    - Its keys depend on O(api).
  returned: always
  type: dict
  contains:
    cross_cluster_search_connection_id:
      description: The connection id.
      returned: when O(api=es)
      type: str
      sample: "abcdefghij-1234"
    source_domain_info:
      description: The domain that requested the connection.
      returned: when O(api=es)
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
          sample: partner-logs
        region:
          description: The domain's region.
          returned: always
          type: str
          sample: us-east-1
    destination_domain_info:
      description: Your domain, which received the request. Same keys as RV(connection.source_domain_info).
      returned: when O(api=es)
      type: dict
      sample: {"owner_id": "222222222222", "domain_name": "my-logs", "region": "eu-west-1"}
    connection_id:
      description: The connection id.
      returned: when O(api=opensearch)
      type: str
      sample: "abcdefghij-1234"
    local_domain_info:
      description: The domain that requested the connection.
      returned: when O(api=opensearch)
      type: dict
      contains:
        aws_domain_information:
          description: Its owner, name and region.
          returned: always
          type: dict
          sample: {"owner_id": "111111111111", "domain_name": "partner-logs", "region": "us-east-1"}
    remote_domain_info:
      description: Your domain, which received the request. Same keys as RV(connection.local_domain_info).
      returned: when O(api=opensearch)
      type: dict
      sample: {"aws_domain_information": {"owner_id": "222222222222", "domain_name": "my-logs", "region": "eu-west-1"}}
    connection_mode:
      description: How the domains connect.
      returned: when O(api=opensearch)
      type: str
      sample: DIRECT
    connection_status:
      description: The status of the connection.
      returned: always
      type: dict
      contains:
        status_code:
          description: The status code.
          returned: always
          type: str
          sample: REJECTING
        message:
          description: AWS's explanation of the status.
          returned: when AWS gives one
          type: str
          sample: Connection is being rejected.
ansible_facts:
  description: Facts set by the module.
  returned: always
  type: dict
  contains:
    cross_cluster_inbound_connection:
      description: The same dict as RV(connection).
      returned: always
      type: dict
"""

import functools

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.aws_search.cross_cluster.plugins.module_utils.api_calls import Connections
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.api_calls import connection_client
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.api_differences import APIS
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.inbound_state import InboundRequest
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.inbound_state import ensure_inbound
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.input_checks import inbound_problem
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.module_runner import API_OPTION
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.module_runner import WAIT_OPTIONS
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.module_runner import run_and_exit

ARGUMENT_SPEC = dict(
    connection_id=dict(type="str", required=True),
    state=dict(type="str", required=True, choices=["rejected", "accepted", "absent"]),
    api=API_OPTION,
    **WAIT_OPTIONS,
)


def main() -> None:
    module = AnsibleAWSModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True)
    api = APIS[module.params["api"]]
    request = InboundRequest.from_params(module.params)
    problem = inbound_problem(request, api)
    if problem:
        module.fail_json(msg=problem)

    connections = Connections(connection_client(module, api), api, module.region, "inbound")
    ensure = functools.partial(ensure_inbound, connections, request, module.check_mode)
    run_and_exit(module, ensure, "cross_cluster_inbound_connection", request.connection_id)


if __name__ == "__main__":
    main()
