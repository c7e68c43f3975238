"""vpc_endpoint_access's main() on a stubbed client: reads first, writes only the difference, check mode writes
nothing, and every key it returns documented."""

from __future__ import annotations

import json

import pytest
import yaml

from ansible_collections.aws_search.cross_cluster.plugins.modules import vpc_endpoint_access
from ansible_collections.aws_search.cross_cluster.tests.unit.module_docs import assert_documented
from ansible_collections.aws_search.cross_cluster.tests.unit.module_docs import patch_module_args

MODULE_UTILS = "ansible_collections.aws_search.cross_cluster.plugins.module_utils.access_modules"
UI = "application.opensearchservice.amazonaws.com"


def run(capsys, monkeypatch, stubbed, **args) -> dict:
    monkeypatch.setattr(f"{MODULE_UTILS}.connection_client", lambda module, api: stubbed.client)
    args = {"api": stubbed.api.name, "region": "eu-west-1", "domain_name": "vpc-logs", **args}
    with patch_module_args(args), pytest.raises(SystemExit):
        vpc_endpoint_access.main()
    return json.loads(capsys.readouterr().out)


def expect_reads(stubbed, principals, vpc="vpc-1"):
    found = {"DomainId": "111111111111/vpc-logs", "DomainName": "vpc-logs"}
    found["ARN"] = "arn:aws:es:eu-west-1:111111111111:domain/vpc-logs"
    found["ClusterConfig" if stubbed.api.name == "opensearch" else "ElasticsearchClusterConfig"] = {}
    if vpc:
        found["VPCOptions"] = {"VPCId": vpc}
    stubbed.stubber.add_response(
        stubbed.api.describe_domains_method, {"DomainStatusList": [found]}, {"DomainNames": ["vpc-logs"]}
    )
    if vpc:
        listed = [{"PrincipalType": kind, "Principal": who} for kind, who in principals]
        answer = {"AuthorizedPrincipalList": listed, "NextToken": ""}
        stubbed.stubber.add_response("list_vpc_endpoint_access", answer, {"DomainName": "vpc-logs"})


def test_purge_revokes_the_others_authorizes_the_new_and_keeps_services(capsys, monkeypatch, stubbed):
    current = [("AWS_ACCOUNT", "222222222222")] + ([("AWS_SERVICE", UI)] if stubbed.api.authorizes_services else [])
    expect_reads(stubbed, current)
    stubbed.stubber.add_response(
        "revoke_vpc_endpoint_access", {}, {"DomainName": "vpc-logs", "Account": "222222222222"}
    )
    principal = {"PrincipalType": "AWS_ACCOUNT", "Principal": "333333333333"}
    expected = {"DomainName": "vpc-logs", "Account": "333333333333"}
    stubbed.stubber.add_response("authorize_vpc_endpoint_access", {"AuthorizedPrincipal": principal}, expected)
    result = run(capsys, monkeypatch, stubbed, accounts=["333333333333"], purge_accounts=True, _ansible_diff=True)
    assert result["changed"] and (result["added"], result["removed"]) == (["333333333333"], ["222222222222"])
    assert result["accounts"] == ["333333333333"] and result["services"] == (
        [UI] if stubbed.api.authorizes_services else []
    )
    assert result["diff"] == {"before": {"accounts": ["222222222222"]}, "after": {"accounts": ["333333333333"]}}
    assert_documented(result, yaml.safe_load(vpc_endpoint_access.RETURN), stubbed.api.name)


def test_check_mode_reads_and_predicts_without_writing(capsys, monkeypatch, stubbed):
    expect_reads(stubbed, [("AWS_ACCOUNT", "222222222222")])
    result = run(capsys, monkeypatch, stubbed, accounts=["222222222222"], state="absent", _ansible_check_mode=True)
    assert result["changed"] and result["removed"] == ["222222222222"] and result["accounts"] == []


def test_nothing_to_do_is_ok(capsys, monkeypatch, stubbed):
    expect_reads(stubbed, [("AWS_ACCOUNT", "222222222222")])
    result = run(capsys, monkeypatch, stubbed, accounts=["222222222222"])
    assert not result["changed"] and result["added"] == result["removed"] == []


def test_a_public_domain_fails_after_one_read_saying_it_needs_a_vpc(capsys, monkeypatch, stubbed):
    expect_reads(stubbed, [], vpc=None)
    result = run(capsys, monkeypatch, stubbed, accounts=["222222222222"])
    assert result["failed"] and result["msg"].startswith("VPC endpoint access needs a VPC domain: vpc-logs is a public")


def test_past_the_limit_of_ten_fails_before_any_write(capsys, monkeypatch, stubbed):
    expect_reads(stubbed, [("AWS_ACCOUNT", f"2222222222{number:02d}") for number in range(10)])
    result = run(capsys, monkeypatch, stubbed, accounts=["333333333333"], _ansible_check_mode=True)
    assert result["failed"] and "past AWS's limit of 10" in result["msg"] and "nothing was changed" in result["msg"]


@pytest.mark.parametrize(
    "args,problem",
    [
        ({"accounts": ["12345"]}, "accounts[0] must be a 12-digit AWS account id"),
        ({"accounts": []}, "accounts must name at least one account"),
        ({"accounts": ["222222222222"], "state": "absent", "purge_accounts": True}, "purge_accounts goes with"),
        ({"accounts": ["222222222222"], "domain_name": "Bad"}, "domain_name must be"),
    ],
)
def test_bad_input_fails_before_any_call(capsys, monkeypatch, stubbed, args, problem):
    result = run(capsys, monkeypatch, stubbed, **args)
    assert result["failed"] and result["msg"].startswith(problem), result


def test_an_unknown_domain_is_named_with_the_option_to_check(capsys, monkeypatch, stubbed):
    stubbed.stubber.add_response(
        stubbed.api.describe_domains_method, {"DomainStatusList": []}, {"DomainNames": ["vpc-logs"]}
    )
    result = run(capsys, monkeypatch, stubbed, accounts=["222222222222"])
    assert (
        result["failed"]
        and result["msg"].startswith("No domain named vpc-logs")
        and "check domain_name," in result["msg"]
    )
