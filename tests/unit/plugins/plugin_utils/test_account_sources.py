"""The accounts and regions the domains inventory and the event source cover: the options' rules, the role in each
account of an organization (its ACTIVE accounts less the excluded ones), and the regions DescribeRegions shows as
enabled."""

from __future__ import annotations

import boto3
import pytest
from botocore.stub import Stubber

from ansible_collections.aws_search.cross_cluster.plugins.module_utils.aws_failures import UnreadableAnswer
from ansible_collections.aws_search.cross_cluster.plugins.plugin_utils.account_sources import accounts_problem
from ansible_collections.aws_search.cross_cluster.plugins.plugin_utils.account_sources import enabled_regions
from ansible_collections.aws_search.cross_cluster.plugins.plugin_utils.account_sources import organization_role_arns
from ansible_collections.aws_search.cross_cluster.plugins.plugin_utils.account_sources import regions_problem
from ansible_collections.aws_search.cross_cluster.plugins.plugin_utils.account_sources import role_arn

ROLE = "arn:aws:iam::111111111111:role/search-guard"


def test_a_role_name_after_a_path_makes_the_role_arn_of_each_account():
    assert role_arn("aws", "222222222222", "security/guard") == "arn:aws:iam::222222222222:role/security/guard"
    assert role_arn("aws-cn", "222222222222", "/guard") == "arn:aws-cn:iam::222222222222:role/guard"


@pytest.mark.parametrize(
    "options, expected",
    [
        ({}, None),
        ({"iam_role_arn": ROLE}, None),
        ({"iam_role_arns": [ROLE]}, None),
        ({"organization": {}, "role_name": "OrganizationAccountAccessRole"}, None),
        ({"organization": {"exclude_account_ids": ["012345678901"]}, "role_name": "a/b"}, None),
        ({"iam_role_arn": ROLE, "iam_role_arns": [ROLE]}, "iam_role_arn and iam_role_arns are different ways"),
        ({"iam_role_arns": [ROLE], "organization": {}}, "iam_role_arns and organization are different ways"),
        ({"iam_role_arns": []}, "iam_role_arns must be a list of at least one role ARN"),
        ({"iam_role_arns": "arn"}, "iam_role_arns must be a list"),
        ({"iam_role_arns": [ROLE, "arn:aws:iam::1:role/x"]}, "iam_role_arns[1] must be a role ARN"),
        ({"iam_role_arns": [ROLE, ROLE]}, f"iam_role_arns names {ROLE} more than once"),
        ({"iam_role_arn": "search-guard"}, "iam_role_arn must be a role ARN"),
        ({"organization": {}}, "organization needs role_name"),
        ({"role_name": "guard"}, "role_name is for organization"),
        ({"organization": [], "role_name": "guard"}, "organization must be a mapping"),
        ({"organization": {"ou": []}, "role_name": "guard"}, "organization has no key 'ou'"),
        ({"organization": {"organizational_unit_ids": ["ou-1"]}, "role_name": "g"}, "organizational_unit_ids[0]"),
        ({"organization": {"exclude_account_ids": [12345678901]}, "role_name": "g"}, "must be a quoted string"),
        (
            {"organization": {"exclude_account_ids": ["1234"]}, "role_name": "g"},
            "exclude_account_ids[0] must be a 12-digit AWS account id, got '1234'",
        ),
        ({"organization": {"exclude_account_ids": []}, "role_name": "g"}, "at least one id"),
        ({"organization": {}, "role_name": "bad name"}, "organization needs role_name"),
        ({"max_concurrency": 0}, "max_concurrency must be a whole number from 1 to 64"),
        ({"max_concurrency": True}, "max_concurrency must be a whole number"),
    ],
)
def test_the_account_options_are_checked_before_any_call(options, expected):
    problem = accounts_problem(options)
    assert problem == expected if expected is None else expected in problem


@pytest.mark.parametrize(
    "regions, expected",
    [
        (["all"], None),
        (["eu-west-1", "us-east-1"], None),
        ([], "regions must name at least one region"),
        (["all", "eu-west-1"], "regions: all stands alone"),
        (["eu-west-1", "EU"], "regions[1]"),
    ],
)
def test_regions_are_a_list_or_all_alone(regions, expected):
    problem = regions_problem(regions)
    assert problem == expected if expected is None else expected in problem


def test_only_the_regions_shown_as_enabled_count():
    answer = {
        "Regions": [
            {"RegionName": "eu-south-1", "OptInStatus": "not-opted-in"},
            {"RegionName": "us-east-1", "OptInStatus": "opt-in-not-required"},
            {"RegionName": "af-south-1", "OptInStatus": "opted-in"},
            {"RegionName": "eu-west-1"},
        ]
    }
    assert enabled_regions(answer) == ["af-south-1", "eu-west-1", "us-east-1"]


def test_the_organizations_active_accounts_less_the_excluded_ones_each_get_the_role():
    client = boto3.client("organizations", region_name="us-east-1", aws_access_key_id="AKID", aws_secret_access_key="x")
    accounts = [
        {"Id": "111111111111", "Status": "ACTIVE", "Name": "analytics"},
        {"Id": "222222222222", "Status": "SUSPENDED"},
        {"Id": "333333333333", "Status": "ACTIVE"},
        {"Id": "444444444444", "Status": "ACTIVE"},
    ]
    with Stubber(client) as stubber:
        stubber.add_response(
            "list_accounts_for_parent", {"Accounts": accounts}, {"ParentId": "r-ab12", "MaxResults": 20}
        )
        stubber.add_response(
            "list_organizational_units_for_parent",
            {"OrganizationalUnits": []},
            {"ParentId": "r-ab12", "MaxResults": 20},
        )
        found, left_out, names = organization_role_arns(
            client, {"organizational_unit_ids": ["r-ab12"], "exclude_account_ids": ["444444444444"]}, "g", "aws"
        )
        stubber.assert_no_pending_responses()
    assert found == ["arn:aws:iam::111111111111:role/g", "arn:aws:iam::333333333333:role/g"]
    assert left_out == {"excluded": 1, "not_active": 1} and names == {"111111111111": "analytics"}


@pytest.mark.parametrize("answer", [{}, {"Regions": None}, {"Regions": [{"OptInStatus": "opted-in"}]}])
def test_an_answer_that_is_not_describe_regions_is_unreadable_never_no_region(answer):
    with pytest.raises(UnreadableAnswer, match="DescribeRegions"):
        enabled_regions(answer)


@pytest.mark.parametrize(
    "regions", [[], [{"RegionName": "af-south-1", "OptInStatus": "not-opted-in"}]], ids=["none", "none-enabled"]
)
def test_an_answer_without_any_enabled_region_is_not_an_account_without_regions(regions):
    with pytest.raises(UnreadableAnswer, match="DescribeRegions shows no enabled region"):
        enabled_regions({"Regions": regions})
