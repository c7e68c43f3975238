# -*- coding: utf-8 -*-

# Copyright: Contributors to the aws_search.cross_cluster project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The AWS calls on one account's domains in one region, through either API, each retried and each failure
explained: their names, their descriptions (5 a call, as AWS allows), and their VPC endpoint access (every page);
several calls at once where there are many."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any
from typing import Callable
from typing import Dict
from typing import List

try:
    import botocore.exceptions
except ImportError:
    pass  # AnsibleAWSModule reports a missing botocore

from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError

from ansible_collections.aws_search.cross_cluster.plugins.module_utils.api_differences import ConnectionApi
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.api_differences import scope
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.aws_failures import ACCESS_DENIED_CODES
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.aws_failures import ANSWER_ERRORS
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.aws_failures import UnreadableAnswer
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.aws_failures import error_code
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.aws_failures import hint_for_read

# AWS answers more names than this with "Please provide a maximum of 5 domain names to describe."
DESCRIBED_AT_ONCE = 5
# Calls in flight at once (the client keeps 10 connections).
MAX_CALLS_AT_ONCE = 8
HINTS_BY_CODE = {
    "ResourceNotFoundException": "AWS knows no such domain, or no such principal on it, in this account and region",
    "DisabledOperationException": "VPC endpoint access needs a VPC domain; a public domain has none",
    "LimitExceededException": "the domain has reached AWS's limit of 10 principals with VPC endpoint access",
}


class DomainAccessError(AnsibleAWSError):
    """A failed AWS call on domains; message names the call, the domain and what to do."""


