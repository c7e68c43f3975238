#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the aws_search.cross_cluster project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: connection_report
short_description: Write the report "who can search our data?" from inbound_connection_policy runs
version_added: 0.3.0
description:
  - Writes, per account, region and domain, every inbound connection the policy runs saw, with its source account,
    domain and region, its status before and after, whether the allowlist allows it and by which entry, and what was
    done; a summary at the top (domains, connections, accepted, rejected, revoked, left pending for a person,
    failures).
  - As Markdown (C(report.md)), self-contained HTML (C(report.html), no network and no JavaScript needed to read
    it) and JSON (C(report.json)), in O(dest).
  - Makes no AWS call. Runs where the files should be written (C(delegate_to) localhost).
  - In check mode it writes nothing and reports whether the files would change; the playbook
    C(aws_search.cross_cluster.guard) runs it with C(check_mode=false), so that a dry run of the estate still
    leaves the report of what would be done.
options:
  results:
    description:
      - One entry per policy run, a dict with C(account_id), C(region), C(decisions) (the
        RV(aws_search.cross_cluster.inbound_connection_policy#module:decisions) of the run), and C(failed) and
        C(msg) when the run failed.
    type: list
    elements: dict
    required: true
  domains:
    description:
      - Every domain governed, as dicts with C(account_id), C(region) and C(domain_name), so that domains without any
        connection are in the report too.
    type: list
    elements: dict
    default: []
  check_mode_run:
    description: The policy runs were in check mode; the report then says what would be done.
    type: bool
    default: false
  dest:
    description: The folder to write the report's files in; made if missing.
    type: path
    required: true
  formats:
    description: Which files to write.
    type: list
    elements: str
    choices: [markdown, html, json]
    default: [markdown, html, json]
  title:
    description: The report's title.
    type: str
    default: Who can search our data?
seealso:
  - module: aws_search.cross_cluster.inbound_connection_policy
author:
  - aws_search.cross_cluster maintainers (@aws-search)
"""

EXAMPLES = r"""
- name: Write the report of this run's policy decisions
  aws_search.cross_cluster.connection_report:
    results:
      - account_id: "111111111111"
        region: eu-west-1
        decisions: "{{ policy.decisions }}"
    dest: reports/
  delegate_to: localhost
  check_mode: false
"""

RETURN = r"""
files:
  description: The files written (or that would be written, in check mode), by format.
  returned: always
  type: dict
  sample: {markdown: reports/report.md, html: reports/report.html, json: reports/report.json}
summary:
  description: The report's summary.
  returned: always
  type: dict
  sample: {domains: 15, connections: 300, accepted: 12, rejected: 40, revoked: 2, pending_for_a_person: 0, failures: 0}
"""

import json
import os

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.aws_search.cross_cluster.plugins.module_utils.report import build_report
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.report import render_html
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.report import render_markdown

FILE_NAMES = {"markdown": "report.md", "html": "report.html", "json": "report.json"}
ARGUMENT_SPEC = dict(
    results=dict(type="list", elements="dict", required=True),
    domains=dict(type="list", elements="dict", default=[]),
    check_mode_run=dict(type="bool", default=False),
    dest=dict(type="path", required=True),
    formats=dict(type="list", elements="str", choices=list(FILE_NAMES), default=list(FILE_NAMES)),
    title=dict(type="str", default="Who can search our data?"),
)


def contents(report, title):
    return {
        "markdown": lambda: render_markdown(report, title),
        "html": lambda: render_html(report, title),
        "json": lambda: json.dumps(report, indent=2, sort_keys=True) + "\n",
    }


def write_if_changed(path, text, check_mode):
    if os.path.exists(path):
        with open(path, encoding="utf-8") as current:
            if current.read() == text:
                return False
    if not check_mode:
        with open(path, "w", encoding="utf-8") as written:
            written.write(text)
    return True


def main():
    module = AnsibleModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True)
    params = module.params
    try:
        report = build_report(params["results"], params["domains"], params["check_mode_run"])
    except (KeyError, TypeError, AttributeError) as error:
        module.fail_json(
            msg="each of results needs account_id, region and a list of decisions (dicts), and each of domains"
            f" account_id, region and domain_name: {type(error).__name__} {error}"
        )
    renderers = contents(report, params["title"])
    files = {name: os.path.join(params["dest"], FILE_NAMES[name]) for name in params["formats"]}
    try:
        if not module.check_mode:
            os.makedirs(params["dest"], exist_ok=True)
        changed = [write_if_changed(files[name], renderers[name](), module.check_mode) for name in params["formats"]]
    except OSError as error:
        module.fail_json(msg=f"Could not write the report in {params['dest']}: {error}; check dest and its permissions")
    module.exit_json(changed=any(changed), files=files, summary=report["summary"])


if __name__ == "__main__":
    main()
