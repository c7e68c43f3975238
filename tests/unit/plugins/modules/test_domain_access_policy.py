"""domain_access_policy's main() on a stubbed client: the calls it makes (no listing when given decisions, a revocation
only for what nobody allowed, none in check mode), and every key it returns documented."""

from __future__ import annotations

import json

import pytest
import yaml

from ansible_collections.aws_search.cross_cluster.plugins.modules import domain_access_policy
from ansible_collections.aws_search.cross_cluster.tests.unit.module_docs import assert_documented
from ansible_collections.aws_search.cross_cluster.tests.unit.module_docs import patch_module_args

MODULE_UTILS = "ansible_collections.aws_search.cross_cluster.plugins.module_utils.access_governance"
PARTNER, STRANGER = "222222222222", "333333333333"
STRANGER_POLICY = {
    "Version": "2012-10-17",
    "Statement": [{"Sid": "x", "Effect": "Allow", "Principal": {"AWS": STRANGER}, "Action": "es:*", "Resource": "*"}],
}
DECISION = {
    "connection_id": "cc-0123456789",
    "source": {"owner_id": PARTNER, "domain_name": "their-logs", "region": "eu-west-1"},
    "destination_domain_name": "my-logs",
    "previous_status": "ACTIVE",
    "status": "ACTIVE",
    "action": "none",
    "allowed": True,
    "rule": 0,
    "failure": None,
}


def run(capsys, monkeypatch, stubbed, **args) -> dict:
    monkeypatch.setattr(f"{MODULE_UTILS}.connection_client", lambda module, api: stubbed.client)
    params = {"api": stubbed.api.name, "region": "eu-west-1", "allow": [{"owner_id": PARTNER}], **args}
    with patch_module_args(params), pytest.raises(SystemExit):
        domain_access_policy.main()
    return json.loads(capsys.readouterr().out)


def described(stubbed, names=("my-logs", "vpc-logs")):
    statuses = []
    for name in names:
        found = {"DomainId": f"111111111111/{name}", "DomainName": name}
        found["ARN"] = f"arn:aws:es:eu-west-1:111111111111:domain/{name}"
        found["ClusterConfig" if stubbed.api.name == "opensearch" else "ElasticsearchClusterConfig"] = {}
        if name == "vpc-logs":
            found["VPCOptions"] = {"VPCId": "vpc-1"}
        else:
            found["AccessPolicies"] = json.dumps(STRANGER_POLICY)
        statuses.append(found)
    stubbed.stubber.add_response(
        stubbed.api.describe_domains_method, {"DomainStatusList": statuses}, {"DomainNames": list(names)}
    )
    if "vpc-logs" not in names:
        return
    principals = [{"PrincipalType": "AWS_ACCOUNT", "Principal": who} for who in (PARTNER, STRANGER)]
    stubbed.stubber.add_response(
        "list_vpc_endpoint_access", {"AuthorizedPrincipalList": principals, "NextToken": ""}, {"DomainName": "vpc-logs"}
    )


@pytest.mark.parametrize("check_mode", [True, False])
def test_revokes_only_what_nobody_allowed_names_the_findings_and_documents_every_key(
    capsys, monkeypatch, stubbed, check_mode
):
    described(stubbed)
    if not check_mode:
        expected = {"DomainName": "vpc-logs", "Account": STRANGER}
        stubbed.stubber.add_response("revoke_vpc_endpoint_access", {}, expected)
    args = dict(domain_names=["my-logs", "vpc-logs"], decisions=[DECISION], revoke=True, findings="report")
    result = run(capsys, monkeypatch, stubbed, _ansible_check_mode=check_mode, **args)
    assert not result.get("failed"), result
    stubbed.stubber.assert_no_pending_responses()
    assert result["changed"] is True and result["revoked"] == [{"domain_name": "vpc-logs", "account_id": STRANGER}]
    [found] = result["findings"]
    assert (found["domain_name"], found["path"], found["grant_account_id"], found["statement"]) == (
        "my-logs",
        "access_policy",
        STRANGER,
        "x",
    )
    mine = result["domains"][0]
    assert [(g["path"], g["outcome"]) for g in mine["grants"]] == [
        ("access_policy", "finding"),
        ("connection", "allowed"),
    ]
    assert result["diff"] == {
        "prepared": f"account {STRANGER} loses access to vpc-logs (eu-west-1, VPC endpoint access)\n"
    }
    assert_documented(result, yaml.safe_load(domain_access_policy.RETURN), stubbed.api.name)


