"""The demo's last act: the rulebook reject_unexpected_requests runs, a request arrives, and is rejected.

Runs while `make demo`'s local endpoint serves at $LOCAL_AWS_ENDPOINT_URL; the allowlist names account 222222222222.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from eda.harness import Rulebook
from eda.harness import operations
from eda.harness import seed_request
from eda.harness import wait_for
from local_endpoint.client import control
from local_endpoint.client import statuses


def main() -> None:
    url = os.environ["LOCAL_AWS_ENDPOINT_URL"]
    control(url, "reset", {})
    with tempfile.TemporaryDirectory() as workdir, Rulebook(url, Path(workdir), "es", 1.0) as rulebook:
        started = wait_for(lambda: len(operations(url)) > 0, 60)
        print(f"ansible-rulebook is running; its event source polls every second (first poll after {started:.1f} s)")
        request = seed_request(url, "333333333333", "es")
        print(
            f"account 333333333333, not on the allowlist, asks to connect to shared-logs: {request} is PENDING_ACCEPTANCE"
        )
        seconds = wait_for(lambda: statuses(url)[request] != "PENDING_ACCEPTANCE", 60)
        print(f"{seconds:.1f} s later the rulebook's policy run has decided it: {request} is {statuses(url)[request]}")
        wait_for(lambda: rulebook.actions_done() == 1, 60)
    print("ansible-rulebook stopped")


if __name__ == "__main__":
    main()
