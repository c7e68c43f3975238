"""Who a domain's access policy lets reach its data, scope by scope, on the AWS documentation's own examples (the
developer guide's "Identity and Access Management" page, and the global condition keys' examples) and on the forms
the analysis does not understand, which count as open to everyone."""

from __future__ import annotations

import json

import pytest

from ansible_collections.aws_search.cross_cluster.plugins.module_utils.access_policy import Domain
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.access_policy import PolicyError
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.access_policy import parse
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.access_policy import policy_grants

ARN = "arn:aws:es:us-west-1:987654321098:domain/test-domain"
DOMAIN = Domain(arn=ARN, owner_id="987654321098")
SIGN_IN = Domain(arn=ARN, owner_id="987654321098", fine_grained=True)
ANONYMOUS = Domain(arn=ARN, owner_id="987654321098", fine_grained=True, anonymous_auth=True)


def statement(principal, action="es:*", resource=f"{ARN}/*", effect="Allow", **more):
    return dict({"Effect": effect, "Principal": principal, "Action": action, "Resource": resource}, **more)


def grants(*statements, domain=DOMAIN):
    document = parse(json.dumps({"Version": "2012-10-17", "Statement": list(statements)}))
    return policy_grants(document, domain)


def scopes(*statements, domain=DOMAIN):
    return [(found["scope"], found["account_id"]) for found in grants(*statements, domain=domain)]


def test_the_guides_resource_based_policy_grants_one_account():
    [found] = grants(statement({"AWS": ["arn:aws:iam::123456789012:user/test-user"]}, action=["es:*"]))
    assert found == {
        "path": "access_policy",
        "principal": "arn:aws:iam::123456789012:user/test-user",
        "account_id": "123456789012",
        "scope": "account",
        "conditions": [],
        "statement": "0",
        "connection_id": None,
        "addresses": [],
        "organization_ids": [],
        "source_accounts": [],
    }


def test_a_get_on_one_index_still_reaches_the_domains_data():
    resource = f"{ARN}/test-index/_search"
    found = scopes(statement({"AWS": ["arn:aws:iam::123456789012:user/test-user"]}, ["es:ESHttpGet"], resource))
    assert found == [("account", "123456789012")]


def test_a_deny_statement_never_removes_a_grant():
    allow = statement({"AWS": ["arn:aws:iam::123456789012:root"]})
    deny = statement({"AWS": ["arn:aws:iam::123456789012:user/test-user"]}, effect="Deny")
    assert scopes(allow, deny) == [("account", "123456789012")]


def test_the_guides_ip_based_policy_is_ip_restricted_with_its_addresses():
    condition = {"IpAddress": {"aws:SourceIp": ["192.0.2.0/24"]}}
    [found] = grants(statement({"AWS": "*"}, ["es:ESHttp*"], Condition=condition))
    assert (found["scope"], found["addresses"], found["conditions"]) == (
        "ip_restricted",
        ["192.0.2.0/24"],
        ["aws:SourceIp"],
    )


@pytest.mark.parametrize("addresses", [["0.0.0.0/0"], ["192.0.2.0/24", "::/0"]])
def test_an_address_condition_that_includes_every_address_restricts_nothing(addresses):
    condition = {"IpAddress": {"aws:SourceIp": addresses}}
    assert scopes(statement({"AWS": "*"}, Condition=condition)) == [("everyone", None)]


@pytest.mark.parametrize("principal", ["*", {"AWS": "*"}, {"AWS": ["*"]}])
def test_an_open_policy_is_everyone_or_with_fine_grained_access_control_every_user_who_signs_in(principal):
    assert scopes(statement(principal, "es:ESHttp*")) == [("everyone", None)]
    assert scopes(statement(principal, "es:ESHttp*"), domain=SIGN_IN) == [("authenticated", None)]
    assert scopes(statement(principal, "es:ESHttp*"), domain=ANONYMOUS) == [("everyone", None)]


def test_the_organization_condition_keys_are_an_organization():
    org_id = {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}
    paths = {"ForAnyValue:StringLike": {"aws:PrincipalOrgPaths": ["o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/*"]}}
    for condition in (org_id, paths):
        [found] = grants(statement({"AWS": "*"}, Condition=condition))
        assert (found["scope"], found["organization_ids"]) == ("organization", ["o-a1b2c3d4e5"]), condition


def test_accounts_named_in_a_condition_are_one_grant_each_and_narrower_than_the_rest():
    condition = {
        "StringEquals": {
            "aws:PrincipalAccount": ["111122223333", "444455556666"],
            "aws:PrincipalOrgID": "o-a1b2c3d4e5",
        },
        "IpAddress": {"aws:SourceIp": "192.0.2.0/24"},
    }
    found = grants(statement({"AWS": "*"}, Condition=condition))
    assert [(g["scope"], g["account_id"]) for g in found] == [("account", "111122223333"), ("account", "444455556666")]
    assert found[0]["conditions"] == ["aws:PrincipalAccount", "aws:PrincipalOrgID", "aws:SourceIp"]


