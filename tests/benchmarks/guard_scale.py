"""Benchmark: the guard's cost per domain, over 25, 100 and 400 domains of one account and region (one request
each), in check mode with forks 8, against the local endpoint, side by side in one run.

Reports the wall time of each run, the marginal cost per domain from 25 to 100 and from 100 to 400 (flat when the
work grows linearly), and the endpoint's calls (which must equal the inventory's two plus the policy's listing pages
and the caller check: the calls do not grow with per-domain tasks). A script, not a test: `make benchmark` runs it.

    PYTHONPATH=tests python tests/benchmarks/guard_scale.py [--sizes 25 100 400]
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
from typing import Any
from typing import Dict

from local_endpoint.client import control
from local_endpoint.endpoint import DEFAULT_KEYS
from local_endpoint.endpoint import Endpoint
from local_endpoint.server import start_endpoint
from local_endpoint.store import Store

OWNER_A = DEFAULT_KEYS[0]
REGION = "eu-west-1"


def build(url: str, size: int, folder: Path) -> None:
    control(url, "reset", {})
    names = [f"logs-{number:04d}" for number in range(size)]
    control(url, "hosted_domains", {"owner_id": OWNER_A.account, "region": REGION, "domain_names": names})
    for name in names:
        destination = {"owner_id": OWNER_A.account, "region": REGION, "domain_name": name}
        control(url, "connections", {"source": {"owner_id": "333333333333"}, "destination": destination})
    source = {"plugin": "aws_search.cross_cluster.domains", "regions": [REGION], "endpoint_url": url}
    (folder / "estate.domains.aws_search.yml").write_text(json.dumps(source))
    control(url, "calls/take", {})


def guard_command(url: str, folder: Path, playbook: str, **environment: str) -> Dict[str, Any]:
    """subprocess.run's arguments for the guard in check mode with forks 8 over the inventory in folder, as owner A."""
    extra = json.dumps({"allow": [{"owner_id": "222222222222"}], "report_dir": str(folder.parent / "report")})
    command = ["ansible-playbook", playbook, "-i", str(folder), "-e", extra, "--forks", "8", "--check"]
    environment = dict(
        os.environ,
        AWS_ACCESS_KEY_ID=OWNER_A.access_key,
        AWS_SECRET_ACCESS_KEY=OWNER_A.secret_key,
        AWS_ENDPOINT_URL=url,
        ANSIBLE_LOCALHOST_WARNING="false",
        ANSIBLE_INVENTORY_ANY_UNPARSED_IS_FAILED="true",
        **environment,
    )
    return {"args": command, "env": environment}


def guard(url: str, folder: Path, playbook: str = "aws_search.cross_cluster.guard") -> float:
    """The guard in check mode with forks 8 over the inventory in folder; its wall time."""
    started = time.monotonic()
    subprocess.run(**guard_command(url, folder, playbook), check=True, stdout=subprocess.DEVNULL)
    return time.monotonic() - started


def measure(url: str, size: int) -> dict:
    with tempfile.TemporaryDirectory() as workdir:
        folder = Path(workdir) / "inventory"
        folder.mkdir()
        build(url, size, folder)
        seconds = guard(url, folder)
    calls = [call["operation"] for call in control(url, "calls/take", {})["calls"]]
    writes = [call for call in calls if not call.startswith(("Describe", "List", "Get"))]
    assert writes == [], writes
    return {"size": size, "seconds": seconds, "calls": len(calls)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[25, 100, 400])
    args = parser.parse_args()
    server = start_endpoint(Endpoint(store=Store(transition_seconds=3600)))
    try:
        print(f"The guard in check mode, forks 8, one account and region, one request per domain ({sys.executable})")
        results = [measure(server.url, size) for size in sorted(args.sizes)]
        for result in results:
            print(f"  {result['size']:>4} domains: {result['seconds']:.1f} s, {result['calls']} calls")
        margins = []
        for smaller, larger in zip(results, results[1:]):
            margin = (larger["seconds"] - smaller["seconds"]) / (larger["size"] - smaller["size"])
            margins.append(margin)
            print(f"  marginal cost {smaller['size']} -> {larger['size']}: {margin * 1000:.1f} ms a domain")
        if len(margins) > 1:
            print(f"  the last margin is x{margins[-1] / margins[0]:.2f} the first (1.0 = linear)")
    finally:
        server.stop()


if __name__ == "__main__":
    main()