def test_findings_fail_the_task_by_default_with_everything_returned(capsys, monkeypatch, stubbed):
    described(stubbed, ("my-logs",))
    stubbed.expect_page(
        "inbound",
        [],
        {
            "Filters": [{"Name": stubbed.api.filter_name("destination_domain_names"), "Values": ["my-logs"]}],
            "MaxResults": 100,
        },
    )
    result = run(capsys, monkeypatch, stubbed, domain_names=["my-logs"])
    assert result["failed"] and result["msg"].startswith("1 findings (access nobody allowed) and 0 revocations"), result
    assert (
        "fix: take account 333333333333 (principal 333333333333) out of statement x" in result["msg"]
        and len(result["domains"]) == 1
    )


@pytest.mark.parametrize(
    "decision,problem",
    [
        ({"connection_id": "cc-1"}, "decisions[0] has no connection_id or source"),
        (dict(DECISION, source={"owner_id": PARTNER}), "decisions[0].source needs owner_id, domain_name and region"),
        (
            {k: v for k, v in DECISION.items() if k != "status"},
            "decisions[0] needs destination_domain_name, previous_st",
        ),
    ],
)
def test_decisions_that_are_not_the_policys_fail_before_any_call(capsys, monkeypatch, stubbed, decision, problem):
    result = run(capsys, monkeypatch, stubbed, decisions=[decision])
    assert result["failed"] and result["msg"].startswith(problem), result


def test_a_revocation_that_fails_leaves_the_account_among_those_that_can_reach_the_domain(capsys, monkeypatch, stubbed):
    described(stubbed)
    expected = {"DomainName": "vpc-logs", "Account": STRANGER}
    stubbed.stubber.add_client_error("revoke_vpc_endpoint_access", "AccessDeniedException", "no", 403, None, expected)
    args = dict(domain_names=["my-logs", "vpc-logs"], decisions=[DECISION], revoke=True, findings="report")
    result = run(capsys, monkeypatch, stubbed, **args)
    vpc = result["domains"][1]
    assert result["failed"] and [g["outcome"] for g in vpc["grants"]] == ["allowed", "failed"], result
    assert vpc["outside_accounts"] == [PARTNER, STRANGER] and vpc["reachable_from_outside"] is True


def test_the_entries_that_matched_no_grant_and_no_connection_are_returned(capsys, monkeypatch, stubbed):
    described(stubbed, ("my-logs",))
    allow = [{"owner_id": PARTNER}, {"owner_id": "444444444444"}, {"source_ips": ["203.0.113.0/24"]}]
    result = run(capsys, monkeypatch, stubbed, domain_names=["my-logs"], decisions=[DECISION], allow=allow)
    assert result["unmatched_allow"] == [1, 2], result


def config(stubbed, policy, name="my-logs"):
    status = {"CreationDate": 1700000000.0, "UpdateDate": 1700000000.0, "State": "Active"}
    return {"DomainConfig": {"AccessPolicies": {"Options": json.dumps(policy), "Status": status}}}


def config_methods(stubbed):
    if stubbed.api.name == "es":
        return "describe_elasticsearch_domain_config", "update_elasticsearch_domain_config"
    return "describe_domain_config", "update_domain_config"


