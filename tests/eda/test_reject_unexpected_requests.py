"""The rulebook reject_unexpected_requests, run by the real ansible-rulebook against the local endpoint.

Requests from the allowed account and from unexpected ones are seeded; the rulebook must reject every unexpected
one in the first policy run after its source's first poll, leave the allowed ones untouched, reject a request that
arrives while it runs in the first policy run after the poll that saw it, and call Reject exactly once per
unexpected request.

Both legs of `make test` share two cores: one `ansible` start can take seconds. So the tests wait with generous
limits and judge what happened from the endpoint's call log (which run made which call, in which order), never
from how fast this machine happened to be.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from local_endpoint.client import control
from local_endpoint.client import read
from local_endpoint.client import statuses
from local_endpoint.endpoint import Endpoint
from local_endpoint.server import start_endpoint
from local_endpoint.store import Store

from .harness import OWNER_A
from .harness import PARTNER
from .harness import Rulebook
from .harness import by_source
from .harness import operations
from .harness import seed_request
from .harness import wait_for

INTERVAL = 2.0
# Limits for a loaded machine; what the tests assert comes from the call log, not from these.
PATIENCE = 120
REJECT = {"es": "RejectInboundCrossClusterSearchConnection", "opensearch": "RejectInboundConnection"}
DESCRIBE = {"es": "DescribeInboundCrossClusterSearchConnections", "opensearch": "DescribeInboundConnections"}


@pytest.fixture(name="url")
def fixture_url():
    server = start_endpoint(Endpoint(store=Store(transition_seconds=0.5)))
    yield server.url
    server.stop()


def rejected(url: str, ids) -> bool:
    now = statuses(url)
    return all(now[connection_id] == "REJECTED" for connection_id in ids)


def first_policy_run_after(calls, since: float):
    """The calls of the first policy run that started after since: from its Describe to the next Describe of a run."""
    runs = [index for index, call in enumerate(calls) if not by_source(call) and call["operation"].startswith("Desc")]
    starts = [index for index in runs if calls[index]["time"] > since]
    assert starts, "no policy run started"
    later = [index for index in runs if index > starts[0]]
    return [call for call in calls[starts[0] : later[0] if later else len(calls)] if not by_source(call)]


def first_poll_after(calls, since: float) -> float:
    return next(call["time"] for call in calls if by_source(call) and call["time"] > since)


@pytest.mark.parametrize("api", ["es", "opensearch"])
def test_unexpected_requests_are_rejected_by_the_first_policy_run(url, tmp_path, api):
    allowed = [seed_request(url, PARTNER, api) for _request in range(2)]
    unexpected = [seed_request(url, owner, api) for owner in ("333333333333", "444444444444", "333333333333")]
    with Rulebook(url, tmp_path, api, INTERVAL) as rulebook:
        wait_for(lambda: rejected(url, unexpected), PATIENCE)
        wait_for(lambda: rulebook.actions_done() == len(allowed + unexpected), PATIENCE)
        calls = operations(url)
        first_poll = first_poll_after(calls, 0)
        first_run = first_policy_run_after(calls, first_poll)
        assert sorted(c["connection_id"] for c in first_run if c["operation"] == REJECT[api]) == sorted(unexpected)

        since = operations(url)[-1]["time"]
        arrival = seed_request(url, "555555555555", api, domain="other-logs")
        wait_for(lambda: rejected(url, [arrival]), PATIENCE)
        calls = operations(url)
        saw_it = first_poll_after(calls, since)
        assert [c["connection_id"] for c in first_policy_run_after(calls, saw_it) if c["operation"] == REJECT[api]] == [
            arrival
        ]
        unexpected.append(arrival)
        assert rulebook.running(), rulebook.output()

    now = statuses(url)
    assert [now[connection_id] for connection_id in allowed] == ["PENDING_ACCEPTANCE"] * 2
    rejects = [call["connection_id"] for call in operations(url) if call["operation"] == REJECT[api]]
    assert sorted(rejects) == sorted(unexpected), rulebook.output()
    writes = [call for call in operations(url) if call["operation"] not in (DESCRIBE[api], REJECT[api])]
    assert writes == []


def test_stopping_the_rulebook_ends_a_poll_in_flight_at_once(url, tmp_path):
    """The source's call hangs for 10 minutes; ansible-rulebook still stops when told to, long before botocore would
    give up on the call. (ansible-rulebook 1.3.2 ends its process without joining worker threads; the unit test
    test_cancelling_the_source_abandons_a_call_in_flight_without_waiting_for_it covers hosts that do join them.)"""
    with Rulebook(url, tmp_path, "es", INTERVAL) as rulebook:
        wait_for(lambda: any(by_source(call) for call in operations(url)), PATIENCE)
        control(url, "faults", {"operation": DESCRIBE["es"], "kind": "slow", "delay": 600, "count": 5})
        wait_for(lambda: read(url, "stats")["faults_left"] < 5, PATIENCE)
        stopped_in = rulebook.stop()
        assert not rulebook.running()
    # A slow answer is logged when it is sent, 10 minutes on: the process ended while the call was in flight.
    assert all(call.get("fault") != "slow" for call in operations(url))
    print(f"ansible-rulebook stopped {stopped_in:.1f} s after SIGTERM, with a poll in flight")


@pytest.mark.parametrize("profile", [False, True])
def test_no_secret_in_the_output_at_vv(url, tmp_path, profile):
    """Credentials from the environment or a profile: the secret is in no output at -vv. ansible-runner writes the
    environment of each action to its `command` artifact (mode 0600, in a private folder ansible-rulebook removes
    after the action): with a profile, the secret is not there either."""
    with Rulebook(url, tmp_path, "es", INTERVAL, options=["-vv"], keep_artifacts=True, profile=profile) as rulebook:
        request = seed_request(url, "333333333333", "es")
        wait_for(lambda: rejected(url, [request]), PATIENCE)
        wait_for(lambda: rulebook.actions_done() == 1, PATIENCE)
    output = rulebook.output()
    assert "source_args" in output, "at -vv ansible-rulebook prints the source arguments: nothing was tested"
    assert OWNER_A.secret_key not in output
    assert list(rulebook.artifacts.rglob("*")), "ansible-runner left no artifacts to read"
    holding = rulebook.artifacts_holding(OWNER_A.secret_key)
    if profile:
        assert holding == []
    else:
        assert holding and all(
            Path(path).name == "command" and Path(path).stat().st_mode & 0o077 == 0 for path in holding
        )
    assert "given as a source argument" not in output


def test_no_assumed_role_secret_in_the_output_at_vv(url, tmp_path):
    """The source assumes the account's role, and the playbook decide_requests assumes it again: neither the keys of
    those sessions nor their tokens are in ansible-rulebook's output at -vv (botocore logs answers at DEBUG)."""
    account = "666666666603"
    control(url, "accounts", {"account_id": account})
    destination = {"owner_id": account, "region": "eu-west-1", "domain_name": "shared-logs"}
    request = control(url, "connections", {"source": {"owner_id": "333333333333"}, "destination": destination})
    variables = {"iam_role_arns": [f"arn:aws:iam::{account}:role/search-guard"], "regions": ["eu-west-1"]}
    with Rulebook(url, tmp_path, "es", INTERVAL, options=["-vv"], more_vars=variables) as rulebook:
        wait_for(lambda: rejected(url, [request["connection_id"]]), PATIENCE)
        wait_for(lambda: rulebook.actions_done() == 1, PATIENCE)
    output = rulebook.output()
    assert "source_args" in output and "iam_role_arns" in output, "nothing was tested"
    temporary = [key for key in read(url, "keys")["keys"] if key["session_token"]]
    assert len(temporary) >= 2, temporary
    for key in temporary:
        assert key["secret_key"] not in output and key["session_token"] not in output, "an assumed role's secret leaked"