def test_a_named_account_stays_an_accounts_grant_whatever_its_conditions():
    condition = {"NotIpAddress": {"aws:SourceIp": "192.0.2.0/24"}, "Bool": {"aws:SecureTransport": "true"}}
    [found] = grants(statement({"AWS": "123456789012"}, Condition=condition))
    assert (found["scope"], found["account_id"], found["conditions"]) == (
        "account",
        "123456789012",
        ["aws:SecureTransport", "aws:SourceIp"],
    )


@pytest.mark.parametrize(
    "condition",
    [
        {"NotIpAddress": {"aws:SourceIp": "192.0.2.0/24"}},
        {"IpAddressIfExists": {"aws:SourceIp": "192.0.2.0/24"}},
        {"ForAllValues:StringLike": {"aws:PrincipalOrgPaths": ["o-a1b2c3d4e5/*"]}},
        {"StringLike": {"aws:PrincipalOrgID": "o-*"}},
        {"StringLike": {"aws:PrincipalAccount": "1111*"}},
        {"StringEquals": {"aws:RequestTag/team": "search"}},
        {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}, "Bool": {"aws:SecureTransport": "true"}},
    ],
)
def test_a_condition_the_analysis_does_not_understand_makes_everyone_conditional(condition):
    assert scopes(statement({"AWS": "*"}, Condition=condition)) == [("conditional", None)]


def test_not_principal_not_resource_and_an_unknown_principal_form_are_conditional():
    not_principal = {"Effect": "Allow", "NotPrincipal": {"AWS": "arn:aws:iam::123456789012:root"}, "Action": "es:*"}
    not_principal["Resource"] = f"{ARN}/*"
    not_resource = {"Effect": "Allow", "Principal": {"AWS": "123456789012"}, "Action": "es:*", "NotResource": "x"}
    federated = statement({"Federated": "cognito-identity.amazonaws.com"})
    odd = statement({"AWS": "arn:aws:iam::123456789012:group/admins"})
    assert [scope for scope, _account in scopes(not_principal, not_resource, federated, odd)] == ["conditional"] * 4


def test_a_not_action_grants_data_unless_it_leaves_out_every_http_verb():
    reaches = {"Effect": "Allow", "Principal": {"AWS": "*"}, "NotAction": "es:ESHttpDelete", "Resource": "*"}
    none = dict(reaches, NotAction=["es:ESHttp*"])
    assert scopes(reaches) == [("conditional", None)] and scopes(none) == []


def test_a_service_principal_is_a_service():
    assert scopes(statement({"Service": "osis-pipelines.amazonaws.com"})) == [("service", None)]


@pytest.mark.parametrize(
    "action,resource",
    [
        ("es:DescribeDomain", f"{ARN}/*"),
        ("es:ESHttpGet", "arn:aws:es:us-west-1:987654321098:domain/other-domain/*"),
        ("es:ESHttpGet", "arn:aws:es:eu-west-1:987654321098:domain/test-domain/*"),
    ],
)
def test_an_action_that_does_not_reach_the_data_or_another_domain_is_no_grant(action, resource):
    assert scopes(statement({"AWS": "*"}, action, resource)) == []


@pytest.mark.parametrize("action", ["*", "es:*", "ES:ESHTTP*", "es:ESHttp?et", ["es:ESHttpPut"]])
@pytest.mark.parametrize(
    "resource", ["*", "arn:aws:es:*:*:domain/*", f"{ARN}", "arn:aws:es:us-west-1:*:domain/test-*/idx/*"]
)
def test_wildcards_in_actions_and_resources_are_read_as_iam_reads_them(action, resource):
    assert scopes(statement({"AWS": "123456789012"}, action, resource)) == [("account", "123456789012")]


def test_statements_are_named_by_their_sid_else_their_index():
    first = statement({"AWS": "111122223333"}, Sid="Partner")
    second = statement({"AWS": "444455556666"})
    assert [found["statement"] for found in grants(first, second)] == ["Partner", "1"]


@pytest.mark.parametrize("text", ["{", "[]", '{"Statement": 3}', '{"Statement": [1]}'])
def test_a_policy_that_is_not_a_policy_document_is_an_error(text):
    with pytest.raises(PolicyError):
        parse(text)


def test_no_policy_is_no_grant():
    assert parse("") is None and parse(None) is None and policy_grants(None, DOMAIN) == []


