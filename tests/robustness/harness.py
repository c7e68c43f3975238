"""Run the collection's modules through `ansible` against an in-process local endpoint, as users run them.

The collection must be on ANSIBLE_COLLECTIONS_PATH and ansible on PATH, as `make robustness-tests` arranges.
"""

from __future__ import annotations

import json
import os
import subprocess
import time
from dataclasses import dataclass
from typing import Any
from typing import Dict
from typing import List
from typing import Optional

import boto3
from local_endpoint.client import control
from local_endpoint.client import read
from local_endpoint.client import statuses
from local_endpoint.endpoint import DEFAULT_KEYS

OWNER_A, OWNER_B = DEFAULT_KEYS
COLLECTION = "aws_search.cross_cluster"


@dataclass
class Run:
    """One module run: its result (as the json callback reports it), everything it printed, and how long it took."""

    result: Dict[str, Any]
    output: str
    seconds: float

    @property
    def failed(self) -> bool:
        return bool(self.result.get("failed"))

    @property
    def changed(self) -> bool:
        return bool(self.result.get("changed"))

    @property
    def msg(self) -> str:
        return str(self.result.get("msg", ""))


def credentials(url: str, key=OWNER_A, region: str = "us-east-1") -> Dict[str, str]:
    return {"endpoint_url": url, "access_key": key.access_key, "secret_key": key.secret_key, "region": region}


def playbook_environment(url: str, **settings: str) -> Dict[str, str]:
    """The environment of ansible-playbook runs against the endpoint at url, as account A, plus settings."""
    return dict(
        os.environ,
        AWS_ACCESS_KEY_ID=OWNER_A.access_key,
        AWS_SECRET_ACCESS_KEY=OWNER_A.secret_key,
        AWS_ENDPOINT_URL=url,
        ANSIBLE_LOCALHOST_WARNING="false",
        **settings,
    )


def run_module(
    module: str, args: Dict[str, Any], check: bool = False, verbosity: int = 0, as_user: bool = False
) -> Run:
    """Run COLLECTION.module once with args; never raises for a failed task.

    as_user: with the default output a user sees (only whether it failed is read from it), not the json callback's.
    """
    command = ["ansible", "localhost", "-m", f"{COLLECTION}.{module}", "-a", json.dumps(args)]
    command += ["--check"] * check + ([f"-{'v' * verbosity}"] if verbosity else [])
    environment = dict(
        os.environ,
        ANSIBLE_LOAD_CALLBACK_PLUGINS="true",
        ANSIBLE_STDOUT_CALLBACK="default" if as_user else "json",
        # Since ansible-core 2.21 results carry the module arguments only when asked to: ask, to show them.
        ANSIBLE_INJECT_INVOCATION="true",
        ANSIBLE_LOCALHOST_WARNING="false",
        ANSIBLE_INVENTORY_UNPARSED_WARNING="false",
        ANSIBLE_PYTHON_INTERPRETER=os.environ.get("ANSIBLE_PYTHON_INTERPRETER", "auto_silent"),
    )
    started = time.monotonic()
    done = subprocess.run(command, capture_output=True, text=True, env=environment, timeout=300, check=False)
    seconds = time.monotonic() - started
    result = {"failed": done.returncode != 0} if as_user else _result_of(done.stdout)
    return Run(result, done.stdout + done.stderr, seconds)


def _result_of(stdout: str) -> Dict[str, Any]:
    start = stdout.find("{")
    if start < 0:
        return {"failed": True, "msg": f"no JSON in the output: {stdout}"}
    report = json.loads(stdout[start:])
    return report["plays"][0]["tasks"][0]["hosts"]["localhost"]


def take_calls(url: str, count: int = 0, deadline: float = 60.0) -> List[str]:
    """The operations called since the last take, once the log holds at least count of them: a slow answer is logged
    when it is sent, after the client gave up on it. The deadline only bounds a broken run; the call log decides."""
    end = time.monotonic() + deadline
    while count and len(read(url, "calls")["calls"]) < count and time.monotonic() < end:
        time.sleep(0.05)
    return [call["operation"] for call in control(url, "calls/take", {})["calls"]]


def status_of(url: str, connection_id: str) -> Optional[str]:
    return statuses(url).get(connection_id)


def fault(url: str, operation: str, **spec: Any) -> None:
    control(url, "faults", {"operation": operation, **spec})


def settings(url: str, **values: float) -> None:
    control(url, "settings", values)


def temporary_credentials(url: str, account: str = OWNER_A.account) -> Dict[str, str]:
    """Keys with a session token, from STS AssumeRole of a role in account (the endpoint requires the token with
    them, and refuses it with long-term keys, as AWS does)."""
    sts = boto3.client(
        "sts",
        region_name="us-east-1",
        endpoint_url=url,
        aws_access_key_id=OWNER_A.access_key,
        aws_secret_access_key=OWNER_A.secret_key,
    )
    keys = sts.assume_role(RoleArn=f"arn:aws:iam::{account}:role/secrets-test", RoleSessionName="secrets-test")
    keys = keys["Credentials"]
    return {
        "access_key": keys["AccessKeyId"],
        "secret_key": keys["SecretAccessKey"],
        "session_token": keys["SessionToken"],
    }
