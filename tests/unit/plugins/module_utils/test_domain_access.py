"""Who can reach one domain by every path, from DescribeDomains' answer, its VPC endpoint access and its inbound
connections; and the plan of a change to its VPC endpoint access, AWS's limit of 10 principals included."""

from __future__ import annotations

import json

import pytest

from ansible_collections.aws_search.cross_cluster.plugins.module_utils.access_policy import PolicyError
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.api_differences import APIS
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.domain_access import access_plan
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.domain_access import domain_access
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.domain_access import split_principals
from ansible_collections.aws_search.cross_cluster.tests.unit.stubbed_api import wire_connection

ARN = "arn:aws:es:eu-west-1:111111111111:domain/my-logs"
OPEN = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "es:*", "Resource": "*"}],
}


def status(policy=None, vpc=None, fine_grained=False, anonymous=False):
    found = {"DomainId": "111111111111/my-logs", "DomainName": "my-logs", "ARN": ARN, "ClusterConfig": {}}
    found["AccessPolicies"] = json.dumps(policy) if policy else ""
    found["AdvancedSecurityOptions"] = {"Enabled": fine_grained, "AnonymousAuthEnabled": anonymous}
    if vpc:
        found["VPCOptions"] = {"VPCId": vpc}
    return found


def paths(entry):
    return [(g["path"], g["scope"], g["account_id"]) for g in entry["grants"]]


@pytest.mark.parametrize("api", ["es", "opensearch"])
def test_every_path_is_a_grant_and_only_accepted_connections_count(api):
    principals = [
        {"PrincipalType": "AWS_ACCOUNT", "Principal": "333333333333"},
        {"PrincipalType": "AWS_SERVICE", "Principal": "application.opensearchservice.amazonaws.com"},
    ]
    inbound = [
        wire_connection(api, state, f"cc-00000000{n}") for n, state in enumerate(("ACTIVE", "PENDING_ACCEPTANCE"))
    ]
    inbound += [wire_connection(api, state, f"cc-10000000{n}") for n, state in enumerate(("APPROVED", "REJECTED"))]
    entry = domain_access(status(OPEN, "vpc-1", True, True), "eu-west-1", principals, inbound, APIS[api])
    assert paths(entry) == [
        ("access_policy", "everyone", None),
        ("vpc_endpoint", "account", "333333333333"),
        ("vpc_endpoint", "service", None),
        ("anonymous", "everyone", None),
        ("connection", "account", "222222222222"),
        ("connection", "account", "222222222222"),
    ]
    assert [g["connection_id"] for g in entry["grants"] if g["path"] == "connection"] == [
        "cc-000000000",
        "cc-100000000",
    ]
    assert entry["outside_accounts"] == ["222222222222", "333333333333"] and entry["open_to_everyone"] is True
    assert (entry["endpoint_type"], entry["vpc_id"], entry["owner_id"]) == ("vpc", "vpc-1", "111111111111")
    assert entry["access_policy"] == OPEN


def test_a_public_domain_without_a_policy_nobody_else_can_reach():
    entry = domain_access(status(), "eu-west-1", None, [], APIS["es"])
    assert entry["grants"] == [] and entry["outside_accounts"] == [] and entry["open_to_everyone"] is False
    assert entry["endpoint_type"] == "public" and entry["access_policy"] is None


def test_an_own_accounts_grant_is_no_outside_account():
    own = {"Version": "2012-10-17", "Statement": [dict(OPEN["Statement"][0], Principal={"AWS": "111111111111"})]}
    entry = domain_access(status(own), "eu-west-1", None, [], APIS["es"])
    assert paths(entry) == [("access_policy", "account", "111111111111")] and entry["outside_accounts"] == []


def test_a_policy_that_is_not_a_document_is_an_error():
    broken = dict(status(), AccessPolicies="{not json")
    with pytest.raises(PolicyError):
        domain_access(broken, "eu-west-1", None, [], APIS["es"])


@pytest.mark.parametrize(
    "current,services,accounts,state,purge,expected",
    [
        (["222222222222"], [], ["222222222222"], "present", False, ([], [], None)),
        (["222222222222"], [], ["333333333333"], "present", False, (["333333333333"], [], None)),
        (["222222222222"], [], ["333333333333"], "present", True, (["333333333333"], ["222222222222"], None)),
        (
            ["222222222222", "333333333333"],
            [],
            ["333333333333", "444444444444"],
            "absent",
            False,
            ([], ["333333333333"], None),
        ),
        (
            ["222222222222"],
            ["application.opensearchservice.amazonaws.com"],
            [],
            "present",
            True,
            ([], ["222222222222"], None),
        ),
    ],
)
def test_the_plan_acts_only_on_the_difference(current, services, accounts, state, purge, expected):
    assert access_plan(current, services, accounts, state, purge) == expected


def test_a_change_past_ten_principals_is_refused_and_a_purge_that_frees_room_is_not():
    current = [f"2222222222{n:02d}" for n in range(8)]
    services = ["application.opensearchservice.amazonaws.com"]
    new = ["333333333301", "333333333302"]
    added, _removed, problem = access_plan(current, services, new, "present", False)
    assert added == new and "would give 11 principals VPC endpoint access" in problem and "limit of 10" in problem
    assert access_plan(current, services, new, "present", True)[2] is None


def test_principals_split_into_accounts_and_services():
    principals = [
        {"PrincipalType": "AWS_SERVICE", "Principal": "application.opensearchservice.amazonaws.com"},
        {"PrincipalType": "AWS_ACCOUNT", "Principal": "333333333333"},
        {"PrincipalType": "AWS_ACCOUNT", "Principal": "222222222222"},
    ]
    assert split_principals(principals) == (
        ["222222222222", "333333333333"],
        ["application.opensearchservice.amazonaws.com"],
    )


@pytest.mark.parametrize("kind", ["AWS_ACCOUNT", "AWS Account", "aws account", "SOMETHING_NEW"])
def test_an_account_with_vpc_endpoint_access_is_an_account_however_aws_spells_its_type(kind):
    principals = [{"PrincipalType": kind, "Principal": "333333333333"}]
    entry = domain_access(status(vpc="vpc-1"), "eu-west-1", principals, [], APIS["opensearch"])
    assert paths(entry) == [("vpc_endpoint", "account", "333333333333")] and entry["outside_accounts"] == [
        "333333333333"
    ]
    assert split_principals(principals) == (["333333333333"], [])


def test_a_principal_of_a_kind_not_understood_counts_as_open():
    principals = [{"PrincipalType": "AWS_FEDERATION", "Principal": "someone"}]
    entry = domain_access(status(vpc="vpc-1"), "eu-west-1", principals, [], APIS["opensearch"])
    assert paths(entry) == [("vpc_endpoint", "conditional", None)] and entry["open_to_everyone"]
