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
from typing import Optional
from typing import Sequence

import yaml
from local_endpoint.client import read
from local_endpoint.client import seed
from local_endpoint.endpoint import DEFAULT_KEYS

RULEBOOK = "aws_search.cross_cluster.reject_unexpected_requests"
OWNER_A = DEFAULT_KEYS[0]
PARTNER = "222222222222"
# What the event source sends in its User-Agent; the policy runs send amazon.aws's.
SOURCE_AGENT = "aws_search.cross_cluster.inbound_connection_requests"


def operations(url: str) -> List[dict]:
    return read(url, "calls")["calls"]


def by_source(call: dict) -> bool:
    """True for a call the event source made, False for one of a rule's module runs."""
    return SOURCE_AGENT in call.get("user_agent", "")


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

    def __init__(
        self,
        url: str,
        workdir: Path,
        api: str,
        interval: float,
        options: Sequence[str] = (),
        rulebook: str = RULEBOOK,
        keep_artifacts: bool = False,
        profile: bool = False,
        more_vars: Optional[dict] = None,
        more_env: Optional[dict] = None,
    ) -> None:
        variables = {"partners": [{"owner_id": PARTNER}], "aws_region": "us-east-1", "api": api, "interval": interval}
        variables.update(more_vars or {})
        # A variable given as None is left out of the --vars file, as a misspelled one is.
        variables = {name: value for name, value in variables.items() if value is not None}
        (workdir / "vars.yml").write_text(yaml.safe_dump(variables))
        inventory = {"all": {"hosts": {"localhost": {"ansible_connection": "local"}}}}
        inventory["all"]["hosts"]["localhost"]["ansible_python_interpreter"] = sys.executable
        (workdir / "inventory.yml").write_text(yaml.safe_dump(inventory))
        self.log = workdir / "ansible-rulebook.log"
        self.command: List[str] = ["ansible-rulebook", "-i", str(workdir / "inventory.yml"), "--rulebook", rulebook]
        self.command += ["--vars", str(workdir / "vars.yml"), *options]
        self.environment = dict(
            os.environ,
            AWS_ENDPOINT_URL=url,
            AWS_ACCESS_KEY_ID=OWNER_A.access_key,
            AWS_SECRET_ACCESS_KEY=OWNER_A.secret_key,
            ANSIBLE_LOCALHOST_WARNING="false",
            **(more_env or {}),
        )
        if profile:
            self._use_a_profile(workdir)
        self.artifacts = workdir / "tmp"
        if keep_artifacts:
            self.artifacts.mkdir()
            keeper = str(Path(__file__).parent / "keep_artifacts")
            python_path = os.pathsep.join(filter(None, [keeper, os.environ.get("PYTHONPATH")]))
            self.environment.update(TMPDIR=str(self.artifacts), EDA_KEEP_ARTIFACTS=str(self.artifacts))
            self.environment["PYTHONPATH"] = python_path
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

    def _use_a_profile(self, workdir: Path) -> None:
        """Credentials from a profile in a credentials file, so that no secret is in the environment."""
        credentials = workdir / "credentials"
        credentials.write_text(
            f"[owner-a]\naws_access_key_id = {OWNER_A.access_key}\naws_secret_access_key = {OWNER_A.secret_key}\n"
        )
        for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
            self.environment.pop(name)
        self.environment.update(AWS_SHARED_CREDENTIALS_FILE=str(credentials), AWS_PROFILE="owner-a")

    def stop(self) -> float:
        """SIGTERM, as a service manager stops it; the seconds until the process ended."""
        started = time.monotonic()
        os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(timeout=120)
        return time.monotonic() - started

    def artifacts_holding(self, text: str) -> List[str]:
        """The files ansible-runner left under the kept artifacts folder that contain text."""
        files = [path for path in self.artifacts.rglob("*") if path.is_file()]
        return [str(path) for path in files if text.encode() in path.read_bytes()]

    def running(self) -> bool:
        return self.process.poll() is None

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def actions_done(self) -> int:
        """How many rule actions (policy runs) have finished: each ends with its play's recap."""
        return self.output().count("PLAY RECAP")
