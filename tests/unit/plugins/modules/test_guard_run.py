"""guard_run's main() on stubbed clients: the role taken in the process and its keys given to the run's clients only
(never returned), the calls of the three modules it stands for, the account checked before any other call, what a
failed step leaves in the result, options checked before any call, every returned key documented."""

from __future__ import annotations

import json

import boto3
import pytest
import yaml
from botocore.stub import Stubber

from ansible_collections.aws_search.cross_cluster.plugins.modules import guard_run
from ansible_collections.aws_search.cross_cluster.tests.unit.module_docs import assert_documented
from ansible_collections.aws_search.cross_cluster.tests.unit.module_docs import patch_module_args
from ansible_collections.aws_search.cross_cluster.tests.unit.plugins.modules.test_domain_access_policy import described
from ansible_collections.aws_search.cross_cluster.tests.unit.stubbed_api import wire_connection

MODULE_UTILS = "ansible_collections.aws_search.cross_cluster.plugins.module_utils.guard_run"
ACCOUNT, OTHER = "111111111111", "999999999999"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/search-guard"
SECRET, TOKEN = "role-secret-never-shown", "role-session-token-never-shown"


class Clients:
    """The stubbed STS and Security Hub clients, the connection API's, and the keyword arguments each was made with."""

    def __init__(self, stubbed):
        self.stubbed = stubbed
        keys = dict(region_name="eu-west-1", aws_access_key_id="AKIDTEST", aws_secret_access_key="x")
        self.sts, self.hub = boto3.client("sts", **keys), boto3.client("securityhub", **keys)
        self.made = {}

    def aws_client(self, module, service, pool_size=10, **connection):
        self.made[service] = connection
        return {"sts": self.sts, "securityhub": self.hub}[service]

    def connection_client(self, module, api, pool_size=10, **connection):
        self.made[api.client_name] = connection
        return self.stubbed.client


def run(capsys, monkeypatch, clients, **args):
    monkeypatch.setattr(f"{MODULE_UTILS}.aws_client", clients.aws_client)
    monkeypatch.setattr(f"{MODULE_UTILS}.connection_client", clients.connection_client)
    params = {"api": clients.stubbed.api.name, "region": "eu-west-1", "account_id": ACCOUNT, "allow": []}
    params = {**params, "domain_names": ["my-logs"], **args}
    with patch_module_args(params), pytest.raises(SystemExit):
        guard_run.main()
    return json.loads(capsys.readouterr().out)


def assumed(account=ACCOUNT):
    credentials = {"AccessKeyId": "ASIATESTTESTTEST1", "SecretAccessKey": SECRET, "SessionToken": TOKEN}
    credentials["Expiration"] = "2099-01-01T00:00:00Z"
    user = {"AssumedRoleId": "AROATESTTESTTEST1:run", "Arn": f"arn:aws:sts::{account}:assumed-role/search-guard/run"}
    return {"Credentials": credentials, "AssumedRoleUser": user}


def listing(stubbed, connections, names=("my-logs",)):
    expected = {
        "Filters": [{"Name": stubbed.api.filter_name("destination_domain_names"), "Values": list(names)}],
        "MaxResults": 100,
    }
    stubbed.expect_page("inbound", connections, expected)


