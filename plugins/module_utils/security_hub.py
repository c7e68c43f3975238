# -*- coding: utf-8 -*-

# Copyright: Contributors to the aws_search.cross_cluster project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The security_hub_findings module: findings (domain_access_policy's) as AWS Security Hub findings (ASFF, pure
functions), the ones this collection imported earlier for the same domains read back (GetFindings), and one import of
both, the current ones ACTIVE and those that no longer hold ARCHIVED, 100 a call."""

from __future__ import annotations

import datetime
from typing import Any
from typing import Dict
from typing import List
from typing import Optional
from typing import Tuple

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.aws_search.cross_cluster.plugins.module_utils.access_allowlist import GENERATOR
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.access_allowlist import SEVERITIES
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.api_calls import aws_client
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.aws_failures import ACCESS_DENIED_CODES
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.aws_failures import ANSWER_ERRORS
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.aws_failures import UnreadableAnswer
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.aws_failures import error_code
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.aws_failures import hint_for_any_call

try:
    import botocore.exceptions
except ImportError:
    pass  # AnsibleAWSModule reports a missing botocore

SCHEMA_VERSION = "2018-10-08"
# At most this many findings a BatchImportFindings call, and a GetFindings page; and values of one filter field.
BATCH = 100
FILTER_VALUES = 20
TYPES = ["Software and Configuration Checks/AWS Security Best Practices", "Effects/Data Exposure"]
RESOURCE_TYPE = "AwsOpenSearchServiceDomain"
# What an archived finding keeps of the one imported before: the members an import needs, no customer's field.
KEPT = ("SchemaVersion", "Id", "ProductArn", "GeneratorId", "AwsAccountId", "Types", "CreatedAt", "Severity", "Title")
KEPT += ("Description", "Resources", "Remediation")
WHO = {
    "account": "account {grant_account_id}",
    "organization": "an organization",
    "ip_restricted": "some addresses",
    "service": "the service {principal}",
    "authenticated": "every user who signs in",
    "everyone": "everyone",
    "conditional": "principals under conditions not read",
}
PATHS = {
    "access_policy": "its access policy",
    "vpc_endpoint": "VPC endpoint access",
    "anonymous": "anonymous access",
    "connection": "a cross-cluster connection",
}
SPEC = dict(
    findings=dict(type="list", elements="dict", required=True),
    domain_arns=dict(type="list", elements="str", required=True),
)


class SecurityHubError(Exception):
    """A call to AWS Security Hub failed, or findings were not imported; the message says where and what to do."""


def product_arn(partition: str, region: str, account: str) -> str:
    """The account's default product: the one a finding of that account, imported by that account, belongs to."""
    return f"arn:{partition}:securityhub:{region}:{account}:product/{account}/default"


def arn_parts(arn: str) -> Tuple[str, str, str, str]:
    """(partition, region, account, domain name) of a domain ARN."""
    parts = arn.split(":", 5)
    return parts[1], parts[3], parts[4], parts[5].split("/", 1)[-1]


def asff(finding: Dict[str, Any], arn: str, now: str, created: Optional[str] = None) -> Dict[str, Any]:
    """A finding as AWS Security Hub takes it: ACTIVE, compliance FAILED, with its severity and fix."""
    partition, region, account, name = arn_parts(arn)
    who = WHO.get(str(finding.get("scope")), "{principal}").format_map(_Blank(finding))
    return {
        "SchemaVersion": SCHEMA_VERSION,
        "Id": finding["id"],
        "ProductArn": product_arn(partition, region, account),
        "GeneratorId": f"{GENERATOR}/{finding['path']}",
        "AwsAccountId": account,
        "Types": TYPES,
        "CreatedAt": created or now,
        "UpdatedAt": now,
        "Severity": {"Label": str(finding["severity"]).upper()},
        "Title": f"{name}: {who} can reach the data by {PATHS.get(finding['path'], finding['path'])}"[:256],
        "Description": str(finding["message"])[:1024],
        "Resources": [{"Type": RESOURCE_TYPE, "Id": arn, "Partition": partition, "Region": region}],
        "Compliance": {"Status": "FAILED"},
        "Remediation": {"Recommendation": {"Text": str(finding["fix"])[:512]}},
        "RecordState": "ACTIVE",
    }


