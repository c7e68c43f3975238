"""Benchmark: decide 500 inbound requests with inbound_connection_policy in one task, and with a loop: of
inbound_connection over a sample of the same decisions; compare the time per decision and count the calls.

500 pending requests to 25 of owner A's domains from 10 accounts; the allowlist names 3 of them, and the
policy accepts theirs and rejects the others, so every request is a decision. Both are timed the same way:
the task's own duration (timestamps before and after it in the play) and the whole ansible-playbook run.
A script, not a test: `make benchmark` runs it; numbers vary with the machine.

    PYTHONPATH=tests python tests/benchmarks/policy_vs_loop.py [--requests 500] [--sample 50]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import tempfile
import time
from collections import Counter
from typing import Dict
from typing import List
from typing import Tuple

import boto3
from local_endpoint.client import control
from local_endpoint.client import seed
from local_endpoint.endpoint import DEFAULT_KEYS
from local_endpoint.server import start_endpoint

OWNERS = [f"{number:012d}" for number in range(100000000001, 100000000011)]
ALLOWED_OWNERS = OWNERS[:3]
DOMAINS = [f"domain-{number:02d}" for number in range(25)]
OWNER_A = DEFAULT_KEYS[0]
PLAY = """
- hosts: localhost
  gather_facts: false
  module_defaults:
    group/aws_search.cross_cluster.aws: {defaults}
  tasks:
    - set_fact: {{started: "{{{{ lookup('pipe', 'date +%s.%N') }}}}"}}
    - {task}
    - set_fact: {{finished: "{{{{ lookup('pipe', 'date +%s.%N') }}}}"}}
    - debug: {{msg: "TASK_SECONDS {{{{ finished | float - started | float }}}}"}}
"""


def seed_population(url: str, requests: int) -> List[Tuple[str, str]]:
    """(connection id, the state the policy decides for it), in the order they were seeded."""
    control(url, "reset", {})
    seeded = []
    for number in range(requests):
        owner = OWNERS[number % len(OWNERS)]
        spec = {"source": {"owner_id": owner}, "destination": {"domain_name": DOMAINS[number % len(DOMAINS)]}}
        state = "accepted" if owner in ALLOWED_OWNERS else "rejected"
        seeded.append((seed(url, **spec), state))
    control(url, "calls/take", {})
    return seeded


def play(url: str, task: dict) -> Tuple[float, float]:
    """Run one task in a playbook: (the task's seconds, the whole run's seconds)."""
    defaults = {
        "endpoint_url": url,
        "region": "us-east-1",
        "access_key": OWNER_A.access_key,
        "secret_key": OWNER_A.secret_key,
    }
    with tempfile.NamedTemporaryFile("w", suffix=".yml", delete=False) as playbook:
        playbook.write(PLAY.format(defaults=json.dumps(defaults), task=json.dumps(task)))
    started = time.monotonic()
    done = subprocess.run(
        ["ansible-playbook", playbook.name],
        check=True,
        capture_output=True,
        text=True,
        env=dict(os.environ, ANSIBLE_LOCALHOST_WARNING="false", ANSIBLE_INVENTORY_UNPARSED_WARNING="false"),
    )
    wall = time.monotonic() - started
    os.unlink(playbook.name)
    task_seconds = float(done.stdout.split("TASK_SECONDS ")[1].split('"')[0])
    return task_seconds, wall


def policy_task() -> dict:
    allow = [{"owner_id": owner} for owner in ALLOWED_OWNERS]
    return {"aws_search.cross_cluster.inbound_connection_policy": {"allow": allow, "allowed": "accept"}}


def loop_task(sample: List[Tuple[str, str]]) -> dict:
    return {
        "aws_search.cross_cluster.inbound_connection": {"connection_id": "{{ item.0 }}", "state": "{{ item.1 }}"},
        "loop": [list(pair) for pair in sample],
    }


def endpoint_call_ms(url: str) -> float:
    """Milliseconds per Describe call from one boto3 client: the endpoint's own speed."""
    client = boto3.client(
        "es",
        endpoint_url=url,
        region_name="us-east-1",
        aws_access_key_id=OWNER_A.access_key,
        aws_secret_access_key=OWNER_A.secret_key,
    )
    client.describe_inbound_cross_cluster_search_connections(MaxResults=1)
    started = time.monotonic()
    for _call in range(100):
        client.describe_inbound_cross_cluster_search_connections(MaxResults=1)
    return (time.monotonic() - started) * 10


def report(name: str, decisions: int, timing: Tuple[float, float], calls: Dict[str, int]) -> float:
    task, wall = timing
    per_decision = task / decisions
    print(f"{name}: {decisions} decisions, task {task:.2f} s, whole run {wall:.2f} s")
    print(f"  per decision: {per_decision * 1000:.1f} ms (task), {wall / decisions * 1000:.1f} ms (whole run)")
    print(f"  API calls: {sum(calls.values())} = {dict(sorted(calls.items()))}")
    return per_decision


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--sample", type=int, default=50)
    args = parser.parse_args()
    server = start_endpoint()
    try:
        print(f"local endpoint: {endpoint_call_ms(server.url):.1f} ms per Describe call from one client")
        seeded = seed_population(server.url, args.requests)
        policy_timing = play(server.url, policy_task())
        policy_calls = Counter(call["operation"] for call in control(server.url, "calls/take", {})["calls"])
        seeded = seed_population(server.url, args.requests)
        loop_timing = play(server.url, loop_task(seeded[: args.sample]))
        loop_calls = Counter(call["operation"] for call in control(server.url, "calls/take", {})["calls"])
    finally:
        server.stop()
    policy = report("inbound_connection_policy, one task", args.requests, policy_timing, policy_calls)
    pages = -(-args.requests // 100)
    print(f"  expected: {pages} pages + {args.requests} decisions = {pages + args.requests} calls")
    loop = report(f"loop: of inbound_connection, sample of {args.sample}", args.sample, loop_timing, loop_calls)
    print(f"ratio per decision (task time): {loop / policy:.0f}x less wall time with the policy")


if __name__ == "__main__":
    main()
