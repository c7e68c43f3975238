"""What the endpoint serves of a domain's access, for both APIs: DescribeDomains (DescribeElasticsearchDomains on the
legacy API), and the VPC endpoint access of VPC domains (list, authorize, revoke), as strict as AWS."""

from __future__ import annotations

import json
import re
import time
from typing import Tuple

from .endpoint import Endpoint
from .store import AwsError
from .store import Caller
from .store import HostedDomain
from .wire import Wire

# AWS answers more than this with "Please provide a maximum of 5 domain names to describe." (not in the model).
MAX_DESCRIBED = 5
# At most this many principals may create VPC endpoints to one domain.
MAX_PRINCIPALS = 10
# ListVpcEndpointAccess pages: small, so that a client that does not follow NextToken misses principals.
PRINCIPALS_PAGE = 3
DOMAIN_NAME = re.compile(r"[a-z][a-z0-9\-]{2,27}")
ACCOUNT = re.compile(r"[0-9]{12}")
# The only service AWS authorizes: OpenSearch UI (opensearch API only).
OPENSEARCH_UI = "application.opensearchservice.amazonaws.com"


def describe_domains(endpoint: Endpoint, wire: Wire, caller: Caller, body: dict, _params: dict) -> dict:
    """The caller's domains named, in the caller's region; names of no domain are left out, as AWS leaves them."""
    names = body.get("DomainNames")
    if not isinstance(names, list) or not names:
        raise AwsError("ValidationException", "DomainNames must name at least one domain.")
    if len(names) > MAX_DESCRIBED:
        raise AwsError("ValidationException", f"Please provide a maximum of {MAX_DESCRIBED} domain names to describe.")
    for name in names:
        if not isinstance(name, str) or not DOMAIN_NAME.fullmatch(name):
            raise AwsError("ValidationException", f"{name!r} is not a valid domain name.")
    mine = {domain.domain_name: domain for domain in endpoint.store.hosted_for(caller)}
    return {"DomainStatusList": [domain_status(wire, mine[name]) for name in names if name in mine]}


def domain_status(wire: Wire, domain: HostedDomain) -> dict:
    """A domain as the API describes it: what decides who can reach it, and the members the model requires."""
    status = {
        "DomainId": f"{domain.owner_id}/{domain.domain_name}",
        "DomainName": domain.domain_name,
        "ARN": domain.arn,
        "Created": True,
        "Deleted": False,
        "Processing": False,
        "AccessPolicies": domain.access_policy,
        "AdvancedSecurityOptions": {
            "Enabled": domain.fine_grained,
            "InternalUserDatabaseEnabled": domain.internal_user_database,
            "AnonymousAuthEnabled": domain.anonymous_auth,
        },
    }
    if domain.vpc_id:
        status["Endpoints"] = {"vpc": f"vpc-{domain.domain_name}-local.{domain.region}.es.amazonaws.com"}
        status["VPCOptions"] = {
            "VPCId": domain.vpc_id,
            "SubnetIds": ["subnet-0local"],
            "SecurityGroupIds": ["sg-0local"],
        }
    else:
        status["Endpoint"] = f"search-{domain.domain_name}-local.{domain.region}.es.amazonaws.com"
    if wire.opensearch_only:
        status.update(EngineVersion="OpenSearch_2.13", ClusterConfig={"InstanceCount": 1})
    else:
        status.update(ElasticsearchVersion="7.10", ElasticsearchClusterConfig={"InstanceCount": 1})
    return status


def _vpc_domain(endpoint: Endpoint, caller: Caller, name: str) -> HostedDomain:
    domain = _domain(endpoint, caller, name)
    if not domain.vpc_id:
        raise AwsError("DisabledOperationException", f"Public domains aren't supported: {name} is not in a VPC.")
    return domain


def list_vpc_endpoint_access(endpoint: Endpoint, _wire: Wire, caller: Caller, _body: dict, params: dict) -> dict:
    domain = _vpc_domain(endpoint, caller, params["DomainName"])
    start = _offset(params.get("nextToken"))
    principals = domain.vpc_access[start : start + PRINCIPALS_PAGE]
    more = start + PRINCIPALS_PAGE < len(domain.vpc_access)
    # The model requires NextToken in every answer: the last page's is empty.
    return {
        "AuthorizedPrincipalList": [{"PrincipalType": kind, "Principal": who} for kind, who in principals],
        "NextToken": f"principals-{start + PRINCIPALS_PAGE}" if more else "",
    }


