#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the aws_search.cross_cluster project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: connection_report
short_description: Write the report "who can search our data?" from inbound_connection_policy runs
version_added: 0.3.0
description:
  - Writes, at the top, what was not governed (accounts, regions and domains that could not be read or decided,
    with the reason), who can search each domain now (the accounts and domains whose connections are
    C(APPROVED), C(PROVISIONING) or C(ACTIVE) after the run; in check mode, would be) with the domains reachable
    from another account and the distinct outside accounts, and what changed since the previous report (new
    connections, connections gone, accounts that can now search a domain, accounts that no longer can).
  - Below, what the run did, per account, region and domain (with the domain's tags and groups, which chose its
    settings), every inbound connection the policy runs saw, with its source, status before and after, the
    allowlist entry that allowed it, and the outcome; a summary (domains, connections, accepted, rejected, revoked,
    left pending for a person, failures).
  - Says what it covers (cross-cluster connections) and what it does not (domain access policies, fine-grained
    access control, OpenSearch UI data sources), so that "no connection" is not read as "nobody can search".
  - As Markdown (C(report.md)), self-contained HTML (C(report.html), no network and no JavaScript needed) and JSON
    (C(report.json)), in O(dest); with O(check_mode_run=true), C(report-check.md), C(report-check.html) and
    C(report-check.json), so that a dry run never overwrites the last real run's report.
  - Files are written as a security tool writes them, to a temporary file in O(dest), then renamed (a symlink at the
    destination is replaced, never followed), with O(mode). Rows are in a stable order (by connection id), so an
    unchanged estate leaves the files as they are and reports C(changed=false); only the run's time is then not
    rewritten. With C(--diff), what changed since the previous report, in words (who can now search which domain,
    and who no longer can).
  - "One run at a time writes O(dest): the run holds the lock file C(.report.lock) there (C(flock); a run with
    O(check_mode_run), C(.report-check.lock)) while it reads the previous report and writes the new files, so that
    C(report.md), C(report.html) and C(report.json) always come from one run. A second run that finds it held fails
    at once, saying so, and writes nothing."
  - Values read from AWS that a Markdown renderer would make links of (a URL, an e-mail address, C(www.)) are code
    in C(report.md), never links.
  - Makes no AWS call. Runs where the files should be written (C(delegate_to) localhost). The playbook
    C(aws_search.cross_cluster.guard) runs it with C(check_mode=false), so that a dry run of the estate still
    leaves the report of what would be done, and publishes RV(artifact) with C(set_stats).
