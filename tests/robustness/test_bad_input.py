"""Bad input across all modules: each fails before any API call (the endpoint's call log stays empty), with a
message that names the option."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from .harness import credentials
from .harness import run_module
from .harness import take_calls

A = {"domain_name": "a-logs"}
B = {"domain_name": "b-logs", "owner_id": "222222222222"}
PRESENT = {"local_domain": A, "remote_domain": B, "connection_alias": "partner"}
# (module, arguments, a part of the message that names the option)
CASES = [
    ("inbound_connection", {"connection_id": "  ", "state": "rejected"}, "connection_id must not be empty"),
    (
        "inbound_connection",
        {"connection_id": "Bad_Id_Here", "state": "rejected", "api": "opensearch"},
        "connection_id must start with a lowercase letter",
    ),
    (
        "inbound_connection",
        {"connection_id": "cc-short", "state": "rejected", "api": "opensearch"},
        "connection_id must be 10 to 256 characters",
    ),
    ("inbound_connection", {"connection_id": "cc-0123456789", "state": "refused"}, "state"),
    ("inbound_connection", {"state": "rejected"}, "connection_id"),
    (
        "inbound_connection",
        {"connection_id": "cc-0123456789", "state": "rejected", "wait_timeout": 0},
        "wait_timeout must be at least 1",
    ),
    (
        "inbound_connection",
        {"connection_id": "cc-0123456789", "state": "rejected", "wait_timeout": "soon"},
        "wait_timeout",
    ),
    ("inbound_connection", {"connection_id": "cc-0123456789", "state": "rejected", "wait": "perhaps"}, "wait"),
    ("inbound_connection", {"connection_id": "cc-0123456789", "state": "rejected", "api": "elastic"}, "api"),
    ("inbound_connection", {"connection_id": "cc-0123456789", "state": "rejected", "colour": "red"}, "colour"),
    (
        "outbound_connection",
        dict(PRESENT, connection_alias="an-alias-longer-than-twenty"),
        "connection_alias must be 1 to 20 characters",
    ),
    (
        "outbound_connection",
        dict(PRESENT, connection_alias="9lives", api="opensearch"),
        "connection_alias must start with a letter",
    ),
    (
        "outbound_connection",
        dict(PRESENT, connection_alias="x", api="opensearch"),
        "connection_alias must be 2 to 100 characters",
    ),
    ("outbound_connection", dict(PRESENT, connection_mode="DIRECT"), "connection_mode need api=opensearch"),
    ("outbound_connection", dict(PRESENT, skip_unavailable=True), "skip_unavailable need api=opensearch"),
    ("outbound_connection", dict(PRESENT, connection_mode="TUNNEL", api="opensearch"), "connection_mode"),
    (
        "outbound_connection",
        dict(PRESENT, local_domain={"domain_name": "A-Logs"}),
        "local_domain.domain_name must be 3 to 28",
    ),
    (
        "outbound_connection",
        dict(PRESENT, remote_domain={"domain_name": "b-logs", "owner_id": "12345"}),
        "remote_domain.owner_id must be a 12-digit",
    ),
    (
        "outbound_connection",
        dict(PRESENT, remote_domain={"domain_name": "ab"}),
        "remote_domain.domain_name must be 3 to 28",
    ),
    ("outbound_connection", dict(PRESENT, remote_domain={"owner_id": "222222222222"}), "domain_name"),
    ("outbound_connection", {"state": "absent"}, "state=absent needs connection_id, or local_domain"),
    ("outbound_connection", {"local_domain": A}, "remote_domain"),
    ("outbound_connection", dict(PRESENT, wait_timeout=-5), "wait_timeout must be at least 1"),
    (
        "outbound_connection",
        {"state": "absent", "connection_id": "Not-An-Id-Here", "api": "opensearch"},
        "connection_id must start with a lowercase letter",
    ),
    ("inbound_connection_policy", {"allow": [{"domain_name": "x-logs"}]}, "allow[0] needs one of owner_id, owner_ids"),
    (
        "inbound_connection_policy",
        {"allow": [{"owner_id": "222222222222"}, {"owner_id": "12"}]},
        "allow[1].owner_id must be a 12-digit",
    ),
    (
        "inbound_connection_policy",
        {"allow": [{"owner_id": "222222222222", "owner": "x"}]},
        "allow[0] has the unknown key 'owner'",
    ),
    (
        "inbound_connection_policy",
        {"allow": [{"owner_id": "222222222222", "domain_name": "[abc"}]},
        "allow[0].domain_name must be a shell-style pattern",
    ),
    (
        "inbound_connection_policy",
        {"allow": [{"owner_id": "222222222222", "region": "EU-*"}]},
        "allow[0].region must be a shell-style pattern",
    ),
    ("inbound_connection_policy", {"allow": [], "max_concurrency": 0}, "max_concurrency must be 1 to 16"),
    ("inbound_connection_policy", {"allow": [], "max_concurrency": 17}, "max_concurrency must be 1 to 16"),
    ("inbound_connection_policy", {"allow": [], "allowed": "acept"}, "allowed"),
    ("inbound_connection_policy", {"allow": [], "unlisted": "rejected"}, "unlisted"),
    (
        "inbound_connection_policy",
        {"allow": [], "destination_domain_names": ["My_Logs"]},
        "destination_domain_names[0] must be 3 to 28",
    ),
    ("inbound_connection_policy", {}, "allow"),
    ("inbound_connection_info", {"statuses": "PENDING", "api": "elastic"}, "api"),
    ("outbound_connection_info", {"connection_ids": ["x"], "colour": "red"}, "colour"),
    # A typo in a filter would match nothing and read as "no connections".
    ("inbound_connection_info", {"statuses": ["NOPE"]}, "statuses[0] must be a inbound status of the es API"),
    ("inbound_connection_info", {"source_owner_ids": ["abc"]}, "source_owner_ids[0] must be a 12-digit"),
    ("outbound_connection_info", {"statuses": ["PENDING"]}, "statuses[0] must be a outbound status"),
    ("outbound_connection_info", {"destination_owner_ids": ["1"]}, "destination_owner_ids[0] must be a 12-digit"),
    (
        "inbound_connection_info",
        {"statuses": ["PROVISIONING"], "api": "es"},
        "statuses[0] must be a inbound status of the es API",
    ),
    ("inbound_connection_info", {"source_regions": ["europe"]}, "source_regions[0] must be an AWS region"),
    ("inbound_connection_info", {"destination_domain_names": ["Shared"]}, "destination_domain_names[0] must be"),
    (
        "outbound_connection_info",
        {"connection_ids": ["cc-short"], "api": "opensearch"},
        "connection_ids[0] must be 10 to 256 characters",
    ),
    ("outbound_connection_info", {"source_domain_names": ["x"]}, "source_domain_names[0] must be 3 to 28"),
]


def run_case(url: str, case: tuple):
    module, args, names = case
    return run_module(module, dict(args, **credentials(url)))


def test_at_least_thirty_bad_inputs_fail_before_any_call_naming_the_option(url):
    assert len(CASES) >= 30
    with ThreadPoolExecutor(max_workers=4) as pool:
        runs = list(pool.map(lambda case: run_case(url, case), CASES))
    for (module, args, names), run in zip(CASES, runs):
        assert run.failed and names in run.msg, f"{module} {args}: {run.msg}"
        assert "Traceback" not in run.output
    assert take_calls(url) == []
