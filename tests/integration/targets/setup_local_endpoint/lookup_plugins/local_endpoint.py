# Copyright: Contributors to the aws_search.cross_cluster project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
name: local_endpoint
short_description: Drive the control interface of the local AWS endpoint in integration tests
description:
  - Runs on the controller, in process, so a test step costs no extra module run.
  - The endpoint's URL comes from the variable C(local_endpoint_url).
options:
  _terms:
    description: >-
      One of C(reset), C(seed) (returns the new connection id), C(seed_many) (with C(count), returns
      the ids), C(domain) (a domain outbound requests can reach), C(hosted) (domains an account runs, with their
      access settings), C(take_calls) (returns the operations
      called since the last take, and forgets them), C(fault), C(settings).
    required: true
"""

import json
import urllib.request

from ansible.errors import AnsibleLookupError
from ansible.plugins.lookup import LookupBase

REQUESTS = {
    "reset": ("POST", "reset"),
    "seed": ("POST", "connections"),
    "seed_many": ("POST", "connections"),
    "domain": ("POST", "domains"),
    "hosted": ("POST", "hosted_domains"),
    "take_calls": ("POST", "calls/take"),
    "fault": ("POST", "faults"),
    "settings": ("POST", "settings"),
}


class LookupModule(LookupBase):
    def run(self, terms, variables=None, **kwargs):
        method, path = REQUESTS[terms[0]]
        url = f"{variables['local_endpoint_url']}/_control/{path}"
        request = urllib.request.Request(url, data=json.dumps(kwargs).encode(), method=method)
        try:
            with urllib.request.urlopen(request, timeout=10) as answer:  # nosec B310 - the local endpoint
                result = json.load(answer)
        except OSError as error:
            raise AnsibleLookupError(f"The local endpoint at {url} did not answer: {error}") from error
        if terms[0] == "seed":
            return [result["connection_id"]]
        if terms[0] == "seed_many":
            return result["connection_ids"]
        if terms[0] == "take_calls":
            return [call["operation"] for call in result["calls"]]
        return [result]
