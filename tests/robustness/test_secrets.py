"""Every module, in successful and failed runs at -vvv: the secret key and the session token never appear."""

from __future__ import annotations

import os
import subprocess

import boto3
from local_endpoint.client import seed

from .harness import OWNER_A
from .harness import credentials
from .harness import fault
from .harness import run_module
from .test_faults import MODULES

SESSION_TOKEN = "local-session-token-that-must-not-leak"


def test_no_module_ever_shows_the_secret_key_or_the_session_token(url):
    runs = []
    for module, (args, describe, _calls) in MODULES.items():
        args = dict(args, session_token=SESSION_TOKEN, **credentials(url))
        if module == "inbound_connection":
            args["connection_id"] = seed(url)
        runs.append((module, "ok", run_module(module, args, verbosity=3, as_user=True)))
        fault(url, describe, code="AccessDeniedException")
        runs.append((module, "failed", run_module(module, args, verbosity=3, as_user=True)))
    for module, outcome, run in runs:
        assert run.failed is (outcome == "failed"), run.output
        assert OWNER_A.secret_key not in run.output, f"{module} ({outcome}) shows the secret key"
        assert SESSION_TOKEN not in run.output, f"{module} ({outcome}) shows the session token"
    # The sweep reads what -vvv shows: the module arguments, with the access key id among them.
    assert [(module, outcome) for module, outcome, run in runs if OWNER_A.access_key not in run.output] == []


def test_the_shipped_playbook_shows_no_secret_at_vvv(url, moto_url, tmp_path):
    """organization_allowlist with credentials from the environment, as its header asks; moto answers any key."""
    boto3.client(
        "organizations",
        region_name="us-east-1",
        endpoint_url=moto_url,
        aws_access_key_id="AKIDX",
        aws_secret_access_key="x",
    ).create_organization(FeatureSet="ALL")
    seed(url, source={"owner_id": "333333333333"})
    environment = dict(
        os.environ,
        AWS_ACCESS_KEY_ID=OWNER_A.access_key,
        AWS_SECRET_ACCESS_KEY=OWNER_A.secret_key,
        AWS_SESSION_TOKEN=SESSION_TOKEN,
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
    assert OWNER_A.secret_key not in output and SESSION_TOKEN not in output


def test_organization_accounts_info_shows_no_secret_at_vvv(moto_url):
    args = dict(endpoint_url=moto_url, access_key=OWNER_A.access_key, secret_key=OWNER_A.secret_key)
    args["session_token"] = SESSION_TOKEN
    runs = [run_module("organization_accounts_info", args, verbosity=3, as_user=True)]
    boto3.client(
        "organizations",
        region_name="us-east-1",
        endpoint_url=moto_url,
        aws_access_key_id="AKIDX",
        aws_secret_access_key="x",
    ).create_organization(FeatureSet="ALL")
    runs.append(run_module("organization_accounts_info", args, verbosity=3, as_user=True))
    assert [run.failed for run in runs] == [True, False], runs[-1].output
    for run in runs:
        assert OWNER_A.secret_key not in run.output and SESSION_TOKEN not in run.output
        assert OWNER_A.access_key in run.output
