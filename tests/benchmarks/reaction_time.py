"""Benchmark: how long the rulebook reject_unexpected_requests takes to reject a request that arrives, with the
real ansible-rulebook against the local endpoint (interval 1 second): request created -> REJECTING, over 20 requests
created one after the other, each once the previous one is rejected. Reports the median and the worst.
A script, not a test: `make benchmark` runs it; numbers vary with the machine.

    PYTHONPATH=tests python tests/benchmarks/reaction_time.py [--requests 20] [--interval 1]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from eda.harness import Rulebook
from eda.harness import operations
from eda.harness import seed_request
from eda.harness import wait_for
from local_endpoint.client import statuses
from local_endpoint.server import start_endpoint

STRANGER = "333333333333"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--interval", type=float, default=1.0)
    args = parser.parse_args()
    server = start_endpoint()
    reactions = []
    with tempfile.TemporaryDirectory() as workdir, Rulebook(server.url, Path(workdir), "es", args.interval) as rulebook:
        try:
            wait_for(lambda: len(operations(server.url)) > 0, 60)
            for number in range(args.requests):
                created = time.monotonic()
                request = seed_request(server.url, STRANGER, "es")
                wait_for(lambda: statuses(server.url)[request] != "PENDING_ACCEPTANCE", 60, step=0.01)
                reactions.append(time.monotonic() - created)
                wait_for(lambda: rulebook.actions_done() == number + 1, 60)
        finally:
            server.stop()
    print(f"requests: {args.requests}, interval: {args.interval} s")
    print(
        f"reaction time (created -> REJECTING): median {statistics.median(reactions):.2f} s, worst {max(reactions):.2f} s"
    )


if __name__ == "__main__":
    main()
