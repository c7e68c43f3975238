"""The test-only control interface under /_control/: seed, faults, call log, reset, settings."""

from __future__ import annotations

import json
from typing import Optional

from . import regions
from .endpoint import FAULT_KINDS
from .endpoint import Endpoint
from .endpoint import Fault
from .store import Connection
from .store import Domain
from .store import HostedDomain


def _domain(spec: dict, default_owner: str, default_name: str) -> Domain:
    return Domain(
        owner_id=str(spec.get("owner_id", default_owner)),
        domain_name=spec.get("domain_name", default_name),
        region=spec.get("region", "us-east-1"),
    )


def seed_connection(endpoint: Endpoint, spec: dict) -> Connection:
    store = endpoint.store
    connection = Connection(
        connection_id=spec.get("connection_id") or store.new_id(),
        source=_domain(spec.get("source", {}), "222222222222", "partner-logs"),
        destination=_domain(spec.get("destination", {}), "111111111111", "my-logs"),
        status=spec.get("status", "PENDING_ACCEPTANCE"),
        status_since=store.clock(),
        created_with=spec.get("created_with", "es"),
        alias=spec.get("alias", "seeded"),
        mode=spec.get("mode", "DIRECT"),
    )
    return store.add(connection)


def seed_connections(endpoint: Endpoint, spec: dict) -> dict:
    """Seed one connection, or count of them (with generated ids)."""
    count = int(spec.pop("count", 1))
    ids = [seed_connection(endpoint, spec).connection_id for number in range(count)]
    return {"connection_id": ids[0], "connection_ids": ids}


def add_domain(endpoint: Endpoint, spec: dict) -> dict:
    """A domain that outbound requests can reach; a request to any other fails validation."""
    domain = _domain(spec, "222222222222", "partner-logs")
    with endpoint.store.lock:
        endpoint.store.domains.append(domain)
    return {"domain": vars(domain)}


def add_hosted_domains(endpoint: Endpoint, spec: dict) -> dict:
    """Domains an account runs in a region (for ListDomainNames and ListTags): names, or a count of generated ones."""
    names = spec.get("domain_names") or [
        f"{spec.get('prefix', 'logs')}-{n:02d}" for n in range(int(spec.get("count", 1)))
    ]
    domains = [
        HostedDomain(
            owner_id=str(spec.get("owner_id", "111111111111")),
            region=spec.get("region", "us-east-1"),
            domain_name=name,
            engine_type=spec.get("engine_type", "OpenSearch"),
            tags=dict(spec.get("tags", {})),
            **access_settings(spec),
        )
        for name in names
    ]
    endpoint.store.add_hosted(domains)
    return {"domains": [vars(domain) for domain in domains]}


def access_settings(spec: dict) -> dict:
    """A domain's access: access_policy (a policy document, or its JSON text), vpc_id (none: public),
    fine_grained_access_control ({enabled, internal_user_database_enabled, anonymous_auth_enabled}), and
    vpc_endpoint_access (accounts, and services such as application.opensearchservice.amazonaws.com)."""
    policy = spec.get("access_policy", "")
    security = spec.get("fine_grained_access_control") or {}
    principals = [str(who) for who in spec.get("vpc_endpoint_access", [])]
    return {
        "access_policy": policy if isinstance(policy, str) else json.dumps(policy),
        "vpc_id": spec.get("vpc_id"),
        "fine_grained": bool(security.get("enabled", False)),
        "internal_user_database": bool(security.get("internal_user_database_enabled", False)),
        "anonymous_auth": bool(security.get("anonymous_auth_enabled", False)),
        "vpc_access": [("AWS_SERVICE" if "." in who else "AWS_ACCOUNT", who) for who in principals],
    }


def _policy_text(policy: object) -> Optional[str]:
    return None if policy is None else policy if isinstance(policy, str) else json.dumps(policy)


def add_account(endpoint: Endpoint, spec: dict) -> dict:
    """An account the endpoint knows, with a long-term key pair (the same each time), whose roles can be assumed,
    the opt-in regions it has enabled (opted_in_regions), and its roles (path and name; any role if not given)."""
    key = endpoint.account_keys(str(spec["account_id"]))
    endpoint.enable_regions(key.account, regions.opted_in_of(spec))
    if "roles" in spec:
        endpoint.add_roles(key.account, set(spec["roles"]))
    return {"account_id": key.account, "access_key": key.access_key, "secret_key": key.secret_key}


