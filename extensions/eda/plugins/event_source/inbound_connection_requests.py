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
    destination_domain_name, status, api, region, account_id}}), with C(role_arn) too when the source read it with a
    role. Decide it with M(aws_search.cross_cluster.inbound_connection_policy), as the rulebook
    C(extensions/eda/rulebooks/reject_unexpected_requests.yml) of this collection does (in the request's own account,
    with that role, through the playbook C(aws_search.cross_cluster.decide_requests))."
  - "One source can watch many accounts and regions: O(role_arn) (one role), O(iam_role_arns) (a role per account),
    or O(organization) with O(role_name) (the role in each ACTIVE account of the AWS Organization, read again every
    O(organization_refresh) seconds, so that a new account is watched without a restart); and O(regions), a list or
    V(all) (each account's enabled regions, from EC2 C(DescribeRegions)). Each role is assumed with the source's
    credentials (session name C(aws-search-inbound-requests)) and assumed again before its credentials expire. Every
    account and region is polled each O(interval), at most O(max_concurrency) at once, each with its own backoff: an
    account denied or throttled is logged as an error naming it and polled again later, and never delays another's
    requests. An organization that cannot be read at start ends the source; later, the accounts read before are
    still watched, and the error is logged. Reading the organization again adds and removes only the accounts that
    changed: the others keep their watchers (and what they reported, so nothing is reported twice), and with
    O(regions=all) the regions read last stay watched until, and unless, they are read anew."
  - "An account or region that stops being watched is an event, not only a log line:
    C({cross_cluster_watch: {status: unwatched, account_id, region, api, reason, role_arn}}) when a poll fails (a
    role refused, keys expired, access denied, throttling past the retries; the reason names the call refused and
    what to grant), with C(region: all) when an account's enabled regions cannot be listed and none was read before;
    again every O(repeat_after) seconds (at least every hour) while it lasts, and C(status: watched) once its polls
    succeed again.
    C(account_id) is null for the source's own credentials. The shipped rulebooks surface it (rule \"An account or
    region is not watched\")."
  - "With O(batch), one poll that found requests is one event, C({cross_cluster_requests: {account_id, region, api,
    role_arn, destination_domain_names, requests: [...]}}), so that a rule that reads much (the organization) runs
    once per poll, not once per request, as the rulebook C(organization_allowlist.yml) does."
  - AWS calls run in a daemon worker thread, so the rulebook engine never waits for them, and stopping
    ansible-rulebook ends the source at once, even while a call is in flight.
  - Throttling, AWS internal errors and an unreachable endpoint are logged and polled again after a backoff
    (O(interval) doubled after each failure in a row, at most 5 minutes or O(interval), whichever is longer: a failed
    poll never polls sooner than a successful one); polling goes on. For one account and region, missing, unknown or
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
      - The region of your domains; from C(AWS_REGION), C(AWS_DEFAULT_REGION) or the profile when left out.
      - With O(regions), the region of the STS, AWS Organizations and EC2 calls (V(us-east-1), or the first of
        O(regions), when none is found).
    type: str
  regions:
    description:
      - The regions to watch in each account, or V(all) for each account's enabled regions (EC2 C(DescribeRegions),
        read once per account).
    type: list
    elements: str
    version_added: 0.4.0
  role_arn:
    description:
      - A role to assume, with the source's credentials, to read the connections; events then name it as
        C(role_arn), for the rules to decide with it.
      - Not with O(iam_role_arns) or O(organization).
    type: str
    version_added: 0.4.0
  iam_role_arns:
    description:
      - A role per account to watch, each assumed with the source's credentials.
      - Not with O(role_arn) or O(organization).
    type: list
    elements: str
    version_added: 0.4.0
  organization:
    description:
      - Watch every ACTIVE account of the AWS Organization (read with the source's credentials: the management
        account's or a delegated administrator's), assuming O(role_name) in each; V({}) for the whole organization.
      - Keys C(organizational_unit_ids) (only these OUs and every OU below them) and C(exclude_account_ids).
    type: dict
    version_added: 0.4.0
  role_name:
    description: With O(organization), the role assumed in each account (a path goes before the name).
    type: str
    version_added: 0.4.0
  organization_refresh:
    description: With O(organization), seconds between two readings of its accounts.
    type: float
    default: 3600
    version_added: 0.4.0
  max_concurrency:
    description:
      - How many polls (and accounts' region listings) run at once, 1 to 64; half of them at most for one account, so
        that one account slow to answer with many regions never takes every slot.
    type: int
    default: 8
    version_added: 0.4.0
  batch:
    description:
      - One event per poll that found requests (C(cross_cluster_requests)) instead of one per request.
    type: bool
    default: false
    version_added: 0.4.0
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
    description:
      - Another URL to send the connection calls to, instead of AWS's own endpoint.
      - STS, AWS Organizations and EC2 take theirs from botocore's settings (C(AWS_ENDPOINT_URL_STS), ...).
    type: str
  interval:
    description: Seconds between polls.
    type: float
    default: 30
  repeat_after:
    description:
      - Seconds after which a connection still in one of O(statuses) is reported again; V(0) reports it only once.
      - Also how often a C(cross_cluster_watch) event says again that an account or region is still not watched, at
        least every hour (with V(0) too).
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
- name: One activation for every account and enabled region of the organization
  hosts: localhost
  sources:
    - aws_search.cross_cluster.inbound_connection_requests:
        region: us-east-1             # STS, AWS Organizations and EC2
        organization:
          exclude_account_ids: ["000000000000"]
        role_name: security/search-guard
        regions: all
        interval: 30
  rules:
    - name: Decide each request in its own account
      condition: event.cross_cluster_request is defined
      action:
        run_playbook:
          name: aws_search.cross_cluster.decide_requests
          extra_vars:
            partners: "{{ partners | default(none) }}"
            role_arn: "{{ event.cross_cluster_request.role_arn }}"
            role_region: us-east-1
            account_id: "{{ event.cross_cluster_request.account_id }}"
            destination_domain_names: ["{{ event.cross_cluster_request.destination_domain_name }}"]
            api: "{{ event.cross_cluster_request.api }}"
            aws_region: "{{ event.cross_cluster_request.region }}"
    - name: Say which account and region is not watched, and why
      condition: event.cross_cluster_watch.status == "unwatched"
      action:
        debug:
          msg: "NOT WATCHED: {{ event.cross_cluster_watch.account_id }} in {{ event.cross_cluster_watch.region }}:
            {{ event.cross_cluster_watch.reason }}"

- name: Reject unexpected cross-cluster requests within seconds
  hosts: localhost
  sources:
    - aws_search.cross_cluster.inbound_connection_requests:
        region: eu-west-1
        api: opensearch
        interval: 10
        destination_domain_names: [shared-logs]
  rules:
    - name: Decide each request with the allowlist (the playbook checks partners and logs each decision)
      condition: event.cross_cluster_request is defined
      action:
        run_playbook:
          name: aws_search.cross_cluster.decide_requests
          extra_vars:
            partners: "{{ partners | default(none) }}"
            account_id: "{{ event.cross_cluster_request.account_id }}"
            destination_domain_names: ["{{ event.cross_cluster_request.destination_domain_name }}"]
            api: "{{ event.cross_cluster_request.api }}"
            aws_region: "{{ event.cross_cluster_request.region }}"
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

from ansible_collections.aws_search.cross_cluster.plugins.plugin_utils.request_fleet import run_source  # noqa: E402


async def main(queue: asyncio.Queue, args: Dict[str, Any]) -> None:
    """Put an event on the queue for each inbound connection that newly has one of the statuses asked for."""
    await run_source(queue, args)


if __name__ == "__main__":

    class PrintingQueue(asyncio.Queue):
        async def put(self, item: Any) -> None:
            print(item)

    asyncio.run(main(PrintingQueue(), {"region": "us-east-1"}))