class _Blank(dict):
    """A finding's values for a title; a key it lacks reads as "?" rather than failing."""

    def __missing__(self, key: str) -> str:
        return "?"


def archived(stored: Dict[str, Any], now: str) -> Dict[str, Any]:
    """A finding imported earlier that no longer holds (the grant was removed, or is allowed now)."""
    kept = {key: stored[key] for key in KEPT if key in stored}
    return dict(kept, UpdatedAt=now, RecordState="ARCHIVED", Compliance={"Status": "PASSED"})


def plan(
    findings: List[Dict[str, Any]], arns: Dict[str, str], earlier: List[Dict[str, Any]], now: str
) -> Tuple[List[Dict[str, Any]], List[Dict[str, Any]]]:
    """(to import ACTIVE, to archive): every finding, keeping the time it was first imported; and each finding
    imported earlier for these domains that is no longer among them."""
    created = {item["Id"]: item.get("CreatedAt") for item in earlier}
    current = [asff(item, arns[item["domain_name"]], now, created.get(item["id"])) for item in findings]
    ids = {item["Id"] for item in current}
    return current, [archived(item, now) for item in earlier if item["Id"] not in ids]


def findings_problem(params: Dict[str, Any], region: Optional[str]) -> Optional[str]:
    """Findings of another region or of a domain not given, or without what an import needs, are refused first."""
    arns = params["domain_arns"]
    bad = [arn for arn in arns if len(arn.split(":")) < 6 or arn_parts(arn)[1] != region]
    if not arns or bad:
        return (
            f"domain_arns must name the domains (their ARNs) of region {region}, got {bad or arns}: a finding is"
            " imported in its domain's own account and region"
        )
    if len({arn_parts(arn)[2] for arn in arns}) > 1:
        return f"domain_arns must be of one account (the task's credentials'), got {arns}"
    names = {arn_parts(arn)[3] for arn in arns}
    for index, item in enumerate(params["findings"]):
        missing = [key for key in ("id", "severity", "path", "message", "fix", "domain_name") if not item.get(key)]
        if missing or item["severity"] not in SEVERITIES or item["domain_name"] not in names:
            return (
                f"findings[{index}] is not a finding of domain_access_policy for one of domain_arns (it lacks"
                f" {', '.join(missing) or 'nothing'}; severity {item.get('severity')!r}, domain"
                f" {item.get('domain_name')!r}): give the findings that module returned"
            )
    return None


