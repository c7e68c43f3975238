# -*- coding: utf-8 -*-

# Copyright: Contributors to the aws_search.cross_cluster project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)


class ModuleDocFragment:
    # The api option every module of this collection has.
    DOCUMENTATION = r"""
options:
  api:
    description:
      - Which AWS API to call; both manage the same connections.
      - V(es) is the legacy Amazon Elasticsearch Service API (2015-01-01).
      - V(opensearch) is the Amazon OpenSearch Service API (2021-01-01).
      - A connection requested through the OpenSearch Service API can only be accepted through it.
    type: str
    default: es
    choices: [es, opensearch]
notes:
  - Each AWS call is retried by botocore's standard retry mode when AWS throttles it or fails with an internal
    error, and when the connection is reset or the answer takes longer than the read timeout, 5 attempts in all
    with backoff; with the 5 second connect and 10 second read timeouts one call gives up after 90 seconds at most.
    O(aws_config) changes these (C(retries), C(connect_timeout), C(read_timeout)); C(retries) stays in standard
    mode unless it names a C(mode).
  - C(LimitExceededException) (the domain's 20 connections in this direction) is not retried, though botocore takes
    it for throttling elsewhere. No retry can cure it, so the task fails at once and says so.
"""

    # The options the info modules share besides their filters.
    INFO = r"""
options:
  statuses:
    description:
      - Keep only connections in one of these statuses, such as C(PENDING_ACCEPTANCE).
      - Applied to what AWS returns, since AWS cannot filter on status.
      - Each status must be one the O(api) lists for this direction, and every other filter value must be a valid
        connection id, 12-digit account id, domain name or region name; anything else fails the task before any
        AWS call, naming the option, since a typo would otherwise read as "no connections".
    type: list
    elements: str
"""
