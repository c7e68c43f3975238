"""Benchmark: does deciding grow with the allowlist? 500 requests decided against an owner_ids entry of 10, 1,000
and 5,000 account ids (an organization's accounts), side by side in one run:

- the decisions alone, in process (policy.decide over the 500 listed connections; median of 5 rounds);
- the whole inbound_connection_policy task in check mode through `ansible` against the local endpoint (the listing
  plus the decisions; median of 3 runs).

A script, not a test: `make benchmark` runs it; numbers vary with the machine, the ratios are what it shows.

    PYTHONPATH=tests python tests/benchmarks/allowlist_size.py [--requests 500]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import time

from local_endpoint.client import control
from local_endpoint.endpoint import DEFAULT_KEYS
from local_endpoint.server import start_endpoint

from ansible_collections.aws_search.cross_cluster.plugins.module_utils.api_calls import Connections
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.api_differences import ES
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.policy import PolicyRequest
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.policy import Rule
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.policy import decide

SIZES = (10, 1000, 5000)


def account_ids(count: int) -> list:
    return [f"{100000000000 + number:012d}" for number in range(count)]


def wire(number: int, owner: str) -> dict:
    return {
        "SourceDomainInfo": {"OwnerId": owner, "DomainName": "partner-logs", "Region": "us-east-1"},
        "DestinationDomainInfo": {"OwnerId": "111111111111", "DomainName": "shared-logs", "Region": "us-east-1"},
        "CrossClusterSearchConnectionId": f"cc-{number:016d}",
        "ConnectionStatus": {"StatusCode": "PENDING_ACCEPTANCE"},
    }


def decisions_seconds(size: int, requests: int) -> float:
    """Median seconds to decide every request; half of them come from the list's last ids, half from strangers."""
    owners = account_ids(size)
    listed = [wire(n, owners[-1 - n % size] if n % 2 else f"{900000000000 + n:012d}") for n in range(requests)]
    request = PolicyRequest(allow=(Rule.from_entry({"owner_ids": owners}),), allowed="accept")
    connections = Connections(None, ES, "us-east-1", "inbound")
    rounds = []
    for _round in range(5):
        started = time.perf_counter()
        for connection in listed:
            decide(connections, connection, request)
        rounds.append(time.perf_counter() - started)
    return statistics.median(rounds)


def module_seconds(url: str, size: int) -> float:
    key = DEFAULT_KEYS[0]
    args = {
        "allow": [{"owner_ids": account_ids(size)}],
        "allowed": "accept",
        "region": "us-east-1",
        "endpoint_url": url,
        "access_key": key.access_key,
        "secret_key": key.secret_key,
    }
    command = ["ansible", "localhost", "--check", "-m", "aws_search.cross_cluster.inbound_connection_policy"]
    environment = dict(os.environ, ANSIBLE_LOCALHOST_WARNING="false", ANSIBLE_INVENTORY_UNPARSED_WARNING="false")
    runs = []
    for _run in range(3):
        started = time.monotonic()
        subprocess.run(command + ["-a", json.dumps(args)], check=True, stdout=subprocess.DEVNULL, env=environment)
        runs.append(time.monotonic() - started)
    return statistics.median(runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=500)
    args = parser.parse_args()
    print(f"{args.requests} requests, an owner_ids entry of {', '.join(map(str, SIZES))} ids")
    decided = {size: decisions_seconds(size, args.requests) for size in SIZES}
    for size, seconds in decided.items():
        ratio = seconds / decided[SIZES[0]]
        print(
            f"  decisions alone, {size:>5} ids: {seconds * 1000:.1f} ms ({seconds / args.requests * 1e6:.1f} us each;"
            f" x{ratio:.2f} the time with {SIZES[0]} ids)"
        )
    server = start_endpoint()
    try:
        for number in range(args.requests):
            owner = account_ids(SIZES[-1])[-1 - number] if number % 2 else f"{900000000000 + number:012d}"
            control(
                server.url,
                "connections",
                {"source": {"owner_id": owner}, "destination": {"domain_name": "shared-logs"}},
            )
        timed = {size: module_seconds(server.url, size) for size in SIZES}
    finally:
        server.stop()
    for size, seconds in timed.items():
        print(f"  the policy task in check mode, {size:>5} ids: {seconds:.2f} s (x{seconds / timed[SIZES[0]]:.2f})")


if __name__ == "__main__":
    main()
