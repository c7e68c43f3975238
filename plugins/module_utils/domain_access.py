# -*- coding: utf-8 -*-

# Copyright: Contributors to the aws_search.cross_cluster project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Who can reach one domain, by every path AWS shows, from what was read of it (pure functions over the answers):
its access policy, VPC endpoint access, anonymous access under fine-grained access control, and its accepted
inbound cross-cluster connections. And the plan of a change to its VPC endpoint access."""

from __future__ import annotations

from typing import Any
from typing import Dict
from typing import List
from typing import Optional
from typing import Tuple

from ansible_collections.aws_search.cross_cluster.plugins.module_utils.access_policy import ACCOUNT_ID
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.access_policy import OPEN_SCOPES
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.access_policy import Domain
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.access_policy import account_of
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.access_policy import grant
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.access_policy import parse
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.access_policy import policy_grants
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.api_differences import ConnectionApi
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.api_differences import connection_status
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.domain_discovery import account_of_arn
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.domain_discovery import domain_arn
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.domain_discovery import partition_of
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.lifecycle import ACCEPTED_STATUSES

# AWS lets at most this many principals (accounts and services) create VPC endpoints to one domain.
MAX_VPC_PRINCIPALS = 10
ACCOUNT = "AWS_ACCOUNT"
SERVICE = "AWS_SERVICE"


def vpc_id_of(status: Dict[str, Any]) -> Optional[str]:
    """The domain's VPC; None for a public domain."""
    return (status.get("VPCOptions") or {}).get("VPCId") or None


def owner_of(status: Dict[str, Any]) -> str:
    """The domain's account, from its ARN (arn:PARTITION:es:REGION:ACCOUNT:domain/NAME)."""
    return account_of_arn(status.get("ARN", ""))


def security_of(status: Dict[str, Any]) -> Dict[str, bool]:
    options = status.get("AdvancedSecurityOptions") or {}
    return {
        "enabled": bool(options.get("Enabled")),
        "anonymous_auth_enabled": bool(options.get("AnonymousAuthEnabled")),
        "internal_user_database_enabled": bool(options.get("InternalUserDatabaseEnabled")),
    }


def domain_access(
    status: Dict[str, Any], region: str, principals: Optional[List[dict]], inbound: List[dict], api: ConnectionApi
) -> Dict[str, Any]:
    """One domain's entry: what decides who can reach it, every grant, the other accounts, and whether it is open to
    everyone. principals: its VPC endpoint access (None for a public domain); inbound: its inbound connections.
    PolicyError when its access policy is not a policy document."""
    security = security_of(status)
    target = Domain(status["ARN"], owner_of(status), security["enabled"], security["anonymous_auth_enabled"])
    document = parse(status.get("AccessPolicies"))
    grants = policy_grants(document, target)
    grants += vpc_endpoint_grants(principals or [])
    grants += anonymous_grants(security)
    grants += connection_grants(inbound, api, partition_of(target.arn))
    return {
        "domain_name": status["DomainName"],
        "owner_id": target.owner_id,
        "region": region,
        "arn": target.arn,
        "endpoint_type": "vpc" if vpc_id_of(status) else "public",
        "vpc_id": vpc_id_of(status),
        "fine_grained_access_control": security,
        "access_policy": document,
        "grants": grants,
        "outside_accounts": outside_accounts(grants, target.owner_id),
        "open_to_everyone": any(found["scope"] in OPEN_SCOPES for found in grants),
        "reachable_from_outside": reachable_from_outside(grants, target.owner_id),
    }


def principal_kind(principal: Dict[str, Any]) -> str:
    """AWS_ACCOUNT, AWS_SERVICE, or unknown. The model says AWS_ACCOUNT and AWS_SERVICE; AWS has been seen to answer
    "AWS Account" and "AWS Service" (Terraform's provider reads both); a 12-digit principal is an account whatever
    its type says, and so is an IAM ARN of one account."""
    kind = str(principal.get("PrincipalType", "")).upper().replace(" ", "_")
    if principal_account(principal) or kind == ACCOUNT:
        return ACCOUNT
    return kind if kind == SERVICE else "unknown"


