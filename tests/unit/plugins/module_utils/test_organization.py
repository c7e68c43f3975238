"""The walk of an organization's OU tree, against botocore's Stubber (every request and answer checked against the
Organizations model): one listing per OU, deep trees, empty pages that still have a NextToken, State or Status."""

from __future__ import annotations

import boto3
import pytest
from botocore.stub import Stubber

from ansible_collections.aws_search.cross_cluster.plugins.module_utils.organization import Organization
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.organization import OrganizationError
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.organization import account_state

ROOT = "r-ab12"


def ou(number: int) -> str:
    return f"ou-ab12-{number:08d}"


def account(number: int, **fields) -> dict:
    return {"Id": f"{number:012d}", "Name": f"account-{number}", **fields}


@pytest.fixture(name="stub")
def fixture_stub():
    client = boto3.client(
        "organizations", region_name="us-east-1", aws_access_key_id="AKIDTEST", aws_secret_access_key="x"
    )
    with Stubber(client) as stubber:
        yield client, stubber
        stubber.assert_no_pending_responses()


def expect(stubber, operation: str, parent: str, items: list, next_token: str = "", token: str = "") -> None:
    key = {"list_accounts_for_parent": "Accounts", "list_organizational_units_for_parent": "OrganizationalUnits"}
    answer = {key[operation]: items, **({"NextToken": next_token} if next_token else {})}
    stubber.add_response(
        operation, answer, {"ParentId": parent, "MaxResults": 20, **({"NextToken": token} if token else {})}
    )


def test_a_deep_tree_is_walked_once_with_each_accounts_direct_parent(stub):
    client, stubber = stub
    # ou-1 > ou-2 > ou-3 > ou-4 > ou-5, one account in each, and a page that is empty but not the last.
    for level in range(1, 6):
        expect(stubber, "list_accounts_for_parent", ou(level), [], next_token="more", token="")
        expect(stubber, "list_accounts_for_parent", ou(level), [account(level, Status="ACTIVE")], token="more")
        children = [{"Id": ou(level + 1), "Name": f"level-{level + 1}"}] if level < 5 else []
        expect(stubber, "list_organizational_units_for_parent", ou(level), children)
    found = Organization(client).accounts([ou(1)])
    assert [(a.account_id, a.organizational_unit_id) for a in found] == [(f"{n:012d}", ou(n)) for n in range(1, 6)]


def test_the_whole_organization_starts_at_its_roots(stub):
    client, stubber = stub
    stubber.add_response("list_roots", {"Roots": [{"Id": ROOT, "Name": "Root"}]}, {"MaxResults": 20})
    expect(stubber, "list_accounts_for_parent", ROOT, [account(1, Status="SUSPENDED"), account(2, Status="ACTIVE")])
    expect(stubber, "list_organizational_units_for_parent", ROOT, [])
    found = Organization(client).accounts()
    assert [(a.account_id, a.state) for a in found] == [("000000000001", "SUSPENDED"), ("000000000002", "ACTIVE")]


@pytest.mark.parametrize(
    "fields,state",
    [({"State": "CLOSED", "Status": "SUSPENDED"}, "CLOSED"), ({"Status": "SUSPENDED"}, "SUSPENDED"), ({}, None)],
)
def test_state_is_read_first_then_the_retiring_status(fields, state):
    """botocore models that know State parse it; older ones (1.44 included) keep only Status."""
    assert account_state(account(1, **fields)) == state


def test_an_ou_given_twice_or_below_another_is_listed_once(stub):
    client, stubber = stub
    expect(stubber, "list_accounts_for_parent", ou(1), [account(1, Status="ACTIVE")])
    expect(stubber, "list_organizational_units_for_parent", ou(1), [{"Id": ou(2), "Name": "two"}])
    expect(stubber, "list_accounts_for_parent", ou(2), [account(2, Status="ACTIVE")])
    expect(stubber, "list_organizational_units_for_parent", ou(2), [])
    found = Organization(client).accounts([ou(1), ou(2), ou(1)])
    assert [a.account_id for a in found] == ["000000000001", "000000000002"]


def test_an_ou_that_does_not_exist_is_named(stub):
    client, stubber = stub
    stubber.add_client_error("list_accounts_for_parent", "ParentNotFoundException", "no such parent", 400)
    with pytest.raises(OrganizationError, match=r"organizational_unit_ids\[0\] 'ou-ab12-00000009' is not"):
        Organization(client).accounts([ou(9)])


@pytest.mark.parametrize(
    "code,hint",
    [
        ("AccessDeniedException", "only the organization's management account or a delegated administrator"),
        ("AWSOrganizationsNotInUseException", "is not in an AWS Organization"),
        ("TooManyRequestsException", "kept throttling"),
    ],
)
def test_the_errors_users_meet_come_with_a_hint(stub, code, hint):
    client, stubber = stub
    stubber.add_client_error("list_roots", code, "no", 400)
    with pytest.raises(OrganizationError, match=hint):
        Organization(client).accounts()


def test_an_answer_without_its_entries_is_a_sentence_never_an_empty_organization(stub):
    client, stubber = stub
    stubber.add_response("list_roots", {}, {"MaxResults": 20})
    with pytest.raises(OrganizationError, match="could not be read as the API's JSON; check that endpoint_url"):
        Organization(client).accounts()


def test_an_account_without_its_id_is_a_sentence_not_a_key_error(stub):
    client, stubber = stub
    stubber.add_response(
        "list_accounts_for_parent", {"Accounts": [{"Name": "no-id"}]}, {"ParentId": ROOT, "MaxResults": 20}
    )
    with pytest.raises(
        OrganizationError, match=r"Could not read the organization's accounts \(list_accounts_for_parent\)"
    ):
        Organization(client).accounts([ROOT])
