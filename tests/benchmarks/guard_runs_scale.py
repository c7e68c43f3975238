"""Benchmark: the guard's time per run, one module process a run (guard_run) against the layout before it (three
processes a run: sts_assume_role, inbound_connection_policy, domain_access_policy), side by side in one run.

Two estates at the local endpoint, each account read through its own role (one inventory source per account):
40 runs (20 accounts x 2 regions, 2 domains each) and 200 runs (100 accounts x 2 regions, 50 domains each: 10,000
domains), a stranger's request to one domain of each run. The guard in check mode, forks 8, each layout in turn
(alternating, `--repeat` times on the small estate, once on the large). The time of a run is the wall time of the
guard's second play (the runs; the json callback's play duration) over the number of runs; the inventory and the
report, the same in both layouts, are timed apart. The endpoint's calls of both layouts are checked equal, and as
designed: per run one AssumeRole, one DescribeInboundCrossClusterSearchConnections and one DescribeElasticsearchDomains
per 5 domains. A script, not a test: `make benchmark` runs it.

    PYTHONPATH=tests python tests/benchmarks/guard_runs_scale.py [--estates 20x2x2 100x2x50] [--repeat 3]
"""

from __future__ import annotations

import argparse
import collections
import datetime
import json
import math
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Dict
from typing import List

from guard_scale import guard_command
from local_endpoint.client import control
from local_endpoint.endpoint import DEFAULT_KEYS
from local_endpoint.endpoint import Endpoint
from local_endpoint.server import start_endpoint
from local_endpoint.store import Store

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "integration" / "targets" / "guard_estate"))
from three_processes import three_process_guard  # noqa: E402  pylint: disable=wrong-import-position

OWNER_A = DEFAULT_KEYS[0]
REGIONS = ["us-east-1", "eu-west-1", "ap-southeast-2"]
STRANGER = "333333333333"
PLAYBOOK = Path(__file__).resolve().parents[2] / "playbooks" / "guard.yml"


def estate(url: str, folder: Path, accounts: int, regions: int, domains: int) -> int:
    """The estate and its inventory (one source per account, through its role); the number of runs."""
    control(url, "reset", {})
    control(url, "settings", {"transition_seconds": 3600})
    names = [f"logs-{number:03d}" for number in range(domains)]
    for number in range(accounts):
        account = f"{700000000000 + number}"
        control(url, "accounts", {"account_id": account})
        for region in REGIONS[:regions]:
            control(url, "hosted_domains", {"owner_id": account, "region": region, "domain_names": names})
            destination = {"owner_id": account, "region": region, "domain_name": names[0]}
            control(url, "connections", {"source": {"owner_id": STRANGER}, "destination": destination})
        source = {
            "plugin": "aws_search.cross_cluster.domains",
            "regions": REGIONS[:regions],
            "iam_role_arn": f"arn:aws:iam::{account}:role/search-guard",
            "endpoint_url": url,
        }
        (folder / f"{account}.domains.aws_search.yml").write_text(json.dumps(source))
    return accounts * regions


def guard(url: str, folder: Path, playbook: str) -> Dict[str, float]:
    """The guard in check mode, forks 8: its wall time and its plays' durations (json callback)."""
    started = time.monotonic()
    run = guard_command(url, folder, playbook, ANSIBLE_STDOUT_CALLBACK="json")
    done = subprocess.run(**run, check=True, capture_output=True, text=True)
    wall = time.monotonic() - started
    plays = json.loads(done.stdout[done.stdout.find("{") :])["plays"]
    durations = [_seconds(play["play"]["duration"]) for play in plays]
    return {"wall": wall, "plan": durations[0], "runs": durations[1], "report": durations[2]}


def _seconds(duration: Dict[str, str]) -> float:
    start, end = (datetime.datetime.fromisoformat(duration[key].replace("Z", "+00:00")) for key in ("start", "end"))
    return (end - start).total_seconds()


def guard_calls(url: str) -> collections.Counter:
    """The calls since the last take, without the inventory's (ListDomainNames, its AssumeRole and caller check)."""
    calls = control(url, "calls/take", {})["calls"]
    return collections.Counter(
        (call["operation"], call.get("account"), call.get("region"))
        for call in calls
        if call["operation"] not in ("ListDomainNames", "GetCallerIdentity")
        and not (call["operation"] == "AssumeRole" and not call.get("session_name", "").startswith("aws-search-guard"))
    )


def designed(runs: int, domains: int) -> Dict[str, int]:
    return {
        "AssumeRole": runs,
        "DescribeInboundCrossClusterSearchConnections": runs,
        "DescribeElasticsearchDomains": runs * math.ceil(domains / 5),
    }


def measure(url: str, shape: List[int], repeat: int, three: str) -> Dict[str, List[Dict[str, float]]]:
    accounts, regions, domains = shape
    times: Dict[str, List[Dict[str, float]]] = {"one": [], "three": []}
    with tempfile.TemporaryDirectory() as workdir:
        folder = Path(workdir) / "inventory"
        folder.mkdir()
        runs = estate(url, folder, accounts, regions, domains)
        control(url, "calls/take", {})
        layouts = [("three", three), ("one", "aws_search.cross_cluster.guard")]
        for repetition in range(repeat):
            counted = {}
            # Each layout first in turn: neither always runs on the caches the other warmed.
            for layout, playbook in layouts if repetition % 2 == 0 else layouts[::-1]:
                times[layout].append(guard(url, folder, playbook))
                counted[layout] = guard_calls(url)
            assert counted["one"] == counted["three"], (
                counted["one"] - counted["three"],
                counted["three"] - counted["one"],
            )
            by_operation = collections.Counter()
            for (operation, _account, _region), count in counted["one"].items():
                by_operation[operation] += count
            assert dict(by_operation) == designed(runs, domains), (dict(by_operation), designed(runs, domains))
    return {"runs": runs, **times}


def report(shape: List[int], found: Dict) -> None:
    runs = found["runs"]
    print(f"{shape[0]} accounts x {shape[1]} regions x {shape[2]} domains: {runs} runs, {len(found['one'])} each")
    medians = {}
    for layout, label in (("three", "three processes a run"), ("one", "one process a run (guard_run)")):
        median = {key: statistics.median(item[key] for item in found[layout]) for key in found[layout][0]}
        medians[layout] = median
        print(
            f"  {label}: the runs {median['runs']:.1f} s, {median['runs'] / runs * 1000:.0f} ms a run;"
            f" the whole guard {median['wall']:.1f} s (plan {median['plan']:.1f} s, report {median['report']:.1f} s)"
        )
    ratio = medians["one"]["runs"] / medians["three"]["runs"]
    print(f"  time per run, one process against three: x{ratio:.2f}")
    print(f"  the whole guard: x{medians['one']['wall'] / medians['three']['wall']:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--estates", nargs="+", default=["20x2x2", "100x2x50"], help="accounts x regions x domains")
    parser.add_argument(
        "--repeat", type=int, default=3, help="how many times each layout runs on estates of 40 runs or fewer"
    )
    args = parser.parse_args()
    server = start_endpoint(Endpoint(store=Store(transition_seconds=3600)))
    try:
        with tempfile.TemporaryDirectory() as workdir:
            three = str(three_process_guard(Path(workdir), PLAYBOOK))
            print(f"The guard in check mode, forks 8, each account through its role ({sys.executable})")
            for text in args.estates:
                shape = [int(part) for part in text.split("x")]
                repeat = args.repeat if shape[0] * shape[1] <= 40 else 1
                report(shape, measure(server.url, shape, repeat, three))
    finally:
        server.stop()


if __name__ == "__main__":
    main()