def _offset(token: object) -> int:
    if token in (None, ""):
        return 0
    found = re.fullmatch(r"principals-([0-9]+)", str(token))
    if not found:
        raise AwsError("ValidationException", "The nextToken is not valid.")
    return int(found.group(1))


def _principal(wire: Wire, body: dict) -> Tuple[str, str]:
    """(AWS_ACCOUNT, id) or (AWS_SERVICE, name) from Account or Service (the legacy API takes Account only)."""
    account, service = body.get("Account"), body.get("Service")
    if (account is None) == (service is None) or (service is not None and not wire.opensearch_only):
        raise AwsError("ValidationException", "Give either an Account or a Service.")
    if account is not None and not ACCOUNT.fullmatch(str(account)):
        raise AwsError("ValidationException", f"{account!r} is not a 12-digit AWS account ID.")
    if service is not None and service != OPENSEARCH_UI:
        raise AwsError("ValidationException", f"Service must be {OPENSEARCH_UI}.")
    return ("AWS_ACCOUNT", str(account)) if account is not None else ("AWS_SERVICE", service)


def authorize_vpc_endpoint_access(endpoint: Endpoint, wire: Wire, caller: Caller, body: dict, params: dict) -> dict:
    domain = _vpc_domain(endpoint, caller, params["DomainName"])
    principal = _principal(wire, body)
    with endpoint.store.lock:
        if principal not in domain.vpc_access:
            if len(domain.vpc_access) >= MAX_PRINCIPALS:
                raise AwsError("LimitExceededException", f"At most {MAX_PRINCIPALS} principals may be authorized.")
            domain.vpc_access.append(principal)
    return {"AuthorizedPrincipal": {"PrincipalType": principal[0], "Principal": principal[1]}}


def revoke_vpc_endpoint_access(endpoint: Endpoint, wire: Wire, caller: Caller, body: dict, params: dict) -> dict:
    domain = _vpc_domain(endpoint, caller, params["DomainName"])
    principal = _principal(wire, body)
    with endpoint.store.lock:
        if principal not in domain.vpc_access:
            raise AwsError("ResourceNotFoundException", f"{principal[1]} is not authorized on {domain.domain_name}.")
        domain.vpc_access.remove(principal)
    return {}


def _domain(endpoint: Endpoint, caller: Caller, name: str) -> HostedDomain:
    found = [domain for domain in endpoint.store.hosted_for(caller) if domain.domain_name == name]
    if not found:
        raise AwsError("ResourceNotFoundException", f"Domain not found: {name}")
    return found[0]


def _config(domain: HostedDomain) -> dict:
    """The domain's configuration, as much of it as the model requires around its access policy."""
    status = {"CreationDate": 1700000000.0, "UpdateDate": domain.policy_updated, "State": "Active"}
    status["UpdateVersion"] = domain.policy_version
    return {"DomainConfig": {"AccessPolicies": {"Options": domain.access_policy, "Status": status}}}


def describe_domain_config(endpoint: Endpoint, _wire: Wire, caller: Caller, _body: dict, params: dict) -> dict:
    with endpoint.store.lock:
        return _config(_domain(endpoint, caller, params["DomainName"]))


def update_domain_config(endpoint: Endpoint, _wire: Wire, caller: Caller, body: dict, params: dict) -> dict:
    """The access policy only (what the collection changes): refused when it is no JSON policy, as AWS refuses it."""
    if set(body) - {"AccessPolicies"}:
        raise AwsError("ValidationException", "The local endpoint changes access policies only.")
    text = body.get("AccessPolicies")
    try:
        document = json.loads(text) if text else {}
    except ValueError:
        raise AwsError("ValidationException", "The access policy is not valid JSON.") from None
    if text and (not isinstance(document, dict) or not isinstance(document.get("Statement"), (list, dict))):
        raise AwsError("ValidationException", "The access policy has no Statement.")
    with endpoint.store.lock:
        domain = _domain(endpoint, caller, params["DomainName"])
        domain.access_policy = text or ""
        domain.policy_version += 1
        domain.policy_updated = time.time()
        return _config(domain)
