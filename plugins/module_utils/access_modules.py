# -*- coding: utf-8 -*-

# Copyright: Contributors to the aws_search.cross_cluster project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The domain_access_info and vpc_endpoint_access modules: their options checked before any call, their reads and
writes, and what they return."""

from __future__ import annotations

from typing import Any
from typing import Dict
from typing import List
from typing import Optional
from typing import Tuple

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.aws_search.cross_cluster.plugins.module_utils.access_policy import PolicyError
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.api_calls import Connections
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.api_calls import connection_client
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.api_differences import APIS
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.api_differences import scope
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.aws_failures import ConnectionApiError
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.domain_access import access_plan
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.domain_access import domain_access
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.domain_access import split_principals
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.domain_access import vpc_id_of
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.domain_reads import DomainAccessError
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.domain_reads import DomainReads
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.input_checks import domain_name_problem
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.input_checks import owner_id_problem
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.module_runner import API_OPTION

INFO_SPEC = dict(domain_names=dict(type="list", elements="str"), api=API_OPTION)
VPC_SPEC = dict(
    domain_name=dict(type="str", required=True),
    accounts=dict(type="list", elements="str", required=True),
    state=dict(type="str", default="present", choices=["present", "absent"]),
    purge_accounts=dict(type="bool", default=False),
    api=API_OPTION,
)


def names_problem(names: Optional[List[str]]) -> Optional[str]:
    if names is not None and not names:
        return "domain_names must name at least one domain; leave it out for every domain of the region"
    problems = (domain_name_problem(name, f"domain_names[{index}]") for index, name in enumerate(names or []))
    return next((problem for problem in problems if problem), None)


def read_domains(reads: DomainReads, names: Optional[List[str]]) -> Tuple[List[dict], Dict[str, List[dict]]]:
    """Every domain named (all of the region's without names), described 5 a call, and the VPC endpoint access of
    the VPC domains among them."""
    statuses = reads.describe(sorted(set(names)) if names else reads.names())
    return statuses, reads.vpc_access_of([status["DomainName"] for status in statuses if vpc_id_of(status)])


def access_entry(reads: DomainReads, status: dict, principals: Optional[List[dict]], inbound: List[dict]) -> dict:
    """domain_access() of one domain; DomainAccessError when its access policy is not a policy document."""
    try:
        return domain_access(status, reads.region, principals, inbound, reads.api)
    except PolicyError as error:
        where = scope(reads.api, reads.region)
        raise DomainAccessError(
            message=f"Cannot read who can reach domain {status['DomainName']} {where}: {error}"
        ) from error


def read_access(reads: DomainReads, connections: Connections, names: Optional[List[str]]) -> List[Dict[str, Any]]:
    """Every domain named, its VPC endpoint access, and one inbound listing (of the connections to those domains when
    names are given)."""
    statuses, principals = read_domains(reads, names)
    inbound: Dict[str, List[dict]] = {}
    filters = {"destination_domain_names": sorted(set(names))} if names else None
    for connection in connections.list(filters) if statuses else []:
        destination = connections.api.domain_of(connection, "destination")["domain_name"]
        inbound.setdefault(str(destination), []).append(connection)
    return [
        access_entry(reads, status, principals.get(status["DomainName"]), inbound.get(status["DomainName"], []))
        for status in statuses
    ]


def run_domain_access_info() -> None:
    module = AnsibleAWSModule(argument_spec=INFO_SPEC, supports_check_mode=True)
    problem = names_problem(module.params["domain_names"])
    if problem:
        module.fail_json(msg=problem)
    api = APIS[module.params["api"]]
    client = connection_client(module, api)
    reads = DomainReads(client, api, module.region)
    try:
        domains = read_access(reads, Connections(client, api, module.region, "inbound"), module.params["domain_names"])
    except (DomainAccessError, ConnectionApiError) as error:
        module.fail_json_aws_error(error)
    module.exit_json(changed=False, domains=domains)


def vpc_problem(params: Dict[str, Any]) -> Optional[str]:
    accounts = params["accounts"]
    if params["state"] == "present" and not accounts and not params["purge_accounts"]:
        return "accounts must name at least one account (with purge_accounts=true, [] revokes every account)"
    problems = [domain_name_problem(params["domain_name"], "domain_name")]
    problems += [owner_id_problem(account, f"accounts[{index}]") for index, account in enumerate(accounts)]
    if params["purge_accounts"] and params["state"] == "absent":
        problems.append("purge_accounts goes with state=present: state=absent revokes only the accounts named")
    return next((problem for problem in problems if problem), None)


def run_vpc_endpoint_access() -> None:
    module = AnsibleAWSModule(argument_spec=VPC_SPEC, supports_check_mode=True)
    params = module.params
    problem = vpc_problem(params)
    if problem:
        module.fail_json(msg=problem)
    api = APIS[params["api"]]
    reads = DomainReads(connection_client(module, api), api, module.region)
    try:
        result = ensure_vpc_access(reads, params, module.check_mode)
    except DomainAccessError as error:
        module.fail_json_aws_error(error)
    except ValueError as error:
        module.fail_json(msg=str(error))
    module.exit_json(**result)


def ensure_vpc_access(reads: DomainReads, params: Dict[str, Any], check_mode: bool) -> Dict[str, Any]:
    """Read the domain and its VPC endpoint access, then authorize and revoke only the difference (not in check
    mode); ValueError for a change that cannot be made, before any write."""
    name = params["domain_name"]
    [status] = reads.describe([name], "domain_name")
    if not vpc_id_of(status):
        raise ValueError(
            f"VPC endpoint access needs a VPC domain: {name} is a public domain {scope(reads.api, reads.region)},"
            " which AWS does not let another account reach through a VPC endpoint; nothing was changed"
        )
    before, services = split_principals(reads.vpc_access(name))
    added, removed, problem = access_plan(
        before, services, params["accounts"], params["state"], params["purge_accounts"]
    )
    if problem:
        raise ValueError(f"{name}: {problem}; nothing was changed")
    if not check_mode:
        # An account someone revoked meanwhile counts as revoked: that is where this run leads.
        for account in removed:
            reads.revoke(name, account)
        for account in added:
            reads.authorize(name, account)
    after = sorted((set(before) - set(removed)) | set(added))
    return {
        "changed": bool(added or removed),
        "accounts": after,
        "services": services,
        "added": added,
        "removed": removed,
        "diff": {"before": {"accounts": before}, "after": {"accounts": after}},
    }
