"""Benchmark: what reading every path to 400 domains costs, beside the inbound listing alone.

One account and region of the local endpoint with 400 domains, 100 of them in a VPC with two accounts allowed VPC
endpoint access each, and 200 inbound connections; every endpoint answer 50 ms late, as an AWS round trip. Runs
domain_access_info and inbound_connection_info side by side, checks the calls of each from the endpoint's call log
(1 ListDomainNames, 80 DescribeDomains of 5 names, 100 ListVpcEndpointAccess, the inbound pages), and reports the
wall time of each and their ratio. A script, not a test: `make benchmark` runs it; numbers vary with the machine.

    PYTHONPATH=tests python tests/benchmarks/domain_access_scale.py [--runs 3]
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import statistics
import subprocess
import time

from local_endpoint.client import control
from local_endpoint.endpoint import DEFAULT_KEYS
from local_endpoint.server import start_endpoint

DOMAINS, VPC_DOMAINS, CONNECTIONS = 400, 100, 200
LATENCY = 0.05


def run(url: str, module: str) -> float:
    key = DEFAULT_KEYS[0]
    args = {"region": "us-east-1", "endpoint_url": url, "access_key": key.access_key, "secret_key": key.secret_key}
    started = time.monotonic()
    subprocess.run(
        [
            "ansible",
            "localhost",
            "-m",
            f"aws_search.cross_cluster.{module}",
            "-a",
            json.dumps(dict(args, api="opensearch")),
        ],
        check=True,
        stdout=subprocess.DEVNULL,
        env=dict(os.environ, ANSIBLE_LOCALHOST_WARNING="false", ANSIBLE_INVENTORY_UNPARSED_WARNING="false"),
    )
    return time.monotonic() - started


def estate(url: str) -> None:
    owner = DEFAULT_KEYS[0].account
    control(url, "hosted_domains", {"owner_id": owner, "count": DOMAINS - VPC_DOMAINS, "prefix": "pub"})
    vpc = {"vpc_id": "vpc-0bench", "vpc_endpoint_access": ["222222222222", "333333333333"]}
    control(url, "hosted_domains", {"owner_id": owner, "count": VPC_DOMAINS, "prefix": "vpc", **vpc})
    for number in range(CONNECTIONS):
        destination = {"owner_id": owner, "domain_name": f"pub-{number % 100:02d}", "region": "us-east-1"}
        control(url, "connections", {"source": {"owner_id": "222222222222"}, "destination": destination})


def calls(url: str) -> collections.Counter:
    return collections.Counter(call["operation"] for call in control(url, "calls/take", {})["calls"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    server = start_endpoint()
    try:
        estate(server.url)
        control(server.url, "settings", {"latency_seconds": LATENCY})
        calls(server.url)
        times = {"domain_access_info": [], "inbound_connection_info": []}
        for _run in range(args.runs):
            for module, seconds in times.items():
                seconds.append(run(server.url, module))
                made = calls(server.url)
                expected = {
                    "domain_access_info": {
                        "ListDomainNames": 1,
                        "DescribeDomains": DOMAINS // 5,
                        "ListVpcEndpointAccess": VPC_DOMAINS,
                        "DescribeInboundConnections": CONNECTIONS // 100,
                    },
                    "inbound_connection_info": {"DescribeInboundConnections": CONNECTIONS // 100},
                }[module]
                assert made == expected, (module, made)
    finally:
        server.stop()
    access, listing = (statistics.median(times[name]) for name in times)
    print(f"domain_access_info over {DOMAINS} domains ({VPC_DOMAINS} in a VPC), {LATENCY * 1000:.0f} ms a call:")
    print(f"  calls: 1 ListDomainNames, {DOMAINS // 5} DescribeDomains, {VPC_DOMAINS} ListVpcEndpointAccess,")
    print(f"  {CONNECTIONS // 100} DescribeInboundConnections (checked from the call log, every run)")
    print(f"  median of {args.runs} runs: {access:.2f} s; the inbound listing alone: {listing:.2f} s")
    print(f"  ratio: {access / listing:.1f}x the inbound listing's time")


if __name__ == "__main__":
    main()
