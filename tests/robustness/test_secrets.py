"""Every module, in successful and failed runs at -vvv: the secret key and the session token never appear."""

from __future__ import annotations

import json
import os
import subprocess

import boto3
from local_endpoint.client import control
from local_endpoint.client import read
from local_endpoint.client import seed

from .harness import OWNER_A
from .harness import credentials
from .harness import fault
from .harness import playbook_environment
from .harness import run_module
from .harness import temporary_credentials
from .test_faults import MODULES

SESSION_TOKEN = "local-session-token-that-must-not-leak"


def test_no_module_ever_shows_the_secret_key_or_the_session_token(url):
    keys = temporary_credentials(url)
    runs = []
    for module, (args, describe, _calls) in MODULES.items():
        args = dict(args, **dict(credentials(url), **keys))
        if module == "inbound_connection":
            args["connection_id"] = seed(url)
        runs.append((module, "ok", run_module(module, args, verbosity=3, as_user=True)))
        fault(url, describe, code="AccessDeniedException")
        runs.append((module, "failed", run_module(module, args, verbosity=3, as_user=True)))
    for module, outcome, run in runs:
        assert run.failed is (outcome == "failed"), run.output
        assert keys["secret_key"] not in run.output, f"{module} ({outcome}) shows the secret key"
        assert keys["session_token"] not in run.output, f"{module} ({outcome}) shows the session token"
    # The sweep reads what -vvv shows: the module arguments, with the access key id among them.
    assert [(module, outcome) for module, outcome, run in runs if keys["access_key"] not in run.output] == []


def test_the_shipped_playbook_shows_no_secret_at_vvv(url, moto_url, tmp_path):
    """organization_allowlist with credentials from the environment, as its header asks; moto answers any key."""
    create_organization(moto_url)
    seed(url, source={"owner_id": "333333333333"})
    keys = temporary_credentials(url)
    environment = dict(
        os.environ,
        AWS_ACCESS_KEY_ID=keys["access_key"],
        AWS_SECRET_ACCESS_KEY=keys["secret_key"],
        AWS_SESSION_TOKEN=keys["session_token"],
        AWS_ENDPOINT_URL=url,
        AWS_ENDPOINT_URL_ORGANIZATIONS=moto_url,
        ANSIBLE_LOCALHOST_WARNING="false",
        ANSIBLE_INVENTORY_UNPARSED_WARNING="false",
    )
    command = [
        "ansible-playbook",
        "-vvv",
        "aws_search.cross_cluster.organization_allowlist",
        "-e",
        "aws_region=us-east-1",
    ]
    done = subprocess.run(command, capture_output=True, text=True, env=environment, timeout=300, check=False)
    output = done.stdout + done.stderr
    assert done.returncode == 0 and "rejected" in output, output
    assert keys["secret_key"] not in output and keys["session_token"] not in output


def test_organization_accounts_info_shows_no_secret_at_vvv(moto_url):
    args = dict(endpoint_url=moto_url, access_key=OWNER_A.access_key, secret_key=OWNER_A.secret_key)
    args["session_token"] = SESSION_TOKEN
    runs = [run_module("organization_accounts_info", args, verbosity=3, as_user=True)]
    create_organization(moto_url)
    runs.append(run_module("organization_accounts_info", args, verbosity=3, as_user=True))
    assert [run.failed for run in runs] == [True, False], runs[-1].output
    for run in runs:
        assert OWNER_A.secret_key not in run.output and SESSION_TOKEN not in run.output
        assert OWNER_A.access_key in run.output


def create_organization(moto_url: str) -> None:
    client = boto3.client(
        "organizations",
        region_name="us-east-1",
        endpoint_url=moto_url,
        aws_access_key_id="AKIDX",
        aws_secret_access_key="x",
    )
    client.create_organization(FeatureSet="ALL")


def test_the_guard_playbook_shows_no_secret_at_vvv(url, tmp_path):
    """The guard over one account's domains, its role assumed by the inventory and by the play: no secret of the base
    keys, nor of the temporary keys AssumeRole handed out, appears at -vvv."""
    control(url, "accounts", {"account_id": "444444444444"})
    control(url, "hosted_domains", {"owner_id": "444444444444", "region": "us-east-1", "domain_names": ["shared-logs"]})
    destination = {"owner_id": "444444444444", "domain_name": "shared-logs"}
    seed(url, source={"owner_id": "333333333333"}, destination=destination)
    source = {"plugin": "aws_search.cross_cluster.domains", "regions": ["us-east-1"], "endpoint_url": url}
    source["iam_role_arn"] = "arn:aws:iam::444444444444:role/search-guard"
    (tmp_path / "a.domains.aws_search.yml").write_text(json.dumps(source))
    extra = json.dumps({"allow": [{"owner_id": "222222222222"}], "report_dir": str(tmp_path / "report")})
    command = ["ansible-playbook", "-vvv", "aws_search.cross_cluster.guard", "-i", str(tmp_path), "-e", extra]
    environment = playbook_environment(url, ANSIBLE_INVENTORY_ANY_UNPARSED_IS_FAILED="true")
    done = subprocess.run(command, capture_output=True, text=True, env=environment, timeout=300, check=False)
    output = done.stdout + done.stderr
    assert done.returncode == 0 and "REJECTING" in output, output
    temporary = [key for key in read(url, "keys")["keys"] if key["session_token"]]
    assert len(temporary) >= 2, "the inventory and the play each assume the role"
    secrets = (
        [OWNER_A.secret_key] + [key["secret_key"] for key in temporary] + [key["session_token"] for key in temporary]
    )
    assert [secret for secret in secrets if secret in output] == []
