# -*- coding: utf-8 -*-

# Copyright: Contributors to the aws_search.cross_cluster project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The guard_run module: one run of the guard in one process. The run's role is taken here and its credentials stay
here; then the requests are decided (inbound_connection_policy), every path judged (domain_access_policy) and the
findings sent to Security Hub (security_hub_findings), with the same calls as those three modules."""

from __future__ import annotations

import traceback
from typing import Any
from typing import Dict
from typing import List
from typing import Optional

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.aws_search.cross_cluster.plugins.module_utils.access_governance import failure_message
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.access_governance import govern_access
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.access_modules import names_problem
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.api_calls import Connections
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.api_calls import aws_client
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.api_calls import connection_client
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.api_differences import APIS
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.aws_failures import ConnectionApiError
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.domain_discovery import ROLE_ARN
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.domain_reads import DomainAccessError
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.domain_reads import DomainReads
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.input_checks import owner_id_problem
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.input_checks import policy_problem
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.input_checks import region_problem
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.module_runner import API_OPTION
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.policy import PolicyRequest
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.policy import apply_policy
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.policy import (
    failure_message as decisions_failure,
)
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.policy import policy_output
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.run_credentials import ClientCredentials
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.run_credentials import RunCredentialsError
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.run_credentials import caller_account
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.run_credentials import role_credentials
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.run_credentials import wrong_account
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.security_hub import SecurityHub
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.security_hub import SecurityHubError
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.security_hub import send_findings

# inbound_connection_policy's default: how many decisions are in flight at once.
DECISIONS_AT_ONCE = 4
SPEC = dict(
    account_id=dict(type="str", required=True),
    role_arn=dict(type="str"),
    role_session_name=dict(type="str", default="aws-search-guard"),
    role_region=dict(type="str"),
    domain_names=dict(type="list", elements="str", required=True),
    allow=dict(type="list", elements="dict", required=True),
    allowed=dict(type="str", default="leave", choices=["leave", "accept"]),
    unlisted=dict(type="str", default="reject", choices=["reject", "leave"]),
    revoke=dict(type="bool", default=False),
    fix_policy=dict(type="bool", default=False),
    security_hub=dict(type="bool", default=False),
    api=API_OPTION,
)


class RunFailed(Exception):
    """A step of the run failed; what the run did before it is in the module's result all the same."""

    def __init__(self, message: str, exception: Optional[Exception] = None) -> None:
        super().__init__(message)
        self.message, self.exception = message, exception


def run_problem(params: Dict[str, Any]) -> Optional[str]:
    """The first rule the options break; None when they are valid."""
    role_arn = params["role_arn"]
    problems = [owner_id_problem(params["account_id"], "account_id")]
    if role_arn is not None and not ROLE_ARN.fullmatch(role_arn):
        problems.append(f"role_arn must be an IAM role ARN (arn:aws:iam::123456789012:role/NAME), got {role_arn!r}")
    if params["role_region"] is not None:
        problems.append(region_problem(params["role_region"], "role_region"))
    problems.append(names_problem(params["domain_names"]) if params["domain_names"] else "domain_names is empty")
    problems.append(policy_problem(policy_params(params)))
    return next((problem for problem in problems if problem), None)


def policy_params(params: Dict[str, Any]) -> Dict[str, Any]:
    """The options, as inbound_connection_policy takes them."""
    return dict(params, destination_domain_names=params["domain_names"], max_concurrency=DECISIONS_AT_ONCE)


def run_credentials(module: Any) -> ClientCredentials:
    """The run's role's credentials (none: the task's own), checked to be the domains' account's."""
    params = module.params
    role_arn = params["role_arn"]
    region = (params["role_region"] or module.region) if role_arn else module.region
    sts = aws_client(module, "sts", region=region)
    if role_arn:
        credentials, account = role_credentials(sts, role_arn, params["role_session_name"], region)
    else:
        credentials, account = {}, caller_account(sts, region)
    refused = wrong_account(params["account_id"], account, role_arn)
    if refused:
        raise RunCredentialsError(refused)
    return credentials


def decide_requests(connections: Connections, module: Any, done: Dict[str, Any]) -> None:
    """inbound_connection_policy's work, its results in done."""
    request = PolicyRequest.from_params(policy_params(module.params))
    result = apply_policy(connections, request, module.check_mode)
    for warning in result.warnings:
        module.warn(warning)
    done.update(policy_output(result, connections.region))
    if result.failures:
        raise RunFailed(decisions_failure(result))


def judge_access(reads: DomainReads, connections: Connections, module: Any, done: Dict[str, Any]) -> None:
    """domain_access_policy's work (with findings: report), on the decisions just made, its results in done."""
    params = dict(module.params, decisions=done["decisions"])
    result = govern_access(reads, connections, params, module.check_mode)
    done.update(result, changed=done["changed"] or result["changed"], diff=[done["diff"]] + _diffs(result["diff"]))
    message = failure_message(result, findings_fail=False)
    if message:
        raise RunFailed(message)


def send_to_security_hub(hub: Optional[SecurityHub], check_mode: bool, done: Dict[str, Any]) -> None:
    """security_hub_findings' work, when asked and the run still has domains; its results in done."""
    arns = [domain["arn"] for domain in done["domains"]]
    if hub is None or not arns:
        return
    try:
        result = send_findings(hub, {"findings": done["findings"], "domain_arns": arns}, check_mode)
    except SecurityHubError as error:
        raise RunFailed(str(error)) from error
    sent = {"imported": result["imported"], "archived": result["archived"]}
    done.update(changed=done["changed"] or result["changed"], security_hub=sent)


def _diffs(diff: Any) -> List[Dict[str, Any]]:
    return diff if isinstance(diff, list) else [diff]


def run(module: Any, done: Dict[str, Any]) -> None:
    """Every step of the run, each one's results in done as it ends; RunFailed at the first that fails."""
    params = module.params
    try:
        credentials = run_credentials(module)
    except RunCredentialsError as error:
        raise RunFailed(error.message, error.exception) from error
    # Every client before the first write: one that cannot be made fails the run with nothing done.
    api = APIS[params["api"]]
    client = connection_client(module, api, pool_size=DECISIONS_AT_ONCE, **credentials)
    hub = None
    if params["security_hub"]:
        hub = SecurityHub(aws_client(module, "securityhub", **credentials), params["account_id"], module.region)
    connections = Connections(client, api, module.region, "inbound")
    try:
        decide_requests(connections, module, done)
        judge_access(DomainReads(client, api, module.region), connections, module, done)
    except (ConnectionApiError, DomainAccessError) as error:
        raise RunFailed(error.message, error.exception) from error
    send_to_security_hub(hub, module.check_mode, done)


def run_guard_run() -> None:
    module = AnsibleAWSModule(argument_spec=SPEC, supports_check_mode=True)
    done: Dict[str, Any] = {"changed": False, "decisions": [], "domains": None, "security_hub": None}
    problem = run_problem(module.params)
    if problem:
        module.fail_json(msg=problem, **done)
    try:
        run(module, done)
    except RunFailed as failed:
        if failed.exception:
            module.fail_json_aws(failed.exception, msg=failed.message, **done)
        module.fail_json(msg=failed.message, **done)
    except Exception as error:  # pylint: disable=broad-exception-caught
        # A defect, not the user's: what the run did before it stays in the result, for the report.
        message = f"The run stopped on an unexpected error ({error!r}); what it did before is returned: report it"
        module.fail_json(msg=message, exception=traceback.format_exc(), **done)
    module.exit_json(**done)
