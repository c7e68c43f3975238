"""What the domains inventory records of what it could not read, and the partition of domain ARNs."""

from __future__ import annotations

from ansible_collections.aws_search.cross_cluster.plugins.module_utils.domain_discovery import account_of_arn
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.domain_discovery import account_of_role
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.domain_discovery import domain_arn
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.domain_discovery import partition_of
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.domain_discovery import unknown_option_problem
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.domain_discovery import unknown_region_problem
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.domain_discovery import unknown_regions
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.domain_discovery import unreadable
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.domain_discovery import unreadable_hostname


def test_domain_arns_take_the_partition_of_the_callers_arn():
    assert partition_of("arn:aws-cn:sts::111111111111:assumed-role/r/s") == "aws-cn"
    assert partition_of("arn:aws-us-gov:iam::111111111111:user/u") == "aws-us-gov"
    assert (
        domain_arn("aws-cn", "cn-north-1", "111111111111", "logs")
        == "arn:aws-cn:es:cn-north-1:111111111111:domain/logs"
    )


def test_the_account_of_a_role_that_cannot_be_assumed_comes_from_its_arn():
    assert account_of_role("arn:aws:iam::999999999999:role/path/guard") == "999999999999"
    assert account_of_role(None) == "unknown"


def test_unreadable_hosts_are_unique_even_when_the_account_is_unknown():
    one = unreadable_hostname(unreadable("unknown", "eu-west-1", "x"), "/inv/a.domains.aws_search.yml")
    two = unreadable_hostname(unreadable("unknown", "eu-west-1", "x"), "/inv/b.domains.aws_search.yml")
    tags = unreadable_hostname(unreadable("111111111111", "eu-west-1", "x", "logs"), "/inv/a.domains.aws_search.yml")
    assert one != two and tags == "logs.eu-west-1.111111111111"


def test_a_region_no_partition_has_is_named():
    assert unknown_regions(["eu-west-1", "eu-wset-1", "cn-north-1"]) == ["eu-wset-1"]


def test_regions_of_two_partitions_or_of_none_are_refused_naming_them():
    assert "region named eu-wset-1" in unknown_region_problem(["eu-west-1", "eu-wset-1"])
    assert "are of the partitions aws and aws-cn" in unknown_region_problem(["eu-west-1", "cn-north-1"])
    assert unknown_region_problem(["eu-west-1", "us-east-1"]) is None


def test_an_option_the_inventory_does_not_know_is_named_with_the_closest():
    known = ["include_tags", "keyed_groups", "regions", "plugin"]
    assert "include_tag is not an option of the x inventory (did you mean include_tags?)" in unknown_option_problem(
        {"include_tag": True, "regions": ["eu-west-1"]}, known, "x"
    )
    assert unknown_option_problem({"regions": []}, known, "x") is None


def test_the_account_of_an_assumed_role_arn():
    assert account_of_arn("arn:aws:sts::111111111111:assumed-role/search-guard/run") == "111111111111"
    assert account_of_arn("not an arn") == ""