@pytest.mark.parametrize("check_mode", [True, False])
def test_one_process_takes_the_role_decides_judges_and_sends_with_the_roles_keys_never_returned(
    capsys, monkeypatch, stubbed, check_mode
):
    clients = Clients(stubbed)
    sts, hub = Stubber(clients.sts), Stubber(clients.hub)
    sts.add_response("assume_role", assumed(), {"RoleArn": ROLE, "RoleSessionName": "aws-search-guard-1"})
    listing(stubbed, [wire_connection(stubbed.api.name, "PENDING_ACCEPTANCE")])
    if not check_mode:
        stubbed.expect_action("reject", "REJECTING")
    described(stubbed, ("my-logs",))
    hub.add_response("get_findings", {"Findings": []})
    if not check_mode:
        hub.add_response("batch_import_findings", {"FailedCount": 0, "SuccessCount": 1, "FailedFindings": []})
    args = dict(
        role_arn=ROLE, role_session_name="aws-search-guard-1", security_hub=True, _ansible_check_mode=check_mode
    )
    with sts, hub:
        result = run(capsys, monkeypatch, clients, _ansible_diff=True, **args)
    sts.assert_no_pending_responses()
    hub.assert_no_pending_responses()
    assert not result.get("failed"), result
    role_keys = {"aws_access_key_id": "ASIATESTTESTTEST1", "aws_secret_access_key": SECRET, "aws_session_token": TOKEN}
    assert clients.made == {
        "sts": {"region": "eu-west-1"},
        stubbed.api.client_name: dict(role_keys, profile_name=None),
        "securityhub": dict(role_keys, profile_name=None),
    }
    assert SECRET not in json.dumps(result) and TOKEN not in json.dumps(result)
    assert [decision["action"] for decision in result["decisions"]] == ["reject"] and result["changed"]
    assert [(f["domain_name"], f["path"]) for f in result["findings"]] == [("my-logs", "access_policy")]
    assert len(result["security_hub"]["imported"]) == 1 and result["security_hub"]["archived"] == []
    assert "is rejected" in result["diff"][0]["prepared"], result["diff"]
    assert_documented(result, yaml.safe_load(guard_run.RETURN), stubbed.api.name)


def test_another_accounts_role_is_refused_before_any_other_call(capsys, monkeypatch, stubbed):
    clients = Clients(stubbed)
    sts = Stubber(clients.sts)
    sts.add_response("assume_role", assumed(OTHER))
    with sts:
        result = run(capsys, monkeypatch, clients, role_arn=f"arn:aws:iam::{OTHER}:role/search-guard")
    assert result["failed"] and f"is in account {OTHER}, not in the domains' account {ACCOUNT}" in result["msg"]
    assert result["decisions"] == [] and result["domains"] is None and set(clients.made) == {"sts"}


def test_a_role_refused_is_named_with_what_to_grant(capsys, monkeypatch, stubbed):
    clients = Clients(stubbed)
    sts = Stubber(clients.sts)
    sts.add_client_error("assume_role", "AccessDenied", "not authorized to perform: sts:AssumeRole", 403)
    with sts:
        result = run(capsys, monkeypatch, clients, role_arn=ROLE, role_region="us-west-2")
    assert result["failed"] and result["msg"].startswith(f"Could not take the role {ROLE} (region us-west-2)")
    assert "grant these credentials sts:AssumeRole on it" in result["msg"] and SECRET not in json.dumps(result)


def test_without_a_role_the_tasks_own_credentials_are_checked_and_used(capsys, monkeypatch, stubbed):
    clients = Clients(stubbed)
    sts = Stubber(clients.sts)
    identity = {"Account": ACCOUNT, "Arn": f"arn:aws:iam::{ACCOUNT}:user/guard", "UserId": "AIDATEST"}
    sts.add_response("get_caller_identity", identity, {})
    listing(stubbed, [])
    described(stubbed, ("my-logs",))
    with sts:
        result = run(capsys, monkeypatch, clients, allow=[{"owner_id": "333333333333"}])
    assert not result.get("failed") and result["findings"] == [] and result["security_hub"] is None, result
    assert clients.made == {"sts": {"region": "eu-west-1"}, stubbed.api.client_name: {}}


def test_the_plays_own_credentials_of_another_account_are_refused_before_any_other_call(capsys, monkeypatch, stubbed):
    clients = Clients(stubbed)
    sts = Stubber(clients.sts)
    identity = {"Account": OTHER, "Arn": f"arn:aws:iam::{OTHER}:user/guard", "UserId": "AIDATEST"}
    sts.add_response("get_caller_identity", identity, {})
    with sts:
        result = run(capsys, monkeypatch, clients)
    assert result["failed"] and "come from an inventory source without iam_role_arn" in result["msg"], result
    assert result["decisions"] == [] and result["domains"] is None and set(clients.made) == {"sts"}


