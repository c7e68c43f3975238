"""Benchmark: the guard playbook over an estate discovered by the domains inventory, against the local endpoint.

12 accounts x 3 regions x 5 domains x 20 requests (3,600 decisions), with forks 1 and 8, side by side in one run;
then 1, 3 and 12 accounts with forks 8, to show how the time grows. Reports wall time, the endpoint's calls (which
must equal the policy's listings + decisions + the inventory's and the roles' calls) and the time per decision.
A script, not a test: `make benchmark` runs it; numbers vary with the machine, the ratios are what it shows.

    PYTHONPATH=tests python tests/benchmarks/estate_scale.py [--accounts 12] [--requests 20]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from local_endpoint.client import control
from local_endpoint.endpoint import DEFAULT_KEYS
from local_endpoint.endpoint import Endpoint
from local_endpoint.server import start_endpoint
from local_endpoint.store import Store

REGIONS = ("us-east-1", "eu-west-1", "ap-southeast-2")
DOMAINS = 5
OWNER_A = DEFAULT_KEYS[0]


def accounts(count: int) -> list:
    return [f"{700000000000 + number:012d}" for number in range(count)]


def build(url: str, count: int, requests: int, folder: Path) -> None:
    """The estate, and one inventory file per account; every request comes from an account nobody allows."""
    control(url, "reset", {})
    control(url, "settings", {"transition_seconds": 3600})
    for account in accounts(count):
        control(url, "accounts", {"account_id": account})
        for region in REGIONS:
            names = [f"logs-{number:02d}" for number in range(DOMAINS)]
            control(url, "hosted_domains", {"owner_id": account, "region": region, "domain_names": names})
            for name in names:
                destination = {"owner_id": account, "region": region, "domain_name": name}
                control(
                    url,
                    "connections",
                    {"count": requests, "source": {"owner_id": "333333333333"}, "destination": destination},
                )
        source = {
            "plugin": "aws_search.cross_cluster.domains",
            "regions": list(REGIONS),
            "iam_role_arn": f"arn:aws:iam::{account}:role/search-guard",
            "endpoint_url": url,
        }
        (folder / f"{account}.domains.aws_search.yml").write_text(json.dumps(source))
    control(url, "calls/take", {})


def guard(url: str, folder: Path, forks: int) -> float:
    environment = dict(
        os.environ,
        AWS_ACCESS_KEY_ID=OWNER_A.access_key,
        AWS_SECRET_ACCESS_KEY=OWNER_A.secret_key,
        AWS_ENDPOINT_URL=url,
        ANSIBLE_PYTHON_INTERPRETER=sys.executable,
        ANSIBLE_LOCALHOST_WARNING="false",
        ANSIBLE_INVENTORY_ANY_UNPARSED_IS_FAILED="true",
    )
    extra = json.dumps({"allow": [{"owner_id": "222222222222"}], "report_dir": str(folder.parent / "report")})
    command = [
        "ansible-playbook",
        "aws_search.cross_cluster.guard",
        "-i",
        str(folder),
        "-e",
        extra,
        "--forks",
        str(forks),
    ]
    started = time.monotonic()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, env=environment)
    return time.monotonic() - started


def measure(url: str, count: int, requests: int, forks: int) -> dict:
    with tempfile.TemporaryDirectory() as workdir:
        folder = Path(workdir) / "inventory"
        folder.mkdir()
        build(url, count, requests, folder)
        seconds = guard(url, folder, forks)
    calls = [call["operation"] for call in control(url, "calls/take", {})["calls"]]
    listings = sum(operation.startswith("DescribeInbound") for operation in calls)
    reads = sum(operation.endswith("Domains") and operation.startswith("Describe") for operation in calls)
    decisions = sum(operation.startswith("Reject") for operation in calls)
    others = len(calls) - listings - reads - decisions
    groups = count * len(REGIONS)
    # Per account and region: one listing, and one describe of its domains (5 a call: every path to them is read).
    # Per account: the inventory's AssumeRole (the account read from its answer), a ListDomainNames per region; the
    # play's AssumeRole per region (one group of domains per account and region).
    expected = (groups, groups * -(-DOMAINS // 5), groups * DOMAINS * requests, count * (1 + 2 * len(REGIONS)))
    assert (listings, reads, decisions, others) == expected, (listings, reads, decisions, others, expected)
    return {
        "seconds": seconds,
        "calls": len(calls),
        "listings": listings,
        "reads": reads,
        "decisions": decisions,
        "others": others,
    }


def line(label: str, result: dict) -> str:
    per_decision = result["seconds"] / result["decisions"] * 1000
    return (
        f"  {label}: {result['seconds']:.1f} s, {result['calls']} calls = {result['listings']} listings +"
        f" {result['reads']} domain describes + {result['decisions']} decisions + {result['others']} inventory and role"
        f" calls; {per_decision:.1f} ms a decision"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=12)
    parser.add_argument("--requests", type=int, default=20)
    args = parser.parse_args()
    server = start_endpoint(Endpoint(store=Store(transition_seconds=3600)))
    try:
        decisions = args.accounts * len(REGIONS) * DOMAINS * args.requests
        print(
            f"{args.accounts} accounts x {len(REGIONS)} regions x {DOMAINS} domains x {args.requests} requests = {decisions} decisions"
        )
        one = measure(server.url, args.accounts, args.requests, forks=1)
        eight = measure(server.url, args.accounts, args.requests, forks=8)
        print(line("forks 1", one))
        print(line("forks 8", eight))
        print(f"  forks 8 took {eight['seconds'] / one['seconds']:.2f} of the time of forks 1")
        print("Growth with forks 8:")
        sizes = sorted({1, 3, args.accounts})
        grown = {
            size: (eight if size == args.accounts else measure(server.url, size, args.requests, forks=8))
            for size in sizes
        }
        for size in sizes:
            ratio = grown[size]["seconds"] / grown[sizes[0]]["seconds"]
            print(
                line(f"{size:>2} accounts", grown[size])
                + f" (x{ratio:.2f} the time of {sizes[0]}, x{size / sizes[0]:.0f} the work)"
            )
    finally:
        server.stop()


if __name__ == "__main__":
    main()
