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
  - A connection still in one of O(statuses) is reported again every O(repeat_after) seconds, so that a rule run
    that failed (throttling, a runner that crashed) is tried again; rules must therefore be idempotent, as
    M(aws_search.cross_cluster.inbound_connection_policy) is. What the source remembers of a connection is dropped
    once the connection leaves O(statuses) or is no longer listed, so a source that runs for weeks stays small.
  - "Each event is C({cross_cluster_request: {connection_id, source: {owner_id, domain_name, region},
    destination_domain_name, status, api, region}}). Decide it with
    M(aws_search.cross_cluster.inbound_connection_policy), as the rulebook
    C(extensions/eda/rulebooks/reject_unexpected_requests.yml) of this collection does."
  - AWS calls run in a daemon worker thread, so the rulebook engine never waits for them, and stopping
    ansible-rulebook ends the source at once, even while a call is in flight.
  - Throttling, AWS internal errors and an unreachable endpoint are logged and polled again after a backoff
    (O(interval) doubled after each failure in a row, at most 5 minutes); polling goes on. Missing, unknown or
    refused credentials, and access denied, end the source with a message that says what to fix.
  - Needs boto3, ansible-core and the amazon.aws collection where ansible-rulebook runs (a decision
    environment built with this collection has them).
  - ansible-rulebook prints every source's arguments, after templating, at C(-vv) (its "ruleset define" debug
    line). Take credentials from the environment (C(AWS_ACCESS_KEY_ID), C(AWS_SECRET_ACCESS_KEY),
    C(AWS_SESSION_TOKEN)), a profile, or the host's role (instance profile, ECS or EKS task role), never from
    O(secret_key) or O(session_token); the source warns once at start when either is given.
  - Bad arguments (a string where a list belongs, an unknown status, a domain name or account id that AWS would
    never show, O(access_key) without O(secret_key), a profile that does not exist) end the source at start with a
    message that names the argument.
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
    description:
      - AWS secret access key; from the profile or the environment when left out.
      - The source never logs it, but ansible-rulebook prints source arguments at C(-vv), so a value given here
        appears in its output; use the environment, a profile or a role instead.
    type: str
  session_token:
    description:
      - AWS session token for temporary credentials.
      - Printed by ansible-rulebook at C(-vv) like every source argument; use the environment instead.
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
  repeat_after:
    description:
      - Seconds after which a connection still in one of O(statuses) is reported again; V(0) reports it only once.
    type: float
    default: 300
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


def collections_root(plugin: Path) -> str:
    """The folder that holds the ansible_collections folder this file sits in, however deep."""
    roots = [str(parent.parent) for parent in plugin.parents if parent.name == "ansible_collections"]
    if not roots:
        raise ImportError(f"{plugin} is not inside an ansible_collections folder: install the collection to run it")
    return roots[0]


# ansible-rulebook runs this file by its path: its own collections root makes the collection's code importable.
COLLECTIONS_ROOT = collections_root(Path(__file__).absolute())
if COLLECTIONS_ROOT not in sys.path:
    sys.path.append(COLLECTIONS_ROOT)

from ansible_collections.aws_search.cross_cluster.plugins.module_utils.request_events import run_source  # noqa: E402


async def main(queue: asyncio.Queue, args: Dict[str, Any]) -> None:
    """Put an event on the queue for each inbound connection that newly has one of the statuses asked for."""
    await run_source(queue, args)


if __name__ == "__main__":

    class PrintingQueue(asyncio.Queue):
        async def put(self, item: Any) -> None:
            print(item)

    asyncio.run(main(PrintingQueue(), {"region": "us-east-1"}))
