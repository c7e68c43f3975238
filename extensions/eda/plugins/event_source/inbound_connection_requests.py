# -*- coding: utf-8 -*-

# Copyright: Contributors to the aws_search.cross_cluster project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
author:
  - aws_search.cross_cluster maintainers (@aws-search)
short_description: Inbound cross-cluster search connection requests, as they arrive
version_added: 0.2.0
description:
  - An ansible-rulebook event source plugin that polls the inbound cross-cluster search connections of your
    Amazon OpenSearch Service or Amazon Elasticsearch Service domains and puts an event on the queue for each
    connection that newly has one of O(statuses), once.
  - The first poll reports every connection that already waits. Each poll is one listing, in pages of 100.
  - "Each event is C({cross_cluster_request: {connection_id, source: {owner_id, domain_name, region},
    destination_domain_name, status, api, region}}). Decide it with
    M(aws_search.cross_cluster.inbound_connection_policy), as the rulebook
    C(extensions/eda/rulebooks/reject_unexpected_requests.yml) of this collection does."
  - AWS calls run in a worker thread, so the rulebook engine never waits for them.
  - Throttling, AWS internal errors and an unreachable endpoint are logged and polled again after a backoff
    (O(interval) doubled after each failure in a row, at most 5 minutes); polling goes on. Missing, unknown or
    refused credentials, and access denied, end the source with a message that says what to fix.
  - Needs boto3, ansible-core and the amazon.aws collection where ansible-rulebook runs (a decision
    environment built with this collection has them).
options:
  region:
    description:
      - The region of your domains; from the profile or C(AWS_REGION) when left out.
    type: str
  api:
    description:
      - V(es), the legacy Amazon Elasticsearch Service API, or V(opensearch), the Amazon OpenSearch Service API.
    type: str
    default: es
    choices: [es, opensearch]
  access_key:
    description: AWS access key id; from the profile or the environment when left out.
    type: str
  secret_key:
    description: AWS secret access key; from the profile or the environment when left out. Never logged.
    type: str
  session_token:
    description: AWS session token for temporary credentials. Never logged.
    type: str
  profile:
    description: A profile from the AWS configuration files.
    type: str
  endpoint_url:
    description: Another URL to send the calls to, instead of AWS's own endpoint.
    type: str
  interval:
    description: Seconds between polls.
    type: float
    default: 30
  destination_domain_names:
    description: Report only connections to these of your domains; all when left out.
    type: list
    elements: str
  statuses:
    description: Report connections that newly have one of these statuses.
    type: list
    elements: str
    default: [PENDING_ACCEPTANCE]
"""

EXAMPLES = r"""
- name: Reject unexpected cross-cluster requests within seconds
  hosts: localhost
  sources:
    - aws_search.cross_cluster.inbound_connection_requests:
        region: eu-west-1
        api: opensearch
        interval: 10
        destination_domain_names: [shared-logs]
  rules:
    - name: Decide each request with the allowlist
      condition: event.cross_cluster_request is defined
      action:
        run_module:
          name: aws_search.cross_cluster.inbound_connection_policy
          module_args:
            allow: "{{ partners }}"
            destination_domain_names: ["{{ event.cross_cluster_request.destination_domain_name }}"]
            api: "{{ event.cross_cluster_request.api }}"
            region: "{{ event.cross_cluster_request.region }}"
"""

import asyncio
import sys
from pathlib import Path
from typing import Any
from typing import Dict

# ansible-rulebook runs this file by its path: its own collections root makes the collection's code importable.
COLLECTIONS_ROOT = str(Path(__file__).absolute().parents[7])
if COLLECTIONS_ROOT not in sys.path:
    sys.path.append(COLLECTIONS_ROOT)

from ansible_collections.aws_search.cross_cluster.plugins.module_utils.connection_events import run_source  # noqa: E402


async def main(queue: asyncio.Queue, args: Dict[str, Any]) -> None:
    """Put an event on the queue for each inbound connection that newly has one of the statuses asked for."""
    await run_source(queue, args)


if __name__ == "__main__":

    class PrintingQueue(asyncio.Queue):
        async def put(self, item: Any) -> None:
            print(item)

    asyncio.run(main(PrintingQueue(), {"region": "us-east-1"}))
