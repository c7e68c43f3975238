"""The playbook the rulebooks run, decide_requests, as ansible-rulebook runs it (its extra variables): it checks its
variables before any AWS call and never decides in another account than the event's."""

from __future__ import annotations

import json
import subprocess
from typing import Any

from local_endpoint.client import control
from local_endpoint.client import seed

from .harness import OWNER_A
from .harness import fault
from .harness import playbook_environment
from .harness import take_calls

ACCOUNT, OTHER = "666666666611", "666666666612"


def decide(url: str, **extra: Any) -> subprocess.CompletedProcess:
    environment = playbook_environment(url, ANSIBLE_INVENTORY_UNPARSED_WARNING="false")
    command = ["ansible-playbook", "aws_search.cross_cluster.decide_requests", "-e", json.dumps(extra)]
    return subprocess.run(command, capture_output=True, text=True, env=environment, timeout=300, check=False)


def test_a_role_of_another_account_than_the_events_decides_nothing(url):
    for account in (ACCOUNT, OTHER):
        control(url, "accounts", {"account_id": account})
    seed(url, source={"owner_id": "333333333333"}, destination={"owner_id": ACCOUNT, "region": "eu-west-1"})
    role = f"arn:aws:iam::{OTHER}:role/search-guard"
    done = decide(url, partners=[], role_arn=role, account_id=ACCOUNT, aws_region="eu-west-1", role_region="us-east-1")
    assert done.returncode != 0 and f"not in the event's account {ACCOUNT}" in done.stdout, done.stdout
    assert [call for call in take_calls(url) if call not in ("AssumeRole",)] == [], done.stdout
    # The same request, with its own account's role, is decided; a number for account_id (as ansible-rulebook's
    # native templating hands it) is the same account.
    role = f"arn:aws:iam::{ACCOUNT}:role/search-guard"
    done = decide(url, partners=[], role_arn=role, account_id=int(ACCOUNT), aws_region="eu-west-1")
    assert done.returncode == 0 and "RejectInboundCrossClusterSearchConnection" in take_calls(url), done.stdout


def test_each_variable_that_is_missing_or_wrong_is_named_before_any_call(url):
    done = decide(url, partners="222222222222", aws_region="eu-wst", api="opensearc", account_id="12")
    said = " ".join(done.stdout.split())
    assert done.returncode != 0, said
    for problem in ("partners must be a list of allow entries", "aws_region must be a region name", "api must be es"):
        assert problem in said, said
    assert "account_id must be the 12-digit account id" in said and take_calls(url) == [], said
    done = decide(url, aws_region="eu-west-1")
    assert "partners is not defined" in " ".join(done.stdout.split()), done.stdout


def test_a_role_that_cannot_be_taken_is_named_with_its_account_never_hidden(url):
    role = "arn:aws:iam::999999999999:role/search-guard"  # the endpoint does not know the account: refused
    done = decide(url, partners=[], role_arn=role, account_id="999999999999", aws_region="eu-west-1")
    said = " ".join(done.stdout.split())
    assert done.returncode != 0 and f"Could not take the role {role} of account 999999999999" in said, said
    assert "AccessDenied" in said or "not authorized" in said, said


def test_with_a_role_the_events_account_is_required(url):
    role = f"arn:aws:iam::{ACCOUNT}:role/search-guard"
    done = decide(url, partners=[], role_arn=role, aws_region="eu-west-1")
    assert "account_id is not defined: with role_arn" in " ".join(done.stdout.split()), done.stdout
    assert take_calls(url) == []


def test_the_organization_playbook_names_a_partners_its_rulebook_did_not_define(url):
    extra = {"partners": None, "aws_region": "eu-west-1"}
    command = ["ansible-playbook", "aws_search.cross_cluster.organization_allowlist", "-e", json.dumps(extra)]
    environment = playbook_environment(url)
    done = subprocess.run(command, capture_output=True, text=True, env=environment, timeout=300, check=False)
    assert done.returncode != 0 and "partners is not defined" in " ".join(done.stdout.split()), done.stdout
    assert take_calls(url) == []


def test_a_decision_that_fails_is_one_line_naming_the_connection_the_account_and_why(url):
    connection = seed(url, source={"owner_id": "333333333333"}, destination={"region": "eu-west-1"})
    fault(url, "RejectInboundCrossClusterSearchConnection", code="AccessDeniedException")
    done = decide(url, partners=[], aws_region="eu-west-1", account_id=OWNER_A.account)
    said = " ".join(done.stdout.split())
    assert done.returncode != 0, said
    line = (
        f"{connection} from 333333333333/partner-logs to my-logs (account {OWNER_A.account}, eu-west-1): reject failed:"
    )
    assert line in said and "es:RejectInboundConnection" in said, said
