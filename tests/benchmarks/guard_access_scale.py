"""Benchmark: what reading every path costs the guard. 400 domains of one account and region (100 in a VPC, each
shared with the partner), one request each, every endpoint answer 50 ms late (an AWS round trip); the guard in check
mode, forks 8, with the access read and without it, side by side in one run, alternating. Both are the guard with
its runs laid out in three processes (three_processes.yml, as release 0.5.0 ran them; guard_run does both in one),
without: minus the access task (the guard of release 0.4.0).

Reports the calls of each (checked: with the access read, one DescribeElasticsearchDomains per 5 domains and one
ListVpcEndpointAccess per VPC domain more, and nothing else), the median time of each and their ratio. A script, not
a test: `make benchmark` runs it.

    PYTHONPATH=tests python tests/benchmarks/guard_access_scale.py [--runs 3]
"""

from __future__ import annotations

import argparse
import collections
import json
import statistics
import sys
import tempfile
from pathlib import Path

import yaml
from domain_access_scale import calls
from guard_scale import guard
from local_endpoint.client import control
from local_endpoint.endpoint import DEFAULT_KEYS
from local_endpoint.endpoint import Endpoint
from local_endpoint.server import start_endpoint
from local_endpoint.store import Store

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "integration" / "targets" / "guard_estate"))
from three_processes import three_process_guard  # noqa: E402  pylint: disable=wrong-import-position

OWNER_A = DEFAULT_KEYS[0]
REGION = "eu-west-1"
DOMAINS, IN_A_VPC = 400, 100
LATENCY = 0.05
# The tasks that read every path, and send what they found to Security Hub.
ACCESS_TASKS = ("Read every path to these domains", "Send the run's findings")
PLAYBOOK = Path(__file__).resolve().parents[2] / "playbooks" / "guard.yml"


def without_access_read(folder: Path) -> Path:
    """The three-process guard without its access task, and its results without access (a report of connections
    only)."""
    plays = yaml.safe_load(three_process_guard(folder, PLAYBOOK).read_text())
    block = plays[1]["tasks"][0]
    block["block"] = [task for task in block["block"] if not task["name"].startswith(ACCESS_TASKS)]
    for task in block["block"] + block["rescue"]:
        kept = task.get("ansible.builtin.set_fact", {}).get("guard_result", {})
        for name in ("access", "unmatched_allow", "security_hub"):
            kept.pop(name, None)
    copy = folder / "guard-without-access-read.yml"
    copy.write_text(yaml.safe_dump(plays, sort_keys=False))
    return copy


def estate(url: str, folder: Path) -> None:
    control(url, "reset", {})
    names = [f"logs-{number:04d}" for number in range(DOMAINS)]
    where = {"owner_id": OWNER_A.account, "region": REGION}
    vpc = dict(where, domain_names=names[:IN_A_VPC], vpc_id="vpc-1", vpc_endpoint_access=["222222222222"])
    control(url, "hosted_domains", vpc)
    control(url, "hosted_domains", dict(where, domain_names=names[IN_A_VPC:]))
    for name in names:
        control(
            url, "connections", {"source": {"owner_id": "333333333333"}, "destination": dict(where, domain_name=name)}
        )
    source = {"plugin": "aws_search.cross_cluster.domains", "regions": [REGION], "endpoint_url": url}
    (folder / "estate.domains.aws_search.yml").write_text(json.dumps(source))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    server = start_endpoint(Endpoint(store=Store(transition_seconds=3600)))
    try:
        with tempfile.TemporaryDirectory() as workdir:
            folder = Path(workdir) / "inventory"
            folder.mkdir()
            estate(server.url, folder)
            control(server.url, "settings", {"latency_seconds": LATENCY})
            calls(server.url)
            without = str(without_access_read(Path(workdir)))
            playbooks = {"with": str(three_process_guard(Path(workdir), PLAYBOOK)), "without": without}
            times, counted = {"with": [], "without": []}, {}
            for _run in range(args.runs):
                for name, playbook in playbooks.items():
                    times[name].append(guard(server.url, folder, playbook))
                    counted[name] = calls(server.url)
        more = counted["with"] - counted["without"]
        expected = {"DescribeElasticsearchDomains": DOMAINS // 5, "ListVpcEndpointAccess": IN_A_VPC}
        assert more == collections.Counter(expected) and not counted["without"] - counted["with"], (more, counted)
        with_read, without = (statistics.median(times[name]) for name in ("with", "without"))
        late = f"answers {LATENCY * 1000:.0f} ms late"
        print(f"The guard in check mode, forks 8, {DOMAINS} domains ({IN_A_VPC} in a VPC), {late} ({sys.executable})")
        made = {name: sum(counted[name].values()) for name in counted}
        print(f"  calls with the access read: {made['with']}, without: {made['without']}")
        print(f"  the access read adds {dict(more)}")
        ratio = f"x{with_read / without:.2f}"
        print(
            f"  median of {args.runs} runs: {with_read:.1f} s with the access read, {without:.1f} s without ({ratio})"
        )
    finally:
        server.stop()


if __name__ == "__main__":
    main()
