"""make test-aws's script and playbook, checked without AWS: it refuses without the opt-in, and against the local
endpoint (two profiles in a throwaway AWS configuration) it plays the handshake and deletes what it created, also
when a step fails."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from local_endpoint.client import control
from local_endpoint.client import read

from .harness import OWNER_A
from .harness import OWNER_B
from .harness import fault
from .harness import settings

ROOT = Path(__file__).resolve().parents[2]


def run_script(environment: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["sh", "tests/aws/run.sh"], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=600, check=False
    )


def profiles(tmp_path: Path) -> dict:
    credentials = tmp_path / "credentials"
    credentials.write_text(
        "".join(
            f"[{name}]\naws_access_key_id = {key.access_key}\naws_secret_access_key = {key.secret_key}\n"
            for name, key in (("account-a", OWNER_A), ("account-b", OWNER_B))
        )
    )
    (tmp_path / "config").write_text("")
    return {"AWS_SHARED_CREDENTIALS_FILE": str(credentials), "AWS_CONFIG_FILE": str(tmp_path / "config")}


def opted_in(url: str, tmp_path: Path, api: str) -> dict:
    return dict(
        os.environ,
        AWS_SEARCH_REAL_AWS="yes",
        AWS_SEARCH_PROFILE_A="account-a",
        AWS_SEARCH_PROFILE_B="account-b",
        AWS_SEARCH_REGION="us-east-1",
        AWS_SEARCH_DOMAIN_A="a-logs",
        AWS_SEARCH_DOMAIN_B="b-logs",
        AWS_SEARCH_API=api,
        AWS_SEARCH_ENDPOINT_URL=url,
        **profiles(tmp_path),
    )


def test_it_refuses_without_the_opt_in():
    environment = {key: value for key, value in os.environ.items() if not key.startswith("AWS_SEARCH_")}
    done = run_script(environment)
    assert done.returncode == 2 and "AWS_SEARCH_REAL_AWS=yes" in done.stderr


@pytest.mark.parametrize("api", ["es", "opensearch"])
def test_the_handshake_runs_and_leaves_nothing_behind(url, tmp_path, api):
    control(url, "domains", {"owner_id": OWNER_B.account, "domain_name": "b-logs"})
    settings(url, transition_seconds=0.3)
    done = run_script(opted_in(url, tmp_path, api))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "It creates and deletes no domain" in done.stdout
    statuses = [connection["status"] for connection in read(url, "connections")["connections"]]
    assert statuses == ["DELETED", "DELETED"]


def test_a_failed_step_still_deletes_what_was_created(url, tmp_path):
    control(url, "domains", {"owner_id": OWNER_B.account, "domain_name": "b-logs"})
    settings(url, transition_seconds=0.3)
    fault(url, "AcceptInboundConnection", code="AccessDeniedException")
    done = run_script(opted_in(url, tmp_path, "opensearch"))
    assert done.returncode != 0 and "AccessDeniedException" in done.stdout
    statuses = [connection["status"] for connection in read(url, "connections")["connections"]]
    assert statuses == ["DELETED", "DELETED"]
