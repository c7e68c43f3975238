#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the aws_search.cross_cluster project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: security_hub_findings
short_description: Send the access nobody allowed to AWS Security Hub, and archive what no longer holds
version_added: 0.6.0
description:
  - "Imports the RV(aws_search.cross_cluster.domain_access_policy#module:findings) of domains of one account and
    region into AWS Security Hub (C(BatchImportFindings)), in that account and region, with the credentials the task
    runs with: the default product ARN, C(arn:<partition>:securityhub:<region>:<account>:product/<account>/default),
    takes only findings of the calling account."
  - "Each finding in the AWS Security Finding Format: C(Id) the finding's id (the same across runs, so a second run
    updates it); C(GeneratorId) C(aws_search.cross_cluster/<path>); C(Types); C(Severity.Label) (C(CRITICAL),
    C(HIGH), C(MEDIUM), C(LOW)); one resource C(AwsOpenSearchServiceDomain) with the domain's ARN, region and
    partition; C(Title) and C(Description) in words (who can reach what, by which path; an expired exception by its
    name); C(Compliance.Status) C(FAILED); C(Remediation.Recommendation.Text) the fix; C(RecordState) C(ACTIVE). What
    Security Hub's users own (C(Workflow), C(Note), C(UserDefinedFields), C(VerificationState)) is never sent."
  - "A finding this collection imported earlier for one of O(domain_arns) that is not among O(findings) any more (the
    grant was removed, or is allowed now) is imported again with C(RecordState) C(ARCHIVED) and C(Compliance.Status)
    C(PASSED). They are found with C(GetFindings) filtered on the generator, the account, C(ACTIVE) and the domains,
    so a lost report folder loses nothing."
  - "Calls: C(GetFindings) (pages of 100), then one C(BatchImportFindings) per 100 findings, imported and archived
    together. Check mode makes the C(GetFindings) calls only, and returns what a real run would import and archive."
  - "A call that fails (Security Hub not enabled in that account and region, access denied) or findings AWS did not
    take (C(FailedFindings)) fail the task, naming the account, the region, and the setting or IAM action: findings
    that did not reach the hub are not all clear."
options:
  findings:
    description:
      - The RV(aws_search.cross_cluster.domain_access_policy#module:findings) to import, each of a domain of
        O(domain_arns); V([]) archives every finding imported earlier for them.
    type: list
    elements: dict
    required: true
  domain_arns:
    description:
      - The ARNs of the domains the findings are about, all of the task's account and region (the
        RV(aws_search.cross_cluster.domain_access_policy#module:domains[].arn)). A finding imported earlier for one
        of them and not in O(findings) is archived.
    type: list
    elements: str
    required: true
notes:
  - "IAM actions needed: C(securityhub:GetFindings), and C(securityhub:BatchImportFindings) unless in check mode.
    Security Hub must be enabled in the account and region."
  - The guard playbook runs it in each run's account with C(-e security_hub=true) or C(guard_security_hub=true).
seealso:
  - module: aws_search.cross_cluster.domain_access_policy
author:
  - aws_search.cross_cluster maintainers (@aws-search)
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: Judge every path to the region's domains, reporting the findings without failing
  aws_search.cross_cluster.domain_access_policy:
    allow:
      - owner_id: "222222222222"
    findings: report
  register: access

- name: Send the findings to AWS Security Hub, and archive those that no longer hold
  aws_search.cross_cluster.security_hub_findings:
    findings: "{{ access.findings }}"
    domain_arns: "{{ access.domains | map(attribute='arn') | list }}"
"""

RETURN = r"""
imported:
  description: The ids of the findings imported ACTIVE (in check mode, that a real run would import).
  returned: always
  type: list
  elements: str
  sample: [aws_search.cross_cluster/111111111111/eu-west-1/secret-logs/access_policy/0c5d1f3b2a9e8d7c]
archived:
  description: The ids of the findings imported earlier that no longer hold, archived (in check mode, would be).
  returned: always
  type: list
  elements: str
"""

from ansible_collections.aws_search.cross_cluster.plugins.module_utils.security_hub import run_security_hub_findings


def main() -> None:
    run_security_hub_findings()


if __name__ == "__main__":
    main()
