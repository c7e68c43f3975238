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
    with the reason); access nobody allowed (the findings of M(aws_search.cross_cluster.domain_access_policy), each
    with the AWS CLI command that takes it away); who can reach each domain now, by every path (access policy, VPC
    endpoint access, anonymous access, cross-cluster connections; in check mode, would), each grant with who, its
    scope, the allowlist entry that allows it and what was done (findings first); the counts of findings, of domains
    open to everyone, of domains reachable from another account by any path, of the distinct outside accounts and of
    what was not governed; and what changed since the previous report (new connections, connections gone, who can
    now reach a domain and who no longer can, with the path).
  - Below, what the run did, per account, region and domain (with the domain's tags and groups, which chose its
    settings), every inbound connection the policy runs saw, with its source, status before and after, the
    allowlist entry that allowed it, and the outcome; a summary (domains, connections, accepted, rejected, revoked,
    left pending for a person, failures).
  - Says what it covers (every path AWS shows) and what it does not (users and role mappings inside the domain's
    security plugin, OpenSearch UI applications of other accounts, snapshots shared through S3). A result without
    C(access) (a report of connections only) is said to be one, per domain; a run that failed before reading its
    domains' access leaves them unknown and counted as not governed, never reported as reachable by nobody.
  - As Markdown (C(report.md)), self-contained HTML (C(report.html), no network and no JavaScript needed), JSON
    (C(report.json)) and CSV (C(report.csv)), in O(dest); with O(check_mode_run=true), C(report-check.md),
    C(report-check.html), C(report-check.json) and C(report-check.csv), so that a dry run never overwrites the last
    real run's report.
  - "C(report.csv) has a header row (account, account_name, region, domain, path, principal, scope, outcome, rule,
    severity, fix) and one row per grant of every domain. It is spreadsheet-safe: a value that begins with C(=),
    C(+), C(-) or C(@) (or a tab or carriage return) begins with C(') instead, so that no cell runs as a formula."
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
      - C(access) (version 0.5.0 and later) is the RV(aws_search.cross_cluster.domain_access_policy#module:domains) of
        the run. It is null when the run failed before it read them (its domains are then unknown), and left out for a
        report of connections only.
      - C(unmatched_allow) (version 0.6.0 and later) is the
        RV(aws_search.cross_cluster.domain_access_policy#module:unmatched_allow) of the run; with O(runs), the report
        names each allow entry that no run with that allowlist matched (RV(unmatched_allow)).
      - C(security_hub) (version 0.6.0 and later) is the result of
        M(aws_search.cross_cluster.security_hub_findings) for the run (null when the run sends nothing there); the
        report says how many findings each account and region imported and archived.
    type: list
    elements: dict
    required: true
  runs:
    description:
      - The runs planned (RV(aws_search.cross_cluster.guard_plan#module:runs)); their C(settings) name the
        allowlist entry that allowed each connection, say whether findings fail the run (C(findings)) and which API's
        AWS CLI commands fix them (C(api)), and a planned run without a result is a failure.
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
    description:
      - Which files to write. V(csv) (version 0.6.0 and later) is C(report.csv), for auditors, one row per grant of
        every domain.
    type: list
    elements: str
    choices: [markdown, html, json, csv]
    default: [markdown, html, json, csv]
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
  sample: {markdown: reports/report.md, html: reports/report.html, json: reports/report.json, csv: reports/report.csv}
summary:
  description:
    - What the run did. C(revoked) counts every path (version 0.6.0 and later), connections deleted, VPC endpoint
      access revoked and access policy grants taken out.
  returned: always
  type: dict
  sample: {domains: 15, connections: 300, accepted: 12, rejected: 40, revoked: 2, pending_for_a_person: 0, failures: 0}
access:
  description:
    - The counts at the top of the report, after the run (in check mode, would be), by any path. C(findings), access
      nobody allowed; C(domains_open_to_everyone), domains with a grant of scope C(everyone) or C(conditional);
      C(domains_reachable_from_another_account), domains that anyone but their own account can reach (a grant to another
      account, or of scope C(everyone), C(conditional), C(organization), C(ip_restricted), C(service) or
      C(authenticated)); C(outside_accounts), the distinct
      other accounts with a grant; C(not_governed), what could not be read or decided.
  returned: always
  type: dict
  sample: {findings: 2, domains_open_to_everyone: 1, domains_reachable_from_another_account: 4, outside_accounts: 2, not_governed: 0}
findings:
  description:
    - Access nobody allowed, one entry per grant, most severe first, with C(id) (the same across runs), C(severity)
      (C(critical), C(high), C(medium), C(low)), C(account_id), C(region), C(domain_name), C(path), C(who),
      C(message), C(fix) (what to change, and the AWS CLI command) and C(fails_the_run) (false where the run's
      C(findings) setting is C(report)). Each that fails the run is in RV(problems) too.
  returned: always
  type: list
  elements: dict
  version_added: 0.5.0
console:
  description:
    - What the guard prints at the end of every run, one line each. Every finding (its severity, account, region,
      domain, path and who), then where the report is (the folder and the HTML file).
  returned: always
  type: list
  elements: str
  version_added: 0.6.0
  sample:
    - "CRITICAL: account 444444444444, us-east-1, open-logs, access policy: everyone"
    - "The report: /home/me/aws-search-report/report.html (report.md, report.json, report.csv beside it)"
unmatched_allow:
  description:
    - The allow entries that matched no grant and no request of the domains they were applied to, one sentence each
      (also a warning, and a section of the report; C(unmatched_allow) in report.json keeps C(entry), C(written) and
      C(domains)). Not a failure, since an allowlist may name a partner who has not asked yet.
  returned: always
  type: list
  elements: str
  version_added: 0.6.0
changes:
  description:
    - What changed since the previous report (C(since), C(new_connections), C(connections_gone),
      C(accounts_gained_access), C(accounts_lost_access)); null without a previous report.
    - "Each of C(accounts_gained_access) and C(accounts_lost_access) names the domain (C(account_id), C(region),
      C(domain_name)), the path (C(path)), who (C(who): an account id, everyone, an organization, addresses) and the
      account (C(owner_id); null when the grant names none), over the paths both reports read."
  returned: always
  type: dict
problems:
  description:
    - Why the run must fail, one sentence each; empty when everything was governed and decided. What was not
      governed, failed runs and decisions, findings (unless the run's C(findings) setting is C(report)), a previous
      report that could not be read, and no domain at all.
  returned: always
  type: list
  elements: str
artifact:
  description:
    - "What the guard publishes with C(set_stats) (AWX/AAP job artifacts): C(check_mode), C(started), C(access),
      C(summary), C(not_governed), C(findings) (one sentence each, with its fix), C(findings_by_severity) (the counts
      of C(critical), C(high), C(medium) and C(low) findings), C(security_hub) (per account and region, the findings
      imported and archived), C(can_search) (per domain, the accounts that can search it through a connection),
      C(changes), C(problems) and C(files)."
  returned: always
  type: dict
"""

import os

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.aws_search.cross_cluster.plugins.module_utils.report import build_report
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.report import changes
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.report import inventory_summary
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.report import problems
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.report_access import unmatched_line
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.report_files import FORMATS
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.report_files import ReportBusy
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.report_files import artifact
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.report_files import file_names
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.report_files import mode_of
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.report_files import read_previous
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.report_files import report_lock
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.report_files import write_report
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.report_pages import change_lines
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.report_pages import console_lines

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
    "each of results needs account_id, region and a list of decisions (dicts) and, where given, access (the domains"
    " domain_access_policy returned: each with domain_name, owner_id, region and grants), each of runs a name,"
    " account_id and region, each of domains account_id, region and domain_name, each of not_governed a host and a"
    " reason, and the account counts of inventories whole numbers"
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
    result["findings"] = report["findings"]
    result["unmatched_allow"] = [unmatched_line(item) for item in report["unmatched_allow"]]
    result["console"] = console_lines(report, files)
    for line in result["unmatched_allow"]:
        module.warn(line)
    if module._diff:
        result["diff"] = diff
    module.exit_json(**result)


if __name__ == "__main__":
    main()
