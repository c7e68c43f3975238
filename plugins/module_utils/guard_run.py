# -*- coding: utf-8 -*-

# Copyright: Contributors to the aws_search.cross_cluster project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The guard_run module: one run of the guard in one process. The run's role is taken here and its credentials stay
here; then the requests are decided (inbound_connection_policy), every path judged (domain_access_policy) and the
findings sent to Security Hub (security_hub_findings), with the same calls as those three modules."""

from __future__ import annotations

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
    policy = dict(params, destination_domain_names=params["domain_names"], max_concurrency=DECISIONS_AT_ONCE)
    problems.append(policy_problem(policy))
    return next((problem for problem in problems if problem), None)


def run_credentials(module: Any) -> ClientCredentials:
    """The run's role's credentials (none: the task's own), checked to be the domains' account's."""
    params = module.params
    role_arn = params["role_arn"]
    region = (params["role_region"] or module.region) if role_arn else module.region
    sts = aws_client(module, "sts", region=region)
    if role_arn:
        credentials, account = role_credentials(sts, role_arn, params["role_session_name"], region)
        # The role's keys, not a profile the task names.
        credentials["profile_name"] = None
    else:
        credentials, account = {}, caller_account(sts, region)
    refused = wrong_account(params["account_id"], account, role_arn)
    if refused:
        raise RunCredentialsError(refused)
    return credentials


def decide_requests(connections: Connections, module: Any, done: Dict[str, Any]) -> None:
    """inbound_connection_policy's work, its results in done."""
    params = dict(module.params, destination_domain_names=module.params["domain_names"])
    request = PolicyRequest.from_params(dict(params, max_concurrency=DECISIONS_AT_ONCE))
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


def send_to_security_hub(module: Any, credentials: ClientCredentials, done: Dict[str, Any]) -> None:
    """security_hub_findings' work, when asked and the run still has domains; its results in done."""
    arns = [domain["arn"] for domain in done["domains"]]
    if not module.params["security_hub"] or not arns:
        return
    hub = SecurityHub(aws_client(module, "securityhub", **credentials), module.params["account_id"], module.region)
    try:
        result = send_findings(hub, {"findings": done["findings"], "domain_arns": arns}, module.check_mode)
    except SecurityHubError as error:
        raise RunFailed(str(error)) from error
    sent = {"imported": result["imported"], "archived": result["archived"]}
    done.update(changed=done["changed"] or result["changed"], security_hub=sent)


def _diffs(diff: Any) -> List[Dict[str, Any]]:
    return diff if isinstance(diff, list) else [diff]


def run(module: Any, done: Dict[str, Any]) -> None:
    """Every step of the run, each one's results in done as it ends; RunFailed at the first that fails."""
    try:
        credentials = run_credentials(module)
        api = APIS[module.params["api"]]
        client = connection_client(module, api, pool_size=DECISIONS_AT_ONCE, **credentials)
        connections = Connections(client, api, module.region, "inbound")
        decide_requests(connections, module, done)
        judge_access(DomainReads(client, api, module.region), connections, module, done)
    except RunCredentialsError as error:
        raise RunFailed(str(error), error.__cause__) from error
    except (ConnectionApiError, DomainAccessError) as error:
        raise RunFailed(error.message, error.exception) from error
    send_to_security_hub(module, credentials, done)


def run_guard_run() -> None:
    module = AnsibleAWSModule(argument_spec=SPEC, supports_check_mode=True)
    problem = run_problem(module.params)
    if problem:
        module.fail_json(msg=problem)
    done: Dict[str, Any] = {"changed": False, "decisions": [], "domains": None, "security_hub": None}
    try:
        run(module, done)
    except RunFailed as failed:
        if failed.exception:
            module.fail_json_aws(failed.exception, msg=failed.message, **done)
        module.fail_json(msg=failed.message, **done)
    module.exit_json(**done)
