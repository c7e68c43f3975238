# -*- coding: utf-8 -*-

# Copyright: Contributors to the aws_search.cross_cluster project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The domain_access_policy module: every path to the domains read (as domain_access_info reads it), judged against
the allowlist (access_allowlist.py), VPC endpoint access nobody allowed revoked when asked, and the findings named."""

from __future__ import annotations

import json
from typing import Any
from typing import Dict
from typing import List
from typing import Optional
from typing import Set
from typing import Tuple

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.aws_search.cross_cluster.plugins.module_utils.access_allowlist import connection_grants
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.access_allowlist import finding
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.access_allowlist import finding_line
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.access_allowlist import judged
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.access_allowlist import matched_entries
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.access_allowlist import reach
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.access_modules import access_entry
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.access_modules import names_problem
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.access_modules import read_domains
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.access_policy import Domain
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.access_policy import PolicyError
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.access_policy import parse
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.access_policy import policy_grants
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.api_calls import Connections
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.api_calls import connection_client
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.api_differences import APIS
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.api_differences import DOMAIN_KEYS
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.aws_failures import ConnectionApiError
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.domain_discovery import partition_of
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.domain_reads import DomainAccessError
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.domain_reads import DomainReads
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.input_checks import allow_entry_problem
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.module_runner import API_OPTION
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.policy import PolicyRequest
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.policy import Rule
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.policy import decide
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.policy import decision_output
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.policy import utc_today
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.policy_fix import fixed_document
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.policy_fix import removed_grants

# The rules of the allowlist, and whether VPC endpoint access nobody allowed is revoked.
Judge = Tuple[List[Rule], bool]
SPEC = dict(
    allow=dict(type="list", elements="dict", required=True),
    revoke=dict(type="bool", default=False),
    domain_names=dict(type="list", elements="str"),
    decisions=dict(type="list", elements="dict"),
    findings=dict(type="str", default="fail", choices=["fail", "report"]),
    fix_policy=dict(type="bool", default=False),
    api=API_OPTION,
)


def governance_problem(params: Dict[str, Any]) -> Optional[str]:
    problems = [names_problem(params["domain_names"])]
    problems += [allow_entry_problem(entry, f"allow[{index}]") for index, entry in enumerate(params["allow"])]
    problems += [decision_problem(item, f"decisions[{index}]") for index, item in enumerate(params["decisions"] or [])]
    return next((problem for problem in problems if problem), None)


def decision_problem(decision: Dict[str, Any], where: str) -> Optional[str]:
    """A decision that is not inbound_connection_policy's: read as it is, it would name a connection nobody can find,
    or count one as revoked."""
    source = decision.get("source")
    if not isinstance(decision.get("connection_id"), str) or not isinstance(source, dict):
        return f"{where} has no connection_id or source: give the decisions inbound_connection_policy returned"
    if not all(isinstance(source.get(key), str) for key in DOMAIN_KEYS):
        return f"{where}.source needs owner_id, domain_name and region: give the decisions inbound_connection_policy returned"
    statuses = isinstance(decision.get("previous_status"), str) and "status" in decision
    if not isinstance(decision.get("destination_domain_name"), str) or not statuses:
        return (
            f"{where} needs destination_domain_name, previous_status and status: give the decisions"
            " inbound_connection_policy returned"
        )
    return None


def listed_decisions(connections: Connections, rules: List[Rule], names: List[str]) -> List[Dict[str, Any]]:
    """The inbound connections to the domains, judged as inbound_connection_policy judges them, none acted on."""
    looking = PolicyRequest(allow=tuple(rules), allowed="leave", unlisted="leave")
    found = connections.list({"destination_domain_names": names}) if names else []
    return [decision_output(decide(connections, connection, looking)) for connection in found]


def govern_domain(
    reads: DomainReads, status: Dict[str, Any], principals: Optional[List[dict]], decisions: List[dict], judge: Judge
) -> Tuple[Dict[str, Any], Set[int]]:
    """One domain's entry, every grant judged (connections as their decisions say), and the entries that matched a
    grant of it."""
    entry = access_entry(reads, status, principals, [])
    rules, revoke = judge
    grants = [judged(found, entry["owner_id"], entry["domain_name"], rules, revoke) for found in entry["grants"]]
    matched = matched_entries(grants, entry["domain_name"], rules)
    grants += connection_grants(decisions, partition_of(entry["arn"]))
    return dict(entry, grants=grants), matched


def matched_by_requests(decisions: List[Dict[str, Any]], rules: List[Rule]) -> Set[int]:
    """The entries that match some connection or request of the run (first or not; an expired one too: it is named
    as expired, not as matching nothing)."""
    return {
        index
        for decision in decisions
        for index, rule in enumerate(rules)
        if rule.in_force().matches(decision["source"], decision["destination_domain_name"])
    }


def revoke_unallowed(reads: DomainReads, domain: Dict[str, Any], check_mode: bool) -> List[str]:
    """Revoke the VPC endpoint access judged revoked (not in check mode); a failure is kept on its grant, whose
    account can still reach the domain."""
    failures = []
    for found in domain["grants"]:
        if found["path"] != "vpc_endpoint" or found["outcome"] != "revoked" or check_mode:
            continue
        try:
            reads.revoke(domain["domain_name"], found["account_id"])
        except DomainAccessError as error:
            found.update(outcome="failed", failure=error.message)
            failures.append(error.message)
    return failures


def fix_policy(
    reads: DomainReads, domain: Dict[str, Any], rules: List[Rule], check_mode: bool
) -> Tuple[List[str], List[Dict[str, Any]]]:
    """Take every access policy grant nobody allowed out of the domain's policy: the new policy judged again first,
    then (not in check mode) the policy read again and, if it is still the one judged, one update. Removed grants are
    revoked; a policy that cannot be fixed, or that changed meanwhile, is a failure and nothing is sent."""
    removed = removed_grants(domain["grants"])
    if not removed:
        return [], []
    name, owner = domain["domain_name"], domain["owner_id"]
    document, stuck = fixed_document(domain["access_policy"], domain["grants"], owner)
    target = Domain(domain["arn"], owner, **_security(domain))
    after = [judged(grant, owner, name, rules, False) for grant in policy_grants(document, target)]
    left = [grant for grant in after if not grant["allowed"]]
    lost = _allowed_keys(domain["grants"]) != _allowed_keys(after)
    if stuck or left or lost:
        where = ", ".join(stuck) or ", ".join(str(grant["statement"]) for grant in left) or "an allowed grant"
        return [
            f"domain {name}: its access policy cannot be fixed without taking allowed access too (statement {where}):"
            " nothing was sent; take the grants nobody allowed out by hand"
        ], []
    failure = None if check_mode else _send_policy(reads, domain, document)
    for grant in removed:
        grant.update(outcome="failed", failure=failure) if failure else grant.update(outcome="revoked")
    if failure:
        return [failure], []
    fixed = {"domain_name": name, "before": domain["access_policy"], "after": document}
    fixed["removed"] = [grant["principal"] for grant in removed]
    domain["access_policy"] = document
    return [], [fixed]


def _allowed_keys(grants: List[Dict[str, Any]]) -> List[Tuple[str, str, str]]:
    """The allowed grants of an access policy, wherever they stand in it: a fix keeps every one."""
    return sorted(
        (str(grant["principal"]), str(grant["account_id"]), str(grant["scope"]))
        for grant in grants
        if grant["path"] == "access_policy" and grant["allowed"]
    )


def _security(domain: Dict[str, Any]) -> Dict[str, bool]:
    security = domain.get("fine_grained_access_control") or {}
    return {
        "fine_grained": bool(security.get("enabled")),
        "anonymous_auth": bool(security.get("anonymous_auth_enabled")),
    }


def _send_policy(reads: DomainReads, domain: Dict[str, Any], document: Dict[str, Any]) -> Optional[str]:
    """None once sent; why not, otherwise (the policy changed while the guard ran, or a call failed)."""
    name = domain["domain_name"]
    try:
        now = parse(reads.access_policy_now(name))
        if now != domain["access_policy"]:
            return (
                f"domain {name}: its access policy changed while the guard ran (read again just before the write, it"
                " is not the one judged): nothing was sent; run the guard again"
            )
        reads.update_access_policy(name, json.dumps(document))
    except DomainAccessError as error:
        return error.message
    except PolicyError as error:
        return f"domain {name}: its access policy changed while the guard ran, and {error}: nothing was sent"
    return None


def govern_access(
    reads: DomainReads, connections: Connections, params: Dict[str, Any], check_mode: bool
) -> Dict[str, Any]:
    statuses, principals = read_domains(reads, params["domain_names"])
    today = utc_today()
    rules = [Rule.from_entry(item, today) for item in params["allow"]]
    decisions = params["decisions"]
    if decisions is None:
        decisions = listed_decisions(connections, rules, [status["DomainName"] for status in statuses])
    by_domain: Dict[str, List[dict]] = {}
    for decision in decisions:
        by_domain.setdefault(str(decision.get("destination_domain_name")), []).append(decision)
    domains, failures, fixed, matched = [], [], [], matched_by_requests(decisions, rules)
    for status in statuses:
        name = status["DomainName"]
        judge = (rules, params["revoke"])
        domain, matching = govern_domain(reads, status, principals.get(name), by_domain.get(name, []), judge)
        failures += revoke_unallowed(reads, domain, check_mode)
        not_fixed, done = fix_policy(reads, domain, rules, check_mode) if params["fix_policy"] else ([], [])
        failures, fixed = failures + not_fixed, fixed + done
        domains.append(dict(domain, **reach(domain["grants"], domain["owner_id"])))
        matched |= matching
    unmatched = [index for index in range(len(rules)) if index not in matched]
    result = output(domains, failures, reads, params["allow"])
    return dict(with_fixed_policies(result, fixed), unmatched_allow=unmatched)


def output(
    domains: List[Dict[str, Any]], failures: List[str], reads: DomainReads, entries: List[Dict[str, Any]]
) -> Dict[str, Any]:
    """The module's return values; in check mode, what a real run would report."""
    revoked = [
        {"domain_name": domain["domain_name"], "account_id": found["account_id"]}
        for domain in domains
        for found in domain["grants"]
        if found["path"] == "vpc_endpoint" and found["outcome"] == "revoked"
    ]
    return {
        "changed": bool(revoked),
        "domains": domains,
        "findings": [
            finding(domain, found, reads.api, entries)
            for domain in domains
            for found in domain["grants"]
            if found["outcome"] == "finding"
        ],
        "revoked": revoked,
        "failures": failures,
        "diff": {"prepared": "".join(f"{line}\n" for line in access_plan_lines(domains))},
    }


