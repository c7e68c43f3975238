"""Benchmark: one domains inventory source over a whole AWS Organization, and one event-source activation over it.

An organization of 100 accounts in moto's AWS Organizations; each account has 2 tagged domains in each of 3 regions
at the local endpoint (which plays STS and EC2 DescribeRegions too), each of its answers 50 ms late as a round trip
to AWS is.

1. The inventory (`organization` + `role_name`, `include_tags`), with max_concurrency 1 and 8 side by side: wall time,
   and the endpoint's calls, which must equal per account 1 AssumeRole + 1 ListDomainNames per region + 1 ListTags per
   domain (and, with `regions: all`, 1 DescribeRegions per account and a listing per enabled region). The
   organization walk is moto's: one per inventory run, by construction (ListRoots, then per OU its two listings).
2. One ansible-rulebook activation (the rulebook reject_unexpected_requests with `organization` + `role_name` and the
   3 regions: 300 account-regions), with one more account in the organization whose role is refused throughout: the
   time from a request appearing in a random account to its rejection, over several requests. It must stay within
   the interval + the playbook's start (the endpoint's call log says when the poll that saw it ran, and when the
   rejection came).

A script, not a test: `make benchmark` runs it; numbers vary with the machine, the ratios are what it shows.

    PYTHONPATH=tests python tests/benchmarks/organization_scale.py [--accounts 100] [--requests 5] [--interval 5]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Dict
from typing import List

import boto3
from eda.harness import Rulebook
from eda.harness import by_source
from eda.harness import operations
from eda.harness import wait_for
from local_endpoint.client import control
from local_endpoint.client import statuses
from local_endpoint.endpoint import DEFAULT_KEYS
from local_endpoint.endpoint import Endpoint
from local_endpoint.moto import moto_server
from local_endpoint.server import start_endpoint
from local_endpoint.store import Store

REGIONS = ["us-east-1", "eu-west-1", "ap-southeast-2"]
DOMAINS = 2
ROLE = "search-guard"
OWNER_A = DEFAULT_KEYS[0]
STRANGER = "333333333333"
# Each call to the endpoint answers after this, as a round trip to AWS takes about as long.
LATENCY = 0.05
# The regions AWS enables in every account.
ENABLED_BY_DEFAULT = 17


def organization(moto_url: str, url: str, count: int) -> Dict[str, object]:
    """count accounts in an OU of the organization, each known to the endpoint with its domains; and one account the
    endpoint does not know (its role is refused throughout)."""
    client = boto3.client(
        "organizations",
        region_name="us-east-1",
        endpoint_url=moto_url,
        aws_access_key_id="AKIDMOTOORGADMIN01",
        aws_secret_access_key="moto-any-secret",
    )
    client.create_organization(FeatureSet="ALL")
    management = client.describe_organization()["Organization"]["MasterAccountId"]
    accounts = []
    for number in range(count + 1):
        status = client.create_account(Email=f"a{number}@example.com", AccountName=f"account-{number}")
        accounts.append(status["CreateAccountStatus"]["AccountId"])
    denied, readable = accounts[0], accounts[1:]
    names = [f"logs-{number}" for number in range(DOMAINS)]
    for account in readable:
        control(url, "accounts", {"account_id": account})
        for region in REGIONS:
            spec = {"owner_id": account, "region": region, "domain_names": names, "tags": {"data": "secret"}}
            control(url, "hosted_domains", spec)
    control(url, "settings", {"latency_seconds": LATENCY})
    control(url, "calls/take", {})
    return {"management": management, "denied": denied, "readable": readable}


def environment(url: str, moto_url: str) -> Dict[str, str]:
    return dict(
        os.environ,
        AWS_ACCESS_KEY_ID=OWNER_A.access_key,
        AWS_SECRET_ACCESS_KEY=OWNER_A.secret_key,
        AWS_ENDPOINT_URL=url,
        AWS_ENDPOINT_URL_ORGANIZATIONS=moto_url,
    )


def inventory(url: str, moto_url: str, folder: Path, org: Dict, concurrency: int, regions) -> Dict[str, object]:
    source = {
        "plugin": "aws_search.cross_cluster.domains",
        "organization": {"exclude_account_ids": [org["management"], org["denied"]]},
        "role_name": ROLE,
        "regions": regions,
        "include_tags": True,
        "max_concurrency": concurrency,
    }
    path = folder / "organization.domains.aws_search.yml"
    path.write_text(json.dumps(source))
    started = time.monotonic()
    done = subprocess.run(
        ["ansible-inventory", "-i", str(path), "--list"],
        capture_output=True,
        text=True,
        env=environment(url, moto_url),
        check=True,
    )
    seconds = time.monotonic() - started
    listed = json.loads(done.stdout)
    calls = [call["operation"] for call in control(url, "calls/take", {})["calls"]]
    return {"seconds": seconds, "hosts": len(listed["aws_search_domains"]["hosts"]), "calls": calls}


def expected_calls(accounts: int, regions_per_account: int, all_regions: bool) -> Dict[str, int]:
    expected = {
        "AssumeRole": accounts,
        "ListDomainNames": accounts * regions_per_account,
        "ListTags": accounts * len(REGIONS) * DOMAINS,
    }
    if all_regions:
        expected["DescribeRegions"] = accounts
    return expected


def check_calls(calls: List[str], expected: Dict[str, int]) -> None:
    counted = {operation: calls.count(operation) for operation in set(calls)}
    assert counted == expected, (counted, expected)


def reaction(url: str, moto_url: str, folder: Path, org: Dict, requests: int, interval: float) -> List[float]:
    """Seconds from a request's creation in a random account to its rejection, with one account denied throughout;
    each checked against the call log: rejected by the run after the first poll of its account that saw it."""
    control(url, "settings", {"transition_seconds": 3600})
    variables = {
        "organization": {"exclude_account_ids": [org["management"]]},
        "role_name": ROLE,
        "regions": REGIONS,
        "partners": [],
    }
    reactions = []
    extra = {"AWS_ENDPOINT_URL_ORGANIZATIONS": moto_url}
    with Rulebook(url, folder, "es", interval, more_vars=variables, more_env=extra) as rulebook:
        polled = len(org["readable"]) * len(REGIONS)
        wait_for(
            lambda: len([c for c in operations(url) if by_source(c) and c["operation"].startswith("Desc")]) >= polled,
            600,
        )
        for number in range(requests):
            account, region = random.choice(org["readable"]), random.choice(REGIONS)
            destination = {"owner_id": account, "region": region, "domain_name": "logs-0"}
            created = time.time()
            connection_id = control(url, "connections", {"source": {"owner_id": STRANGER}, "destination": destination})[
                "connection_id"
            ]
            wait_for(lambda: statuses(url)[connection_id] != "PENDING_ACCEPTANCE", 300, step=0.05)
            rejected = time.time()
            wait_for(lambda: rulebook.actions_done() == number + 1, 300)
            calls = operations(url)
            saw = next(
                c["time"]
                for c in calls
                if by_source(c) and c["time"] > created and (c.get("account"), c.get("region")) == (account, region)
            )
            assert saw - created <= interval * 1.5 + 1, (saw - created, interval)
            reactions.append(rejected - created)
        denied = [
            c for c in operations(url) if c["operation"] == "AssumeRole" and org["denied"] in c.get("role_arn", "")
        ]
        assert denied and all(c["status"] == 403 for c in denied), denied
    return reactions


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=100)
    parser.add_argument("--requests", type=int, default=5)
    parser.add_argument("--interval", type=float, default=5.0)
    args = parser.parse_args()
    server = start_endpoint(Endpoint(store=Store(transition_seconds=3600)))
    try:
        with moto_server() as moto_url, tempfile.TemporaryDirectory() as workdir:
            org = organization(moto_url, server.url, args.accounts)
            folder = Path(workdir)
            print(f"organization: {args.accounts} accounts x {len(REGIONS)} regions x {DOMAINS} domains (+1 denied)")
            for concurrency in (1, 8):
                found = inventory(server.url, moto_url, folder, org, concurrency, REGIONS)
                check_calls(found["calls"], expected_calls(args.accounts, len(REGIONS), False))
                print(
                    f"inventory, max_concurrency {concurrency}: {found['seconds']:.1f} s, {found['hosts']} hosts,"
                    f" {len(found['calls'])} endpoint calls (as expected: 1 AssumeRole per account, 1 ListDomainNames"
                    " per region, 1 ListTags per domain) + 1 organization walk"
                )
            found = inventory(server.url, moto_url, folder, org, 8, "all")
            check_calls(found["calls"], expected_calls(args.accounts, ENABLED_BY_DEFAULT, True))
            print(
                f"inventory, regions: all, max_concurrency 8: {found['seconds']:.1f} s, {len(found['calls'])} endpoint"
                f" calls (+1 DescribeRegions per account, a listing in each of its {ENABLED_BY_DEFAULT} enabled regions)"
            )
            reactions = reaction(server.url, moto_url, folder, org, args.requests, args.interval)
            print(
                f"one activation over {args.accounts * len(REGIONS)} account-regions, one account denied throughout,"
                f" interval {args.interval} s: request -> REJECTING median {statistics.median(reactions):.1f} s,"
                f" worst {max(reactions):.1f} s over {args.requests} requests"
            )
    finally:
        server.stop()


if __name__ == "__main__":
    main()