SECRET_IN_ARGUMENTS = """
- name: A source given its secret as an argument
  hosts: localhost
  sources:
    - aws_search.cross_cluster.inbound_connection_requests:
        region: us-east-1
        access_key: "{{ key_id }}"
        secret_key: "{{ secret }}"
  rules:
    - name: Nothing to do
      condition: event.cross_cluster_request is defined
      action:
        debug:
"""


def test_a_secret_given_as_a_source_argument_is_warned_about(url, tmp_path):
    rulebook_file = tmp_path / "secret_in_arguments.yml"
    rulebook_file.write_text(SECRET_IN_ARGUMENTS)
    secret = OWNER_A.secret_key
    (tmp_path / "secrets.yml").write_text(f"key_id: {OWNER_A.access_key}\nsecret: {secret}\n")
    options = ["--vars", str(tmp_path / "secrets.yml")]
    with Rulebook(url, tmp_path, "es", INTERVAL, options=options, rulebook=str(rulebook_file)) as rulebook:
        wait_for(lambda: "given as a source argument" in rulebook.output(), PATIENCE)
        wait_for(lambda: any(by_source(call) for call in operations(url)), PATIENCE)
    assert "secret_key is given as a source argument" in rulebook.output()
    assert secret not in rulebook.output()


def test_one_activation_decides_the_requests_of_every_account_in_their_own_account(url, tmp_path):
    """The source assumes a role per account (iam_role_arns); each request is decided by the playbook decide_requests
    with the role of its account, never with another account's credentials."""
    accounts = ["666666666601", "666666666602"]
    wanted = {}
    for account in accounts:
        control(url, "accounts", {"account_id": account})
        for owner, status in ((PARTNER, "PENDING_ACCEPTANCE"), ("333333333333", "REJECTED")):
            destination = {"owner_id": account, "region": "eu-west-1", "domain_name": "shared-logs"}
            seeded = control(url, "connections", {"source": {"owner_id": owner}, "destination": destination})
            wanted[seeded["connection_id"]] = status
    roles = [f"arn:aws:iam::{account}:role/search-guard" for account in accounts]
    variables = {"iam_role_arns": roles, "regions": ["eu-west-1"]}
    with Rulebook(url, tmp_path, "es", INTERVAL, more_vars=variables) as rulebook:
        wait_for(lambda: {key: statuses(url)[key] for key in wanted} == wanted, PATIENCE)
        assert rulebook.running(), rulebook.output()
    rejects = [call for call in operations(url) if call["operation"] == REJECT["es"]]
    assert len(rejects) == 2 and {call["account"] for call in rejects} == set(accounts), rejects
    sessions = {call.get("session_name") for call in operations(url) if call["operation"] == "AssumeRole"}
    assert sessions == {"aws-search-inbound-requests", "aws-search-decide-requests"}, sessions