def principal_account(principal: Dict[str, Any]) -> Optional[str]:
    """The account of a VPC endpoint principal given as 12 digits or as an IAM ARN (arn:aws:iam::ACCOUNT:root)."""
    name = str(principal.get("Principal", ""))
    return name if ACCOUNT_ID.fullmatch(name) else account_of(name)


def vpc_endpoint_grants(principals: List[dict]) -> List[Dict[str, Any]]:
    """An account, or a service (OpenSearch UI), may create an endpoint into the domain's VPC; a principal of a kind
    not understood counts as open (conditional)."""
    scopes = {ACCOUNT: "account", SERVICE: "service"}
    grants = []
    for principal in principals:
        name, kind = str(principal.get("Principal")), principal_kind(principal)
        found = grant(name, principal_account(principal), scopes.get(kind, "conditional"))
        grants.append(dict(found, path="vpc_endpoint"))
    return grants


def anonymous_grants(security: Dict[str, bool]) -> List[Dict[str, Any]]:
    """Fine-grained access control with anonymous auth on: anyone who reaches the endpoint, without signing in."""
    if not (security["enabled"] and security["anonymous_auth_enabled"]):
        return []
    return [dict(grant("anonymous", None, "everyone"), path="anonymous")]


def connection_grants(inbound: List[dict], api: ConnectionApi, partition: str = "aws") -> List[Dict[str, Any]]:
    """Each accepted inbound connection lets its source domain search this one."""
    grants = []
    for connection in inbound:
        if connection_status(connection) not in ACCEPTED_STATUSES:
            continue
        source = api.domain_of(connection, "source")
        found = grant(
            source_arn(source, partition), source["owner_id"], "account", connection_id=connection.get(api.id_key)
        )
        grants.append(dict(found, path="connection"))
    return grants


def source_arn(source: Dict[str, Any], partition: str = "aws") -> str:
    """The ARN of a connection's source domain (owner_id, domain_name, region)."""
    return domain_arn(partition, str(source.get("region")), str(source.get("owner_id")), str(source.get("domain_name")))


def outside_accounts(grants: List[Dict[str, Any]], owner_id: str) -> List[str]:
    return sorted({found["account_id"] for found in grants if found["account_id"] and found["account_id"] != owner_id})


def reachable_from_outside(grants: List[Dict[str, Any]], owner_id: str) -> bool:
    """Whether any grant can let in anyone but the domain's own account: another account, an organization, addresses,
    a service, every authenticated user, everyone, or what the analysis does not understand."""
    return any(found["scope"] != "account" or found["account_id"] != owner_id for found in grants)


def split_principals(principals: List[dict]) -> Tuple[List[str], List[str]]:
    """The accounts and the other principals (services) of a VPC endpoint access listing, each sorted."""
    accounts = sorted(str(p.get("Principal")) for p in principals if principal_kind(p) == ACCOUNT)
    services = sorted(str(p.get("Principal")) for p in principals if principal_kind(p) != ACCOUNT)
    return accounts, services


def access_plan(
    current: List[str], services: List[str], accounts: List[str], state: str, purge: bool
) -> Tuple[List[str], List[str], Optional[str]]:
    """The accounts to authorize and to revoke so that accounts have (present) or lack (absent) VPC endpoint access,
    every other account losing it with purge; and the problem when AWS's limit would be passed."""
    wanted, have = set(accounts), set(current)
    if state == "absent":
        return [], sorted(wanted & have), None
    added = sorted(wanted - have)
    removed = sorted(have - wanted) if purge else []
    after = len(have) - len(removed) + len(added) + len(services)
    if added and after > MAX_VPC_PRINCIPALS:
        return (
            added,
            removed,
            (
                f"authorizing {', '.join(added)} would give {after} principals VPC endpoint access (services included),"
                f" past AWS's limit of {MAX_VPC_PRINCIPALS} a domain; revoke some (state=absent, or purge_accounts=true)"
            ),
        )
    return added, removed, None