@pytest.mark.parametrize("check_mode", [True, False])
def test_fix_policy_takes_the_stranger_out_reading_the_policy_again_and_sending_one_update(
    capsys, monkeypatch, stubbed, check_mode
):
    described(stubbed, ("my-logs",))
    describe, update = config_methods(stubbed)
    after = dict(STRANGER_POLICY, Statement=[])
    if not check_mode:
        stubbed.stubber.add_response(describe, config(stubbed, STRANGER_POLICY), {"DomainName": "my-logs"})
        expected = {"DomainName": "my-logs", "AccessPolicies": json.dumps(after)}
        stubbed.stubber.add_response(update, config(stubbed, after), expected)
    args = dict(domain_names=["my-logs"], decisions=[DECISION], fix_policy=True, _ansible_check_mode=check_mode)
    result = run(capsys, monkeypatch, stubbed, _ansible_diff=True, **args)
    stubbed.stubber.assert_no_pending_responses()
    assert not result.get("failed") and result["changed"] and result["findings"] == [], result
    assert result["fixed_policies"] == [
        {"domain_name": "my-logs", "before": STRANGER_POLICY, "after": after, "removed": [STRANGER]}
    ]
    assert [(g["path"], g["outcome"]) for g in result["domains"][0]["grants"]] == [
        ("access_policy", "revoked"),
        ("connection", "allowed"),
    ]
    assert result["domains"][0]["outside_accounts"] == [PARTNER] and result["domains"][0]["access_policy"] == after
    assert '"AWS": "333333333333"' in result["diff"][1]["before"] and '"Statement": []' in result["diff"][1]["after"]
    assert (
        result["diff"][0]["prepared"]
        == f"account {STRANGER} loses access to my-logs (eu-west-1, access policy statement x)\n"
    )
    assert_documented(result, yaml.safe_load(domain_access_policy.RETURN), stubbed.api.name)


def test_a_policy_changed_while_the_task_ran_is_not_overwritten(capsys, monkeypatch, stubbed):
    described(stubbed, ("my-logs",))
    describe, _update = config_methods(stubbed)
    meanwhile = dict(STRANGER_POLICY, Statement=STRANGER_POLICY["Statement"] * 2)
    stubbed.stubber.add_response(describe, config(stubbed, meanwhile), {"DomainName": "my-logs"})
    result = run(capsys, monkeypatch, stubbed, domain_names=["my-logs"], decisions=[DECISION], fix_policy=True)
    stubbed.stubber.assert_no_pending_responses()
    assert result["failed"] and "domain my-logs: its access policy changed while the guard ran" in result["msg"]
    assert result["domains"][0]["grants"][0]["outcome"] == "failed" and result["fixed_policies"] == []
    assert result["domains"][0]["outside_accounts"] == [PARTNER, STRANGER]


def test_without_fix_policy_nothing_is_read_again_or_written(capsys, monkeypatch, stubbed):
    described(stubbed, ("my-logs",))
    result = run(capsys, monkeypatch, stubbed, domain_names=["my-logs"], decisions=[DECISION], findings="report")
    stubbed.stubber.assert_no_pending_responses()
    assert not result["changed"] and result["fixed_policies"] == [] and len(result["findings"]) == 1


def test_a_policy_that_cannot_be_fixed_alone_sends_nothing_and_names_the_domain(capsys, monkeypatch, stubbed):
    limited = {
        "Sid": "two",
        "Effect": "Allow",
        "Principal": "*",
        "Action": "es:*",
        "Resource": "*",
        "Condition": {"StringEquals": {"aws:PrincipalAccount": [PARTNER, STRANGER]}},
    }
    status = {"DomainId": "111111111111/my-logs", "DomainName": "my-logs"}
    status.update(
        ARN="arn:aws:es:eu-west-1:111111111111:domain/my-logs", AccessPolicies=json.dumps({"Statement": [limited]})
    )
    status["ClusterConfig" if stubbed.api.name == "opensearch" else "ElasticsearchClusterConfig"] = {}
    stubbed.stubber.add_response(
        stubbed.api.describe_domains_method, {"DomainStatusList": [status]}, {"DomainNames": ["my-logs"]}
    )
    result = run(capsys, monkeypatch, stubbed, domain_names=["my-logs"], decisions=[DECISION], fix_policy=True)
    stubbed.stubber.assert_no_pending_responses()  # no DescribeDomainConfig, no UpdateDomainConfig
    assert result["failed"] and not result["changed"] and result["fixed_policies"] == []
    assert "domain my-logs: its access policy cannot be fixed without taking allowed access too (statement two)" in (
        result["msg"]
    )
