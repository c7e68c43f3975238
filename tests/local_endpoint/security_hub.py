"""AWS Security Hub's two operations the guard uses, as AWS plays them: BatchImportFindings (1 to 100 findings, each
for the calling account with its default product ARN, the fields customers own kept after the first import, failures
reported per finding in a 200) and GetFindings (string filters, pages of MaxResults), in the regions where the account
enabled Security Hub only (InvalidAccessException, 401, elsewhere)."""

from __future__ import annotations

import copy
from typing import Any
from typing import Dict
from typing import List
from typing import Optional

from .store import AwsError
from .store import Caller

# Required by the model, and by AWS's documentation for a finding's first import.
REQUIRED = ("SchemaVersion", "Id", "ProductArn", "GeneratorId", "AwsAccountId", "CreatedAt", "UpdatedAt", "Title")
REQUIRED += ("Description", "Resources")
FIRST_IMPORT = ("Severity", "Types")
# Customers own these: BatchImportFindings leaves them as they are once a finding exists.
CUSTOMER_FIELDS = ("Workflow", "Note", "UserDefinedFields", "VerificationState")
FILTER_FIELDS = {
    "Id": lambda finding: [finding.get("Id")],
    "GeneratorId": lambda finding: [finding.get("GeneratorId")],
    "AwsAccountId": lambda finding: [finding.get("AwsAccountId")],
    "ProductArn": lambda finding: [finding.get("ProductArn")],
    "RecordState": lambda finding: [finding.get("RecordState")],
    "ResourceId": lambda finding: [resource.get("Id") for resource in finding.get("Resources") or []],
}
MAX_RESULTS = 100
# AWS takes at most this many values for one filter field.
MAX_FILTER_VALUES = 20


def _hub(endpoint: Any, caller: Caller) -> Dict[str, dict]:
    """The caller's findings in the caller's region; InvalidAccessException where Security Hub is not enabled."""
    with endpoint.store.lock:
        if (caller.account, caller.region) not in endpoint.store.hubs:
            raise AwsError(
                "InvalidAccessException",
                f"Account {caller.account} is not subscribed to AWS Security Hub in {caller.region}",
                401,
            )
        return endpoint.store.hub_findings.setdefault((caller.account, caller.region), {})


def product_arn(caller: Caller) -> str:
    partition = "aws-cn" if caller.region.startswith("cn-") else "aws-us-gov" if "-gov-" in caller.region else "aws"
    return f"arn:{partition}:securityhub:{caller.region}:{caller.account}:product/{caller.account}/default"


def _refusal(finding: dict, caller: Caller, stored: Dict[str, dict]) -> Optional[Dict[str, str]]:
    missing = [name for name in REQUIRED if not finding.get(name)]
    if finding.get("Id") not in stored:
        missing += [name for name in FIRST_IMPORT if not finding.get(name)]
    if missing:
        return {"ErrorCode": "InvalidInput", "ErrorMessage": f"Finding is missing {', '.join(missing)}"}
    if finding["ProductArn"] != product_arn(caller) or finding["AwsAccountId"] != caller.account:
        return {
            "ErrorCode": "AccessDeniedException",
            "ErrorMessage": f"The account {caller.account} cannot import a finding of account"
            f" {finding['AwsAccountId']} with the product {finding['ProductArn']}",
        }
    return None


def batch_import_findings(endpoint: Any, _wire: Any, caller: Caller, body: dict, _params: dict) -> dict:
    findings = body.get("Findings") or []
    if not 1 <= len(findings) <= MAX_RESULTS:
        raise AwsError("InvalidInputException", "Findings must hold 1 to 100 findings.")
    failed: List[dict] = []
    with endpoint.store.lock:
        stored = _hub(endpoint, caller)
        for finding in findings:
            refusal = _refusal(finding, caller, stored)
            if refusal:
                failed.append(dict(refusal, Id=str(finding.get("Id"))))
                continue
            _store(stored, copy.deepcopy(finding))
    return {"FailedCount": len(failed), "SuccessCount": len(findings) - len(failed), "FailedFindings": failed}


def _store(stored: Dict[str, dict], finding: dict) -> None:
    before = stored.get(finding["Id"])
    if before is None:
        finding.setdefault("Workflow", {"Status": "NEW"})
        finding.setdefault("RecordState", "ACTIVE")
        stored[finding["Id"]] = finding
        return
    update = {key: value for key, value in finding.items() if key not in CUSTOMER_FIELDS}
    before.update(update)


def _matches(finding: dict, filters: Dict[str, List[dict]]) -> bool:
    for name, conditions in filters.items():
        values = [str(value) for value in FILTER_FIELDS[name](finding) if value is not None]
        wanted = [c for c in conditions if c.get("Comparison", "EQUALS") in ("EQUALS", "PREFIX")]
        refused = [c for c in conditions if c.get("Comparison") == "NOT_EQUALS"]
        if wanted and not any(_holds(value, condition) for value in values for condition in wanted):
            return False
        if any(value == condition.get("Value") for value in values for condition in refused):
            return False
    return True


def _holds(value: str, condition: dict) -> bool:
    if condition.get("Comparison", "EQUALS") == "PREFIX":
        return value.startswith(str(condition.get("Value")))
    return value == condition.get("Value")


def _checked_filters(filters: Dict[str, Any]) -> Dict[str, List[dict]]:
    unknown = sorted(set(filters) - set(FILTER_FIELDS))
    if unknown:
        raise AwsError("InvalidInputException", f"The local endpoint does not filter on {', '.join(unknown)}.")
    for name, conditions in filters.items():
        if len(conditions) > MAX_FILTER_VALUES:
            raise AwsError("InvalidInputException", f"{name} takes at most {MAX_FILTER_VALUES} values.")
        for condition in conditions:
            if condition.get("Comparison", "EQUALS") not in ("EQUALS", "PREFIX", "NOT_EQUALS"):
                raise AwsError("InvalidInputException", f"Comparison {condition.get('Comparison')} is not supported.")
    return filters


def get_findings(endpoint: Any, _wire: Any, caller: Caller, body: dict, _params: dict) -> dict:
    size = int(body.get("MaxResults") or MAX_RESULTS)
    if not 1 <= size <= MAX_RESULTS:
        raise AwsError("InvalidInputException", "MaxResults must be a number between 1 and 100")
    filters = _checked_filters(body.get("Filters") or {})
    try:
        start = int(body.get("NextToken") or 0)
    except ValueError:
        raise AwsError("InvalidInputException", "The NextToken is not valid.") from None
    with endpoint.store.lock:
        found = [copy.deepcopy(f) for f in _hub(endpoint, caller).values() if _matches(f, filters)]
    page = found[start : start + size]
    answer: Dict[str, Any] = {"Findings": page}
    if start + size < len(found):
        answer["NextToken"] = str(start + size)
    return answer