def test_a_revocation_that_fails_after_the_decisions_keeps_both_for_the_report(capsys, monkeypatch, stubbed):
    clients = Clients(stubbed)
    sts, hub = Stubber(clients.sts), Stubber(clients.hub)
    sts.add_response("assume_role", assumed())
    names = ("my-logs", "vpc-logs")
    listing(stubbed, [wire_connection(stubbed.api.name, "PENDING_ACCEPTANCE")], names)
    stubbed.expect_action("reject", "REJECTING")
    described(stubbed, names)
    stubbed.stubber.add_client_error("revoke_vpc_endpoint_access", "AccessDeniedException", "no", 403)
    stubbed.stubber.add_response("revoke_vpc_endpoint_access", {})
    args = dict(role_arn=ROLE, domain_names=list(names), revoke=True, security_hub=True)
    with sts, hub:
        result = run(capsys, monkeypatch, clients, **args)
    assert result["failed"] and "revocations that failed" in result["msg"], result
    assert [decision["status"] for decision in result["decisions"]] == ["REJECTING"]
    assert [domain["domain_name"] for domain in result["domains"]] == list(names) and result["unmatched_allow"] == []
    # Security Hub comes after: not called, and said so.
    assert result["security_hub"] is None


def test_security_hub_refused_after_the_writes_keeps_what_was_done(capsys, monkeypatch, stubbed):
    clients = Clients(stubbed)
    sts, hub = Stubber(clients.sts), Stubber(clients.hub)
    sts.add_response("assume_role", assumed())
    listing(stubbed, [wire_connection(stubbed.api.name, "PENDING_ACCEPTANCE")])
    stubbed.expect_action("reject", "REJECTING")
    described(stubbed, ("my-logs",))
    hub.add_client_error("get_findings", "InvalidAccessException", "not subscribed", 401)
    with sts, hub:
        result = run(capsys, monkeypatch, clients, role_arn=ROLE, security_hub=True)
    assert result["failed"] and "AWS Security Hub is not enabled there" in result["msg"], result
    assert [decision["action"] for decision in result["decisions"]] == ["reject"] and len(result["findings"]) == 1
    assert result["domains"][0]["domain_name"] == "my-logs" and result["security_hub"] is None


def test_an_unexpected_error_still_returns_what_the_run_did(capsys, monkeypatch, stubbed):
    def broken(*args, **kwargs):
        raise RuntimeError("a defect")

    clients = Clients(stubbed)
    sts = Stubber(clients.sts)
    sts.add_response("assume_role", assumed())
    listing(stubbed, [wire_connection(stubbed.api.name, "PENDING_ACCEPTANCE")])
    stubbed.expect_action("reject", "REJECTING")
    monkeypatch.setattr(f"{MODULE_UTILS}.govern_access", broken)
    with sts:
        result = run(capsys, monkeypatch, clients, role_arn=ROLE)
    assert result["failed"] and result["msg"].startswith("The run stopped on an unexpected error (RuntimeError"), result
    assert [decision["status"] for decision in result["decisions"]] == ["REJECTING"] and result["domains"] is None


def test_a_listing_refused_fails_the_run_with_what_it_did_and_nothing_read(capsys, monkeypatch, stubbed):
    clients = Clients(stubbed)
    sts = Stubber(clients.sts)
    sts.add_response("assume_role", assumed())
    stubbed.stubber.add_client_error(stubbed.api.method("inbound", "describe"), "AccessDeniedException", "no", 403)
    with sts:
        result = run(capsys, monkeypatch, clients, role_arn=ROLE)
    assert result["failed"] and "es:DescribeInboundConnections" in result["msg"], result
    assert result["decisions"] == [] and result["domains"] is None and result["security_hub"] is None


@pytest.mark.parametrize(
    "args,problem",
    [
        ({"account_id": "12345"}, "account_id must be a 12-digit"),
        ({"role_arn": f"arn:aws:iam::{ACCOUNT}:user/guard"}, "role_arn must be an IAM role ARN"),
        ({"role_arn": ROLE, "role_region": "Europe"}, "role_region"),
        ({"domain_names": []}, "domain_names is empty"),
        ({"domain_names": ["My_Logs"]}, "domain_names[0]"),
        ({"allow": [{"owner_id": "2222"}]}, "allow[0]"),
    ],
)
def test_options_are_checked_before_any_call(capsys, monkeypatch, stubbed, args, problem):
    clients = Clients(stubbed)
    with Stubber(clients.sts):
        result = run(capsys, monkeypatch, clients, **args)
    assert result["failed"] and problem in result["msg"] and clients.made == {}, result
    assert result["decisions"] == [] and result["domains"] is None and result["security_hub"] is None
