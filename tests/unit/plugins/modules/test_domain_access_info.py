"""domain_access_info's main() on a stubbed client: the calls it makes, and every key it returns documented."""

from __future__ import annotations

import json

import pytest
import yaml

from ansible_collections.aws_search.cross_cluster.plugins.modules import domain_access_info
from ansible_collections.aws_search.cross_cluster.tests.unit.module_docs import assert_documented
from ansible_collections.aws_search.cross_cluster.tests.unit.module_docs import patch_module_args
from ansible_collections.aws_search.cross_cluster.tests.unit.stubbed_api import wire_connection

MODULE_UTILS = "ansible_collections.aws_search.cross_cluster.plugins.module_utils.access_modules"
OPEN = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "es:*", "Resource": "*"}],
}


def run(capsys, monkeypatch, stubbed, **args) -> dict:
    monkeypatch.setattr(f"{MODULE_UTILS}.connection_client", lambda module, api: stubbed.client)
    with patch_module_args({"api": stubbed.api.name, "region": "eu-west-1", **args}), pytest.raises(SystemExit):
        domain_access_info.main()
    return json.loads(capsys.readouterr().out)


def status(api_name, name, **more):
    found = {"DomainId": f"111111111111/{name}", "DomainName": name}
    found["ARN"] = f"arn:aws:es:eu-west-1:111111111111:domain/{name}"
    found["ClusterConfig" if api_name == "opensearch" else "ElasticsearchClusterConfig"] = {}
    return dict(found, **more)


def test_every_path_of_the_regions_domains_in_the_fewest_calls_every_key_documented(capsys, monkeypatch, stubbed):
    stubbed.stubber.add_response(
        "list_domain_names", {"DomainNames": [{"DomainName": "my-logs"}, {"DomainName": "vpc-logs"}]}
    )
    answer = {
        "DomainStatusList": [
            status(stubbed.api.name, "my-logs", AccessPolicies=json.dumps(OPEN)),
            status(stubbed.api.name, "vpc-logs", VPCOptions={"VPCId": "vpc-1"}),
        ]
    }
    stubbed.stubber.add_response(stubbed.api.describe_domains_method, answer, {"DomainNames": ["my-logs", "vpc-logs"]})
    principals = [{"PrincipalType": "AWS_ACCOUNT", "Principal": "333333333333"}]
    stubbed.stubber.add_response(
        "list_vpc_endpoint_access", {"AuthorizedPrincipalList": principals, "NextToken": ""}, {"DomainName": "vpc-logs"}
    )
    accepted = wire_connection(stubbed.api.name, "APPROVED")
    stubbed.expect_page("inbound", [accepted], {"Filters": [], "MaxResults": 100})
    result = run(capsys, monkeypatch, stubbed)
    assert result["changed"] is False
    mine, vpc = result["domains"]
    # The stubbed connection goes to my-logs, from 222222222222.
    assert (mine["domain_name"], mine["open_to_everyone"], mine["outside_accounts"]) == (
        "my-logs",
        True,
        ["222222222222"],
    )
    assert (vpc["endpoint_type"], vpc["outside_accounts"]) == ("vpc", ["333333333333"])
    doc = yaml.safe_load(domain_access_info.RETURN)
    assert_documented(result, doc, stubbed.api.name)


@pytest.mark.parametrize(
    "names,problem",
    [([], "domain_names must name at least one domain"), (["Bad_Name"], "domain_names[0] must be")],
)
def test_bad_names_fail_before_any_call(capsys, monkeypatch, stubbed, names, problem):
    result = run(capsys, monkeypatch, stubbed, domain_names=names)
    assert result["failed"] and result["msg"].startswith(problem), result


def test_a_policy_that_is_not_json_fails_naming_the_domain(capsys, monkeypatch, stubbed):
    answer = {"DomainStatusList": [status(stubbed.api.name, "my-logs", AccessPolicies="{broken")]}
    stubbed.stubber.add_response(stubbed.api.describe_domains_method, answer, {"DomainNames": ["my-logs"]})
    # With domain_names, the listing asks for the connections to those domains only.
    to_mine = [{"Name": stubbed.api.filter_name("destination_domain_names"), "Values": ["my-logs"]}]
    stubbed.expect_page("inbound", [], {"Filters": to_mine, "MaxResults": 100})
    result = run(capsys, monkeypatch, stubbed, domain_names=["my-logs"])
    assert result["failed"] and "Cannot read who can reach domain my-logs" in result["msg"], result
    assert "its access policy is not JSON" in result["msg"]
