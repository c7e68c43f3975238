"""Benchmark: list many inbound connections with inbound_connection_info against the local endpoint.

Reports the API calls the module made (from the endpoint's call log) and the wall time of the
ad-hoc command. A script, not a test: `make benchmark` runs it; numbers vary with the machine.

    PYTHONPATH=tests python tests/benchmarks/list_connections.py [--count 1000] [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import time

from local_endpoint.client import control
from local_endpoint.endpoint import DEFAULT_KEYS
from local_endpoint.server import start_endpoint


def list_once(url: str) -> float:
    key = DEFAULT_KEYS[0]
    args = f"region=us-east-1 endpoint_url={url} access_key={key.access_key} secret_key={key.secret_key}"
    started = time.monotonic()
    subprocess.run(
        ["ansible", "localhost", "-m", "aws_search.cross_cluster.inbound_connection_info", "-a", args],
        check=True,
        stdout=subprocess.DEVNULL,
        env=dict(os.environ, ANSIBLE_LOCALHOST_WARNING="false", ANSIBLE_INVENTORY_UNPARSED_WARNING="false"),
    )
    return time.monotonic() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    server = start_endpoint()
    try:
        control(server.url, "connections", {"count": args.count})
        control(server.url, "calls/take", {})
        times = [list_once(server.url) for run in range(args.runs)]
        calls = control(server.url, "calls/take", {})["calls"]
    finally:
        server.stop()
    print(f"connections listed: {args.count}")
    print(f"API calls per listing: {len(calls) // args.runs} (pages of 100)")
    print(f"wall time per listing: median {statistics.median(times):.2f} s over {args.runs} runs")


if __name__ == "__main__":
    main()