def access_plan_lines(domains: List[Dict[str, Any]]) -> List[str]:
    """What a person decides on, one line per grant taken away (the --diff of the task), as a plan says it."""
    return [
        f"{_who_loses(found)} loses access to {domain['domain_name']} ({domain['region']}, {_by_path(found)})"
        for domain in domains
        for found in domain["grants"]
        if found["path"] in ("vpc_endpoint", "access_policy") and found["outcome"] == "revoked"
    ]


def _who_loses(found: Dict[str, Any]) -> str:
    if found["scope"] == "account":
        return f"account {found['account_id']}"
    return {"everyone": "everyone", "service": f"the service {found['principal']}"}.get(
        found["scope"], f"{found['scope']} {found['principal']}".replace("_", " ")
    )


def _by_path(found: Dict[str, Any]) -> str:
    if found["path"] == "vpc_endpoint":
        return "VPC endpoint access"
    return f"access policy statement {found['statement']}"


def with_fixed_policies(result: Dict[str, Any], fixed: List[Dict[str, Any]]) -> Dict[str, Any]:
    """The policies fixed (in check mode, that would be): changed, and with --diff each policy before and after."""
    result = dict(result, fixed_policies=fixed)
    result["changed"] = result["changed"] or bool(fixed)
    if fixed:
        policies = [
            {
                "before_header": f"{item['domain_name']}: access policy",
                "after_header": f"{item['domain_name']}: access policy, without {', '.join(item['removed'])}",
                "before": json.dumps(item["before"], indent=2) + "\n",
                "after": json.dumps(item["after"], indent=2) + "\n",
            }
            for item in fixed
        ]
        result["diff"] = [result["diff"]] + policies
    return result


def failure_message(result: Dict[str, Any], findings_fail: bool) -> Optional[str]:
    lines = [f"- could not revoke: {failure}" for failure in result["failures"]]
    if findings_fail:
        lines += [f"- {finding_line(item)}" for item in result["findings"]]
    if not lines:
        return None
    headline = (
        f"{len(result['findings'])} findings (access nobody allowed) and {len(result['failures'])} revocations that"
        " failed (VPC endpoint access, or an access policy fix); everything else was done (see domains):"
    )
    return "\n".join([headline, *lines])


def run_domain_access_policy() -> None:
    module = AnsibleAWSModule(argument_spec=SPEC, supports_check_mode=True)
    params = module.params
    problem = governance_problem(params)
    if problem:
        module.fail_json(msg=problem)
    api = APIS[params["api"]]
    client = connection_client(module, api)
    reads = DomainReads(client, api, module.region)
    try:
        result = govern_access(reads, Connections(client, api, module.region, "inbound"), params, module.check_mode)
    except (DomainAccessError, ConnectionApiError) as error:
        module.fail_json_aws_error(error)
    message = failure_message(result, params["findings"] == "fail")
    if message:
        module.fail_json(msg=message, **result)
    module.exit_json(**result)