def list_keys(endpoint: Endpoint) -> dict:
    """Every key the endpoint knows, secrets included: for tests that look for them in output."""
    with endpoint.lock:
        return {"keys": [vars(key) for key in endpoint.keys.values()]}


def describe_all(endpoint: Endpoint) -> dict:
    with endpoint.store.lock:
        return {
            "connections": [
                {"connection_id": c.connection_id, "status": c.status, "created_with": c.created_with}
                for c in endpoint.store.everything()
            ]
        }


def add_fault(endpoint: Endpoint, spec: dict) -> dict:
    if spec.get("kind", "error") not in FAULT_KINDS:
        raise ValueError(f"kind must be one of {', '.join(FAULT_KINDS)}")
    fault = Fault(
        operation=spec["operation"],
        count=int(spec.get("count", 1)),
        code=spec.get("code", "ThrottlingException"),
        message=spec.get("message", "Injected by the local endpoint."),
        set_status=spec.get("set_status"),
        set_access_policy=_policy_text(spec.get("set_access_policy")),
        kind=spec.get("kind", "error"),
        http_status=spec.get("http_status"),
        delay=float(spec.get("delay", 0)),
        forget=bool(spec.get("forget", False)),
        role_arn=spec.get("role_arn"),
    )
    with endpoint.lock:
        endpoint.faults.append(fault)
    return {"fault": vars(fault)}


def read_calls(endpoint: Endpoint) -> dict:
    with endpoint.lock:
        return {"calls": list(endpoint.calls)}


def take_calls(endpoint: Endpoint) -> dict:
    """The calls logged so far, which the log then forgets."""
    with endpoint.lock:
        taken = list(endpoint.calls)
        endpoint.calls.clear()
    return {"calls": taken}


def change_settings(endpoint: Endpoint, spec: dict) -> dict:
    for name in ("session_seconds", "latency_seconds"):
        if name in spec:
            setattr(endpoint, name, float(spec[name]))
    store = endpoint.store
    for name, kind in (("transition_seconds", float), ("stale_seconds", float), ("stale_reads", int)):
        if name in spec:
            setattr(store, name, kind(spec[name]))
    return {name: getattr(store, name) for name in ("transition_seconds", "stale_seconds", "stale_reads")}


def read_stats(endpoint: Endpoint) -> dict:
    """What the endpoint served that a test may need to prove it met: lagging reads, and faults not yet played."""
    with endpoint.lock:
        faults_left = sum(fault.count for fault in endpoint.faults)
    return {"stale_served": endpoint.store.stale_served, "faults_left": faults_left}


def enable_security_hub(endpoint: Endpoint, spec: dict) -> dict:
    """AWS Security Hub enabled (enabled: true, the default) or not in an account's region: where it is not,
    BatchImportFindings and GetFindings answer InvalidAccessException, as AWS does."""
    where = (str(spec["account_id"]), str(spec["region"]))
    with endpoint.store.lock:
        if spec.get("enabled", True):
            endpoint.store.hubs.add(where)
        else:
            endpoint.store.hubs.discard(where)
        return {"findings": list(endpoint.store.hub_findings.get(where, {}).values())}


def reset(endpoint: Endpoint) -> dict:
    endpoint.reset()
    return {"reset": True}


ROUTES = {
    ("GET", "/_control/connections"): lambda endpoint, _body: describe_all(endpoint),
    ("POST", "/_control/connections"): seed_connections,
    ("POST", "/_control/domains"): add_domain,
    ("POST", "/_control/hosted_domains"): add_hosted_domains,
    ("POST", "/_control/accounts"): add_account,
    ("GET", "/_control/keys"): lambda endpoint, _body: list_keys(endpoint),
    ("POST", "/_control/faults"): add_fault,
    ("GET", "/_control/calls"): lambda endpoint, _body: read_calls(endpoint),
    ("POST", "/_control/calls/take"): lambda endpoint, _body: take_calls(endpoint),
    ("POST", "/_control/settings"): change_settings,
    ("GET", "/_control/stats"): lambda endpoint, _body: read_stats(endpoint),
    ("POST", "/_control/reset"): lambda endpoint, _body: reset(endpoint),
    ("POST", "/_control/security_hub"): enable_security_hub,
}
