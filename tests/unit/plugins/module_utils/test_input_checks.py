from __future__ import annotations

import pytest

from ansible_collections.aws_search.cross_cluster.plugins.module_utils.input_checks import policy_problem

VALID = {"owner_id": "111111111111", "domain_name": "partner-*", "region": "eu-*", "destination_domain_name": "[ab]-x"}


def params(allow, **options):
    return {"allow": allow, "destination_domain_names": None, "max_concurrency": 4, **options}


@pytest.mark.parametrize(
    "allow,options,rule",
    [
        ([VALID, {"domain_name": "x-logs"}], {}, "allow[1] needs owner_id"),
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
