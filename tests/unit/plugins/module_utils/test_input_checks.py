from __future__ import annotations

import datetime

import pytest

from ansible_collections.aws_search.cross_cluster.plugins.module_utils.api_differences import APIS
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.input_checks import filters_problem
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.input_checks import organization_problem
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.input_checks import policy_problem

VALID = {"owner_id": "111111111111", "domain_name": "partner-*", "region": "eu-*", "destination_domain_name": "[ab]-x"}


def params(allow, **options):
    return {"allow": allow, "destination_domain_names": None, "max_concurrency": 4, "api": "es", **options}


@pytest.mark.parametrize(
    "allow,options,rule",
    [
        ([VALID, {"domain_name": "x-logs"}], {}, "allow[1] needs one of owner_id"),
        ([{"owner_id": "12345"}], {}, "allow[0].owner_id must be a 12-digit AWS account id, got '12345'"),
        ([{"owner_id": 111111111111}], {}, "allow[0].owner_id must be a quoted string of 12 digits"),
        ([VALID, VALID, {"owner_id": "111111111111", "owner": "x"}], {}, "allow[2] has the unknown key 'owner'"),
        ([{"owner_id": "111111111111", "domain_name": "[abc"}], {}, "allow[0].domain_name must be a shell-style"),
        ([{"owner_id": "111111111111", "region": "EU-*"}], {}, "allow[0].region must be a shell-style"),
        ([{"owner_id": "111111111111", "destination_domain_name": ""}], {}, "allow[0].destination_domain_name"),
        ([VALID], {"max_concurrency": 0}, "max_concurrency must be 1 to 16, got 0"),
        ([VALID], {"max_concurrency": 17}, "max_concurrency must be 1 to 16, got 17"),
        ([VALID], {"destination_domain_names": ["ok-logs", "Bad"]}, "destination_domain_names[1] must be 3 to 28"),
    ],
)
def test_policy_problems_name_the_option_and_entry(allow, options, rule):
    assert rule in policy_problem(params(allow, **options))


@pytest.mark.parametrize("allow", [[], [VALID], [{"owner_id": "111111111111", "region": None}]])
def test_valid_policies(allow):
    assert policy_problem(params(allow, destination_domain_names=["my-logs"])) is None


INBOUND_FILTERS = ("connection_ids", "source_owner_ids", "source_domain_names", "source_regions", "statuses")
OUTBOUND_FILTERS = ("destination_owner_ids", "destination_domain_names", "destination_regions", "statuses")


@pytest.mark.parametrize(
    "api_name,direction,filters,rule",
    [
        ("es", "inbound", {"statuses": ["NOPE"]}, "statuses[0] must be a inbound status of the es API"),
        ("es", "inbound", {"statuses": ["ACTIVE"]}, "statuses[0] must be a inbound status of the es API"),
        ("opensearch", "outbound", {"statuses": ["PENDING"]}, "statuses[0] must be a outbound status"),
        ("es", "inbound", {"source_owner_ids": ["abc"]}, "source_owner_ids[0] must be a 12-digit AWS account id"),
        ("es", "outbound", {"destination_owner_ids": ["1"]}, "destination_owner_ids[0] must be a 12-digit"),
        ("es", "inbound", {"source_domain_names": ["ok-logs", "Logs"]}, "source_domain_names[1] must be 3 to 28"),
        ("es", "outbound", {"destination_regions": ["eu-west"]}, "destination_regions[0] must be an AWS region"),
        ("opensearch", "inbound", {"connection_ids": ["CC-1"]}, "connection_ids[0] must be 10 to 256 characters"),
        ("opensearch", "inbound", {"connection_ids": ["Cc-0123456789"]}, "connection_ids[0] must start with"),
        ("es", "inbound", {"connection_ids": [""]}, "connection_ids[0] must not be empty"),
        ("es", "inbound", {"source_domain_names": "shared-logs"}, "source_domain_names must be a list of strings"),
        ("es", "inbound", {"statuses": [1]}, "statuses must be a list of strings"),
    ],
)
def test_filter_values_are_checked_naming_the_option(api_name, direction, filters, rule):
    options = INBOUND_FILTERS if direction == "inbound" else OUTBOUND_FILTERS
    assert rule in filters_problem(filters, options, APIS[api_name], direction)


@pytest.mark.parametrize("api_name", ["es", "opensearch"])
def test_valid_filters(api_name):
    filters = {
        "connection_ids": ["cc-0123456789abcdef"],
        "source_owner_ids": ["111111111111"],
        "source_domain_names": ["partner-logs"],
        "source_regions": ["eu-west-1", "us-gov-west-1", "ap-southeast-5"],
        "statuses": ["PENDING_ACCEPTANCE", "APPROVED", "DELETED"],
    }
    assert filters_problem(filters, INBOUND_FILTERS, APIS[api_name], "inbound") is None


@pytest.mark.parametrize(
    "entry,rule",
    [
        ({"owner_ids": "111111111111"}, "allow[0].owner_ids must be a non-empty list of 12-digit account ids"),
        ({"owner_ids": []}, "allow[0].owner_ids must be a non-empty list"),
        ({"owner_ids": ["111111111111", "12"]}, "allow[0].owner_ids[1] must be a 12-digit AWS account id, got '12'"),
        ({"owner_ids": [111111111111]}, "allow[0].owner_ids[0] must be a quoted string of 12 digits"),
        ({"owner_id": "111111111111", "owner_ids": ["222222222222"]}, "allow[0] has both owner_id and owner_ids"),
        ({"domain_name": "x-logs"}, "allow[0] needs one of owner_id, owner_ids, organization_id, source_ips, service"),
        (
            {"organization_id": "o-a1b2c3d4e5", "owner_id": "111111111111"},
            "allow[0] has both owner_id and organization_id",
        ),
        ({"organization_id": "r-a1b2"}, "allow[0].organization_id must be an AWS Organization id"),
        ({"organization_id": "o-short"}, "allow[0].organization_id must be an AWS Organization id"),
    ],
)
def test_owner_ids_problems_name_the_entry(entry, rule):
    assert rule in policy_problem(params([entry]))