class SecurityHub:
    """One account's Security Hub in one region, through the module's client."""

    def __init__(self, client: Any, account: str, region: str) -> None:
        self.client, self.account, self.region = client, account, region

    def earlier(self, arns: List[str]) -> List[Dict[str, Any]]:
        """The ACTIVE findings this collection imported for these domains (filtered here too: a finding of another
        generator, account, state or domain is never archived)."""
        found = []
        for start in range(0, len(arns), FILTER_VALUES):
            end = start + FILTER_VALUES
            found += self._pages(arns[start:end])
        return [item for item in found if _ours(item, self.account, arns)]

    def _pages(self, arns: List[str]) -> List[Dict[str, Any]]:
        """Every page of GetFindings for up to 20 domains (AWS takes at most 20 values a filter field)."""
        filters = {
            "GeneratorId": [{"Value": GENERATOR, "Comparison": "PREFIX"}],
            "AwsAccountId": [{"Value": self.account, "Comparison": "EQUALS"}],
            "RecordState": [{"Value": "ACTIVE", "Comparison": "EQUALS"}],
            "ResourceId": [{"Value": arn, "Comparison": "EQUALS"} for arn in arns],
        }
        found, token = [], None
        while True:
            more = {"NextToken": token} if token else {}
            answer = self._call("get_findings", "GetFindings", "Findings", Filters=filters, MaxResults=BATCH, **more)
            found += answer["Findings"]
            token = answer.get("NextToken")
            if not token:
                return found

    def put(self, findings: List[Dict[str, Any]]) -> None:
        """Import, 100 a call; SecurityHubError naming each finding AWS did not take."""
        failed, count = [], 0
        for start in range(0, len(findings), BATCH):
            end = start + BATCH
            answer = self._call(
                "batch_import_findings", "BatchImportFindings", "FailedCount", Findings=findings[start:end]
            )
            failed += answer.get("FailedFindings") or []
            count += answer["FailedCount"]
        if failed or count:
            lines = "; ".join(
                f"{item.get('Id')}: {item.get('ErrorCode')} {item.get('ErrorMessage')}" for item in failed
            )
            raise SecurityHubError(
                f"AWS Security Hub did not take {max(count, len(failed))} findings in account {self.account}, {self.region}"
                f" (findings that did not reach the hub are not all clear): {lines}"
            )

    def _call(self, method: str, operation: str, answer_key: str, **params: Any) -> Dict[str, Any]:
        """The answer, which holds answer_key as the API gives it (a list of findings, or a count); SecurityHubError,
        naming the account, region and what to do, otherwise: an answer that is not the API's is never "all clear"."""
        try:
            answer = getattr(self.client, method)(**params)
            if not _readable(answer.get(answer_key)):
                raise UnreadableAnswer(f"the answer to {operation} has no {answer_key}")
            return answer
        except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError, *ANSWER_ERRORS) as error:
            raise SecurityHubError(
                f"{operation} failed in account {self.account}, {self.region}: {hub_hint(error, operation, self.region)}"
                f" ({error})"
            ) from error


def _readable(value: Any) -> bool:
    if isinstance(value, list):
        return all(isinstance(item, dict) for item in value)
    return isinstance(value, int) and not isinstance(value, bool)


def _ours(item: Dict[str, Any], account: str, arns: List[str]) -> bool:
    resources = {resource.get("Id") for resource in item.get("Resources") or []}
    checks = (
        str(item.get("GeneratorId", "")).startswith(GENERATOR),
        item.get("AwsAccountId") == account,
        item.get("RecordState", "ACTIVE") == "ACTIVE",
        bool(resources & set(arns)),
        bool(item.get("Id")),
    )
    return all(checks)


def hub_hint(error: Exception, operation: str, region: str) -> str:
    code = error_code(error)
    if code == "InvalidAccessException":
        return (
            f"AWS Security Hub is not enabled there; enable it (aws securityhub enable-security-hub --region {region})"
            " or turn security_hub off for these domains"
        )
    if code in ACCESS_DENIED_CODES:
        return f"the credentials may not do this; grant them the IAM action securityhub:{operation}"
    return hint_for_any_call(error)


def utc_now() -> str:
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def send_findings(hub: SecurityHub, params: Dict[str, Any], check_mode: bool) -> Dict[str, Any]:
    """Read what was imported before, then import the findings and archive what no longer holds (not in check
    mode)."""
    arns = params["domain_arns"]
    by_name = {arn_parts(arn)[3]: arn for arn in arns}
    current, stale = plan(params["findings"], by_name, hub.earlier(arns), utc_now())
    if not check_mode and (current or stale):
        hub.put(current + stale)
    return {
        "changed": bool(current or stale),
        "imported": [item["Id"] for item in current],
        "archived": [item["Id"] for item in stale],
    }


def run_security_hub_findings() -> None:
    module = AnsibleAWSModule(argument_spec=SPEC, supports_check_mode=True)
    problem = findings_problem(module.params, module.region)
    if problem:
        module.fail_json(msg=problem)
    account = arn_parts(module.params["domain_arns"][0])[2]
    hub = SecurityHub(aws_client(module, "securityhub"), account, module.region)
    try:
        result = send_findings(hub, module.params, module.check_mode)
    except SecurityHubError as error:
        module.fail_json(msg=str(error))
    module.exit_json(**result)