@pytest.mark.parametrize(
    "resource",
    ["arn:aws:es:*:*:domain/*logs*", "arn:aws:es:*:*:domain/*_search", "arn:aws:es:*:*:*/_search", "arn:aws:es:*"],
)
def test_a_wildcard_that_reaches_past_the_domains_name_into_its_paths_covers_it(resource):
    domain = Domain(arn="arn:aws:es:us-west-1:987654321098:domain/test-domain", owner_id="987654321098")
    assert scopes(statement({"AWS": "*"}, resource=resource), domain=domain) == [("everyone", None)]


@pytest.mark.parametrize("addresses", [["::0/0"], ["0::/0"], ["1.2.3.4/0"], ["0.0.0.0/1", "128.0.0.0/1"]])
def test_every_way_of_writing_every_address_restricts_nothing(addresses):
    condition = {"IpAddress": {"aws:SourceIp": addresses}}
    assert scopes(statement({"AWS": "*"}, Condition=condition)) == [("everyone", None)]


def test_an_address_that_is_no_address_is_not_understood():
    condition = {"IpAddress": {"aws:SourceIp": ["somewhere"]}}
    assert scopes(statement({"AWS": "*"}, Condition=condition)) == [("conditional", None)]


@pytest.mark.parametrize("condition", [["x"], {"StringEquals": "x"}])
def test_a_condition_that_is_not_a_map_is_an_error_not_a_traceback(condition):
    with pytest.raises(PolicyError, match="a Condition that is not a map"):
        parse(json.dumps({"Statement": [statement({"AWS": "*"}, Condition=condition)]}))


@pytest.mark.parametrize("resource", [f"{ARN}?idx", f"{ARN}?*", "arn:aws:es:us-west-1:987654321098:domain/test-domai?"])
def test_a_question_mark_in_a_resource_matches_any_one_character_the_slash_included(resource):
    # domain/test-domain?idx is the index idx of test-domain (? stands for the /): it reaches the data.
    assert scopes(statement({"AWS": "123456789012"}, resource=resource)) == [("account", "123456789012")]


@pytest.mark.parametrize(
    "action,resource",
    [
        ("es:${aws:username}", f"{ARN}/*"),
        ("es:ESHttp*", "arn:aws:es:us-west-1:987654321098:domain/${aws:username}/*"),
        ("es:ESHttp*", "arn:aws:es:us-west-1:987654321098:domain/test-${aws:PrincipalTag/team}"),
    ],
)
def test_a_policy_variable_in_a_resource_or_an_action_counts_as_a_wildcard(action, resource):
    assert scopes(statement({"AWS": "123456789012"}, action, resource)) == [("account", "123456789012")]


def test_a_policy_variable_in_a_not_action_leaves_nothing_out():
    found = scopes(statement({"AWS": "123456789012"}, NotAction="es:${aws:username}") | {"Action": None})
    assert found == [("conditional", None)]


@pytest.mark.parametrize(
    "text",
    [
        '{"Statement": [{"Effect": "Deny", "Effect": "Allow", "Principal": "*", "Action": "es:*", "Resource": "*"}]}',
        '{"Statement": [], "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "es:*", "Resource": "*"}]}',
        '{"Statement": [{"Effect": "Allow", "Principal": {"AWS": "1", "AWS": "*"}, "Action": "es:*"}]}',
    ],
)
def test_a_policy_with_a_key_written_twice_is_unreadable_never_nobody(text):
    with pytest.raises(PolicyError, match="twice in one object"):
        parse(text)


@pytest.mark.parametrize(
    "condition,pinned",
    [
        # AWS's confused-deputy guidance: aws:SourceAccount, or aws:SourceArn of the account's resource.
        ({"StringEquals": {"aws:SourceAccount": "987654321098"}}, ["987654321098"]),
        ({"ArnLike": {"aws:SourceArn": "arn:aws:firehose:us-west-1:987654321098:deliverystream/*"}}, ["987654321098"]),
        ({"StringEquals": {"aws:SourceAccount": ["987654321098", "123456789012"]}}, ["123456789012", "987654321098"]),
        (
            {"ArnLike": {"aws:SourceArn": "arn:aws:firehose:*:*:deliverystream/*"}},
            ["arn:aws:firehose:*:*:deliverystream/*"],
        ),
        ({"ForAllValues:StringEquals": {"aws:SourceAccount": "987654321098"}}, []),
        ({"StringEqualsIfExists": {"aws:SourceAccount": "987654321098"}}, []),
        (None, []),
    ],
)
def test_a_service_grant_carries_the_accounts_its_statement_pins_the_caller_to(condition, pinned):
    more = {"Condition": condition} if condition else {}
    [found] = grants(statement({"Service": "firehose.amazonaws.com"}, **more))
    assert (found["scope"], found["source_accounts"]) == ("service", pinned)
