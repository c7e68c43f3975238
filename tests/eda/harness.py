"""Run the collection's rulebook with the real ansible-rulebook against a local endpoint, for tests and benchmarks.

The collection must be on ANSIBLE_COLLECTIONS_PATH and ansible-rulebook (with Java 17) on PATH, as `make eda-tests`
and `make benchmark` arrange.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable
from typing import List

import yaml
from local_endpoint.client import read
from local_endpoint.client import seed
from local_endpoint.endpoint import DEFAULT_KEYS

RULEBOOK = "aws_search.cross_cluster.reject_unexpected_requests"
OWNER_A = DEFAULT_KEYS[0]
PARTNER = "222222222222"


def operations(url: str) -> List[dict]:
    return read(url, "calls")["calls"]


def seed_request(url: str, owner: str, api: str, domain: str = "shared-logs") -> str:
    return seed(url, source={"owner_id": owner}, destination={"domain_name": domain}, created_with=api)


def wait_for(check: Callable[[], bool], timeout: float, step: float = 0.05) -> float:
    """Seconds until check() held; AssertionError after timeout seconds."""
    started = time.monotonic()
    while not check():
        if time.monotonic() - started > timeout:
            raise AssertionError(f"not within {timeout} seconds")
        time.sleep(step)
    return time.monotonic() - started


class Rulebook:
    """ansible-rulebook running reject_unexpected_requests against the endpoint at url, as account A."""

    def __init__(self, url: str, workdir: Path, api: str, interval: float) -> None:
        variables = {"partners": [{"owner_id": PARTNER}], "aws_region": "us-east-1", "api": api, "interval": interval}
        (workdir / "vars.yml").write_text(yaml.safe_dump(variables))
        inventory = {"all": {"hosts": {"localhost": {"ansible_connection": "local"}}}}
        inventory["all"]["hosts"]["localhost"]["ansible_python_interpreter"] = sys.executable
        (workdir / "inventory.yml").write_text(yaml.safe_dump(inventory))
        self.log = workdir / "ansible-rulebook.log"
        self.command: List[str] = ["ansible-rulebook", "-i", str(workdir / "inventory.yml"), "--rulebook", RULEBOOK]
        self.command += ["--vars", str(workdir / "vars.yml")]
        self.environment = dict(
            os.environ,
            AWS_ENDPOINT_URL=url,
            AWS_ACCESS_KEY_ID=OWNER_A.access_key,
            AWS_SECRET_ACCESS_KEY=OWNER_A.secret_key,
            ANSIBLE_LOCALHOST_WARNING="false",
        )
        self.process: "subprocess.Popen[bytes]"

    def __enter__(self) -> "Rulebook":
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen(
                self.command, env=self.environment, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def running(self) -> bool:
        return self.process.poll() is None

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def actions_done(self) -> int:
        """How many rule actions (policy runs) have finished: each ends with its play's recap."""
        return self.output().count("PLAY RECAP")