class DomainReads:
    """The calls on the domains of the credentials' account in one region, through one API."""

    def __init__(self, client: Any, api: ConnectionApi, region: str) -> None:
        self.client = client
        self.api = api
        self.region = region

    def names(self) -> List[str]:
        """Every domain of the region (one ListDomainNames: AWS does not page it)."""
        entries = self._call("list_domain_names", "DomainNames", "the domains")["DomainNames"]
        if not all(isinstance(entry, dict) and entry.get("DomainName") for entry in entries):
            raise self._unreadable("list_domain_names", "a domain without its DomainName")
        return sorted(str(entry["DomainName"]) for entry in entries)

    def _unreadable(self, method: str, what: str) -> DomainAccessError:
        """An answer that is not the API's: never read as fewer domains."""
        operation = self.client.meta.method_to_api_mapping.get(method, method)
        error = UnreadableAnswer(f"the answer to {operation} has {what}")
        message = (
            f"{operation} of the domains failed {scope(self.api, self.region)}: {hint(error, operation)} ({error})"
        )
        return DomainAccessError(message=message)

    def describe(self, names: List[str], option: str = "domain_names") -> List[Dict[str, Any]]:
        """The domains named (in option), 5 a call; DomainAccessError naming any name AWS did not describe (no such
        domain), or an answer without a domain's name or ARN."""
        starts = range(0, len(names), DESCRIBED_AT_ONCE)
        batches = [names[start:][:DESCRIBED_AT_ONCE] for start in starts]
        method = self.api.describe_domains_method
        answers = self._at_once(
            lambda batch: self._call(method, "DomainStatusList", "the domains", DomainNames=batch), batches
        )
        statuses = [status for answer in answers for status in answer["DomainStatusList"]]
        if not all(isinstance(status, dict) and status.get("DomainName") and status.get("ARN") for status in statuses):
            raise self._unreadable(method, "a domain without its DomainName or ARN")
        found = {status["DomainName"]: status for status in statuses}
        missing = [name for name in names if name not in found]
        if missing:
            raise DomainAccessError(
                message=f"No domain named {', '.join(missing)} {scope(self.api, self.region)}: check {option}, and"
                " that region and the credentials' account are the domain's"
            )
        return [found[name] for name in names]

    def vpc_access_of(self, names: List[str]) -> Dict[str, List[Dict[str, Any]]]:
        """The VPC endpoint access of each domain named, MAX_CALLS_AT_ONCE domains at once."""
        return dict(zip(names, self._at_once(self.vpc_access, names)))

    def _at_once(self, call: Callable[[Any], Any], items: List[Any]) -> List[Any]:
        """call on each item, in order, MAX_CALLS_AT_ONCE at once (a boto3 client is safe to share across threads);
        the first failure is raised."""
        if len(items) <= 1:
            return [call(item) for item in items]
        with ThreadPoolExecutor(max_workers=min(len(items), MAX_CALLS_AT_ONCE)) as pool:
            futures = [pool.submit(call, item) for item in items]
            try:
                return [future.result() for future in futures]
            except BaseException:
                for future in futures:
                    future.cancel()  # a failure fails the read: the calls not yet made are not made
                raise

    def vpc_access(self, name: str) -> List[Dict[str, Any]]:
        """Every principal that may create a VPC endpoint to the domain, following NextToken (no paginator)."""
        principals: List[Dict[str, Any]] = []
        params: Dict[str, Any] = {"DomainName": name}
        while True:
            page = self._call("list_vpc_endpoint_access", "AuthorizedPrincipalList", f"domain {name}", **params)
            principals.extend(page["AuthorizedPrincipalList"])
            if not page.get("NextToken"):
                return principals
            params["NextToken"] = page["NextToken"]

    def authorize(self, name: str, account: str) -> None:
        self._call(
            "authorize_vpc_endpoint_access", "AuthorizedPrincipal", f"domain {name}", DomainName=name, Account=account
        )

    def revoke(self, name: str, account: str) -> bool:
        """False when the account had no access any more (someone revoked it meanwhile)."""
        try:
            self._call("revoke_vpc_endpoint_access", None, f"domain {name}", DomainName=name, Account=account)
        except DomainAccessError as error:
            if error_code(error.exception) == "ResourceNotFoundException":
                return False
            raise
        return True

    def access_policy_now(self, name: str) -> str:
        """The domain's access policy as AWS holds it now (DescribeDomainConfig), just before a write."""
        answer = self._call(self.api.describe_config_method, "DomainConfig", f"domain {name}", DomainName=name)
        config = answer["DomainConfig"]
        policies = config.get("AccessPolicies") or {} if isinstance(config, dict) else None
        if not isinstance(policies, dict):
            raise self._unreadable(self.api.describe_config_method, "an AccessPolicies that is no map")
        return str(policies.get("Options") or "")

    def update_access_policy(self, name: str, text: str) -> None:
        """One UpdateDomainConfig with the access policy only."""
        self._call(
            self.api.update_config_method, "DomainConfig", f"domain {name}", DomainName=name, AccessPolicies=text
        )

    def _call(self, method: str, answer_key: Any, subject: str, **params: Any) -> Dict[str, Any]:
        """The answer, which holds answer_key; DomainAccessError, naming the call and the IAM action, otherwise."""
        operation = self.client.meta.method_to_api_mapping.get(method, method)
        try:
            answer = getattr(self.client, method)(**params)
            if answer_key and answer_key not in answer:
                raise UnreadableAnswer(f"the answer to {operation} has no {answer_key}")
            return answer
        except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError, *ANSWER_ERRORS) as error:
            message = f"{operation} of {subject} failed {scope(self.api, self.region)}: {hint(error, operation)}"
            raise DomainAccessError(message=message, exception=error) from error


def hint(error: Exception, operation: str) -> str:
    """What a failed call on domains means; a refusal names the IAM action to grant."""
    action = f"es:{operation}"
    code = error_code(error)
    if code in ACCESS_DENIED_CODES:
        return f"the credentials are not allowed to do this; grant them the IAM action {action}"
    if code in HINTS_BY_CODE:
        return HINTS_BY_CODE[code]
    return hint_for_read(error, action)