def test_owner_ids_are_valid():
    assert policy_problem(params([{"owner_ids": ["111111111111", "222222222222"], "domain_name": "a-*"}])) is None


def test_an_organization_entry_is_valid():
    assert policy_problem(params([{"organization_id": "o-a1b2c3d4e5", "destination_domain_name": "shared-*"}])) is None


@pytest.mark.parametrize(
    "entry",
    [
        {"source_ips": ["203.0.113.0/24", "2001:db8::/32", "198.51.100.7"]},
        {"service": "firehose.amazonaws.com", "destination_domain_name": "logs-*"},
        {"service": "es.amazonaws.com.cn"},
        {"authenticated": True, "domain_name": "*", "region": "*"},
    ],
)
def test_the_entries_of_addresses_services_and_every_user_who_signs_in_are_valid(entry):
    assert policy_problem(params([entry])) is None


@pytest.mark.parametrize(
    "entry,rule",
    [
        ({"source_ips": "203.0.113.0/24"}, "allow[0].source_ips must be a non-empty list of address ranges"),
        ({"source_ips": []}, "allow[0].source_ips must be a non-empty list"),
        ({"source_ips": ["203.0.113.5/24"]}, "allow[0].source_ips[0] must be an address range such as 203.0.113.0/24"),
        ({"source_ips": ["203.0.113.0/33"]}, "allow[0].source_ips[0] must be an address range"),
        ({"source_ips": ["office"]}, "allow[0].source_ips[0] must be an address range"),
        ({"source_ips": ["10.0.0.0/8", "0.0.0.0/0"]}, "allow[0].source_ips[1] is 0.0.0.0/0, every address"),
        ({"source_ips": ["::/0"]}, "allow[0].source_ips[0] is ::/0, every address"),
        ({"service": "firehose"}, "allow[0].service must be an AWS service principal such as firehose.amazonaws.com"),
        ({"service": "firehose.amazonaws.co"}, "allow[0].service must be an AWS service principal"),
        ({"authenticated": False}, "allow[0].authenticated must be true"),
        ({"authenticated": "yes"}, "allow[0].authenticated must be true"),
        ({"source_ips": ["203.0.113.0/24"], "owner_id": "111111111111"}, "allow[0] has both owner_id and source_ips"),
        ({"service": "firehose.amazonaws.com", "domain_name": "x-*"}, "allow[0] has service and domain_name"),
        ({"organization_id": "o-a1b2c3d4e5", "region": "eu-*"}, "allow[0] has organization_id and region"),
        ({"authenticated": True, "source_ip": ["1.2.3.4/32"]}, "allow[0] has the unknown key 'source_ip'"),
    ],
)
def test_each_new_entry_key_is_checked_before_any_call(entry, rule):
    assert rule in policy_problem(params([entry]))


@pytest.mark.parametrize(
    "ids,rule",
    [
        ([], "organizational_unit_ids must name at least one OU or root"),
        (["ou-abcd"], "organizational_unit_ids[0] must be an organizational unit id"),
        (["r-abcd", "OU-ABCD-12345678"], "organizational_unit_ids[1] must be an organizational unit id"),
    ],
)
def test_organizational_unit_ids_are_checked(ids, rule):
    assert rule in organization_problem({"organizational_unit_ids": ids})


def test_valid_organizational_unit_ids():
    ids = ["r-ab12", "ou-ab12-abcdefgh", "ou-" + "a" * 32 + "-" + "1" * 32]
    assert organization_problem({"organizational_unit_ids": ids}) is None
    assert organization_problem({"organizational_unit_ids": None}) is None


@pytest.mark.parametrize(
    "entry,rule",
    [
        ({"owner_id": "111111111111", "expires": "2026-13-01"}, "allow[0].expires must be a date written YYYY-MM-DD"),
        ({"owner_id": "111111111111", "expires": "31/12/2026"}, "allow[0].expires must be a date written YYYY-MM-DD"),
        ({"owner_id": "111111111111", "expires": "2026-1-5"}, "allow[0].expires must be a date written YYYY-MM-DD"),
        ({"owner_id": "111111111111", "name": ""}, "allow[0].name must be text"),
        ({"owner_id": "111111111111", "reason": 5}, "allow[0].reason must be text"),
    ],
)
def test_an_exceptions_name_reason_and_expires_are_checked_before_any_call(entry, rule):
    assert rule in policy_problem(params([entry]))


def test_an_exception_with_a_name_a_reason_and_an_end_is_valid():
    entry = {"owner_id": "111111111111", "name": "vendor-x", "reason": "until the migration ends"}
    assert policy_problem(params([dict(entry, expires="2027-03-31")])) is None
    # YAML reads an unquoted date as a date.
    assert policy_problem(params([dict(entry, expires=datetime.date(2027, 3, 31))])) is None


def test_an_address_range_with_a_stray_space_is_refused_not_a_traceback_later():
    assert "allow[0].source_ips[0] must be an address range" in policy_problem(
        params([{"source_ips": ["203.0.113.0/24 "]}])
    )
