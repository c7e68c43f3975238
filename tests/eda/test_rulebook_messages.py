"""What the shipped rulebooks say, run by the real ansible-rulebook against the local endpoint: a misspelled
variable is named (never a Python error, never a request left pending in silence), each decision is one line naming
the connection, the account, what was done and why, and an account the source cannot watch fires a rule."""

from __future__ import annotations

import pytest
from local_endpoint.client import control
from local_endpoint.client import statuses
from local_endpoint.endpoint import Endpoint
from local_endpoint.server import start_endpoint
from local_endpoint.store import Store

from .harness import OWNER_A
from .harness import Rulebook
from .harness import operations
from .harness import seed_request
from .harness import wait_for

INTERVAL = 1.0
PATIENCE = 120
STRANGER = "333333333333"


@pytest.fixture(name="url")
def fixture_url():
    server = start_endpoint(Endpoint(store=Store(transition_seconds=0.5)))
    yield server.url
    server.stop()


def decisions(url: str):
    return [call for call in operations(url) if call["operation"].startswith(("Reject", "Accept", "Delete"))]


def test_each_decision_is_one_line_naming_the_connection_the_account_what_was_done_and_why(url, tmp_path):
    unexpected = seed_request(url, STRANGER, "es")
    with Rulebook(url, tmp_path, "es", INTERVAL) as rulebook:
        line = f"{unexpected} from {STRANGER}/partner-logs to shared-logs (account {OWNER_A.account}, us-east-1):"
        wait_for(lambda: line in " ".join(rulebook.output().split()), PATIENCE)
    said = " ".join(rulebook.output().split())
    assert f"{line} rejected (PENDING_ACCEPTANCE to REJECTING), no allow entry matches" in said, said


def test_a_misspelled_partners_is_named_and_nothing_is_decided(url, tmp_path):
    unexpected = seed_request(url, STRANGER, "es")
    variables = {"partners": None, "partner": [{"owner_id": "222222222222"}]}
    with Rulebook(url, tmp_path, "es", INTERVAL, more_vars=variables) as rulebook:
        wait_for(lambda: "partners is not defined" in rulebook.output(), PATIENCE)
        assert rulebook.running(), rulebook.output()
    assert "dictionary update sequence" not in rulebook.output()
    assert "check the spelling of partners" in " ".join(rulebook.output().split())
    assert statuses(url)[unexpected] == "PENDING_ACCEPTANCE" and decisions(url) == []


def test_a_misspelled_aws_region_ends_the_source_with_a_sentence_that_names_it(url, tmp_path):
    variables = {"aws_region": None, "aws_regoin": "us-east-1"}
    with Rulebook(url, tmp_path, "es", INTERVAL, more_vars=variables) as rulebook:
        wait_for(lambda: not rulebook.running() or "does not define" in rulebook.output(), PATIENCE)
    said = rulebook.output()
    assert "region is a variable the rulebook does not define" in said and "aws_region" in said, said
    assert "TypeError" not in said and "StrictUndefined'" not in said, said
    assert operations(url) == []


def test_an_account_the_source_cannot_watch_fires_the_rule_that_says_so(url, tmp_path):
    good = "666666666603"
    control(url, "accounts", {"account_id": good})
    roles = [f"arn:aws:iam::{account}:role/search-guard" for account in ("999999999999", good)]
    variables = {"iam_role_arns": roles, "regions": ["eu-west-1"]}
    with Rulebook(url, tmp_path, "es", INTERVAL, more_vars=variables) as rulebook:
        wait_for(lambda: "NOT WATCHED" in rulebook.output(), PATIENCE)
        assert rulebook.running(), rulebook.output()
    said = " ".join(rulebook.output().split())
    assert "NOT WATCHED: account 999999999999 in eu-west-1 (es)" in said and "sts:AssumeRole" in said, said
    assert f"account {good}" not in said.split("NOT WATCHED")[1][:40], said