options:
  results:
    description:
      - One entry per policy run, a dict with C(account_id), C(region), C(decisions) (the
        RV(aws_search.cross_cluster.inbound_connection_policy#module:decisions) of the run), and C(failed) and
        C(msg) when the run failed; with O(runs), also C(run), the name of its run.
    type: list
    elements: dict
    required: true
  runs:
    description:
      - The runs planned (RV(aws_search.cross_cluster.guard_plan#module:runs)); their C(settings) name the
        allowlist entry that allowed each connection, and a planned run without a result is a failure.
      - Without it, every entry of O(results) is one run.
    type: list
    elements: dict
    default: []
    version_added: 0.4.0
  domains:
    description:
      - Every domain governed, as dicts with C(account_id), C(region) and C(domain_name) (and optionally C(tags),
        C(groups) and C(account_name), the account's name, shown beside its id), so that domains without any
        connection are in the report too.
    type: list
    elements: dict
    default: []
  not_governed:
    description:
      - What could not be governed (RV(aws_search.cross_cluster.guard_plan#module:not_governed)), as dicts with C(host),
        C(account_id), C(region), C(domain_name) and C(reason). Listed first, and each is in RV(problems).
    type: list
    elements: dict
    default: []
    version_added: 0.4.0
  sources:
    description: The inventory sources the run read, named in the report.
    type: list
    elements: str
    default: []
    version_added: 0.4.0
  inventories:
    description:
      - What each inventory source read (RV(aws_search.cross_cluster.guard_plan#module:inventories)), as dicts with
        C(source), C(read_at), C(from_cache), C(accounts_excluded) and C(accounts_not_active).
      - The report says which sources came from the inventory cache and how old they were at O(started), and counts
        the accounts of the organization left out on purpose.
    type: list
    elements: dict
    default: []
    version_added: 0.5.0
  started:
    description: When the run started (UTC), shown in the report.
    type: str
    version_added: 0.4.0
  check_mode_run:
    description: The policy runs were in check mode; the report then says what would be done, in C(report-check.*).
    type: bool
    default: false
  dest:
    description: The folder to write the report's files in; made (mode 0700) if missing.
    type: path
    required: true
  previous:
    description:
      - The previous report's JSON, to show what changed since; by default the last real run's C(report.json) in
        O(dest). A missing file means there is no previous report.
    type: path
    version_added: 0.4.0
  mode:
    description: The files' permissions, as an octal string.
    type: str
    default: "0600"
    version_added: 0.4.0
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
  - module: aws_search.cross_cluster.guard_plan
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
  description: What the run did.
  returned: always
  type: dict
  sample: {domains: 15, connections: 300, accepted: 12, rejected: 40, revoked: 2, pending_for_a_person: 0, failures: 0}
access:
  description: Who can search the estate now, and what was not looked at.
  returned: always
  type: dict
  sample: {domains_reachable_from_another_account: 4, outside_accounts: 2, not_governed: 0}
changes:
  description:
    - What changed since the previous report (C(since), C(new_connections), C(connections_gone),
      C(accounts_gained_access), C(accounts_lost_access)); null without a previous report.
  returned: always
  type: dict
problems:
  description:
    - Why the run must fail, one sentence each; empty when everything was governed and decided. What was not
      governed, failed runs and decisions, a previous report that could not be read, and no domain at all.
  returned: always
  type: list
  elements: str
artifact:
  description:
    - "What the guard publishes with C(set_stats) (AWX/AAP job artifacts): C(check_mode), C(started), C(access),
      C(summary), C(not_governed), C(can_search) (per domain, the accounts that can search it), C(changes),
      C(problems) and C(files)."
  returned: always
  type: dict
"""

import os

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.aws_search.cross_cluster.plugins.module_utils.report import build_report
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.report import changes
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.report import inventory_summary
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.report import problems
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.report_files import FORMATS
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.report_files import ReportBusy
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.report_files import artifact
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.report_files import file_names
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.report_files import mode_of
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.report_files import read_previous
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.report_files import report_lock
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.report_files import write_report
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.report_pages import change_lines

ARGUMENT_SPEC = dict(
    results=dict(type="list", elements="dict", required=True),
    runs=dict(type="list", elements="dict", default=[]),
    domains=dict(type="list", elements="dict", default=[]),
    not_governed=dict(type="list", elements="dict", default=[]),
    sources=dict(type="list", elements="str", default=[]),
    inventories=dict(type="list", elements="dict", default=[]),
    started=dict(type="str"),
    check_mode_run=dict(type="bool", default=False),
    dest=dict(type="path", required=True),
    previous=dict(type="path"),
    mode=dict(type="str", default="0600"),
    formats=dict(type="list", elements="str", choices=list(FORMATS), default=list(FORMATS)),
    title=dict(type="str", default="Who can search our data?"),
)
SHAPE = (
    "each of results needs account_id, region and a list of decisions (dicts), each of runs a name, account_id and"
    " region, each of domains account_id, region and domain_name, each of not_governed a host and a reason, and the"
    " account counts of inventories whole numbers"
)


def compare_and_write(report, params, mode, check_mode):
    """What changed since the previous report, then the files written; (changed, diff in words, problems, files)."""
    previous_path = params["previous"] or os.path.join(params["dest"], "report.json")
    previous, unreadable = read_previous(previous_path)
    try:
        report["changes"] = changes(report, previous)
    except (KeyError, TypeError, AttributeError) as error:
        report["changes"] = None
        unreadable = f"the previous report {previous_path} could not be read ({error}): what changed is unknown"
    found = problems(report) + ([unreadable] if unreadable else [])
    files = file_names(params["dest"], params["formats"], params["check_mode_run"])
    changed = write_report(report, params["title"], files, mode, check_mode)
    return changed, {"prepared": "\n".join(change_lines(report)) + "\n"}, found, files


def main():
    module = AnsibleModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True)
    params = module.params
    mode = mode_of(params["mode"])
    if mode is None:
        module.fail_json(msg=f"mode must be an octal string such as 0600, got '{params['mode']}'")
    try:
        report = build_report(
            params["results"], params["domains"], params["check_mode_run"], params["runs"], params["not_governed"]
        )
        report["inventory"] = inventory_summary(params["inventories"])
    except (KeyError, TypeError, AttributeError, ValueError) as error:
        module.fail_json(msg=f"{SHAPE}: {type(error).__name__} {error}")
    report.update(started=params["started"], sources=params["sources"])
    try:
        with report_lock(params["dest"], module.check_mode, params["check_mode_run"]):
            changed, diff, found, files = compare_and_write(report, params, mode, module.check_mode)
    except ReportBusy as busy:
        module.fail_json(msg=str(busy))
    except OSError as error:
        module.fail_json(msg=f"Could not write the report in {params['dest']}: {error}; check dest and its permissions")
    result = dict(changed=changed, files=files, summary=report["summary"], access=report["access"])
    result.update(changes=report["changes"], problems=found, artifact=artifact(report, found, files))
    if module._diff:
        result["diff"] = diff
    module.exit_json(**result)


if __name__ == "__main__":
    main()
