"""The rulebook organization_allowlist, run by the real ansible-rulebook: its event source polls the local endpoint,
its rule runs the collection's playbook aws_search.cross_cluster.organization_allowlist, which reads the organization
from moto's AWS Organizations and decides the requests against it."""

from __future__ import annotations

import boto3
import pytest
from local_endpoint.client import seed
from local_endpoint.client import statuses
from local_endpoint.endpoint import Endpoint
from local_endpoint.moto import moto_server
from local_endpoint.server import start_endpoint
from local_endpoint.store import Store

from .harness import OWNER_A
from .harness import Rulebook
from .harness import operations
from .harness import seed_request
from .harness import wait_for

RULEBOOK = "aws_search.cross_cluster.organization_allowlist"
PATIENCE = 120


@pytest.fixture(name="url")
def fixture_url():
    server = start_endpoint(Endpoint(store=Store(transition_seconds=3600)))
    yield server.url
    server.stop()


@pytest.fixture(name="moto_url")
def fixture_moto_url():
    with moto_server() as url:
        yield url


def organization(moto_url: str):
    """An OU with three accounts, one of them closed; its id, the active members and the closed one."""
    client = boto3.client(
        "organizations",
        region_name="us-east-1",
        endpoint_url=moto_url,
        aws_access_key_id="AKIDX",
        aws_secret_access_key="x",
    )
    client.create_organization(FeatureSet="ALL")
    root = client.list_roots()["Roots"][0]["Id"]
    unit = client.create_organizational_unit(ParentId=root, Name="data")["OrganizationalUnit"]["Id"]
    members = []
    for number in range(3):
        status = client.create_account(Email=f"m{number}@example.com", AccountName=f"member-{number}")
        members.append(status["CreateAccountStatus"]["AccountId"])
        client.move_account(AccountId=members[-1], SourceParentId=root, DestinationParentId=unit)
    client.close_account(AccountId=members[-1])
    outsider = client.create_account(Email="o@example.com", AccountName="outsider")["CreateAccountStatus"]["AccountId"]
    return unit, members[:-1], members[-1], outsider


def test_requests_are_decided_with_the_organization_as_the_allowlist(url, moto_url, tmp_path):
    unit, members, closed, outsider = organization(moto_url)
    member_request = seed_request(url, members[0], "es")
    # In the organization, outside the OU the allowlist names: rejected (the OU reaches the rulebook's playbook).
    outsider_request = seed_request(url, outsider, "es")
    stranger_request = seed_request(url, "333333333333", "es")
    closed_connection = seed(
        url, source={"owner_id": closed}, destination={"domain_name": "shared-logs"}, status="ACTIVE"
    )
    variables = {"organizational_unit_ids": [unit], "partners": []}
    environment = {"AWS_ENDPOINT_URL_ORGANIZATIONS": moto_url}
    options = ["-vv"]
    with Rulebook(url, tmp_path, "es", 2.0, options, RULEBOOK, more_vars=variables, more_env=environment) as rulebook:
        wanted = {
            member_request: "APPROVED",
            stranger_request: "REJECTING",
            outsider_request: "REJECTING",
            closed_connection: "DELETING",
        }
        wait_for(lambda: {key: statuses(url)[key] for key in wanted} == wanted, PATIENCE)
        wait_for(lambda: rulebook.actions_done() >= 1, PATIENCE)
        assert rulebook.running(), rulebook.output()
    # The requests came in one poll: one playbook run (one walk of the organization) decided them all.
    assert rulebook.actions_done() == 1, rulebook.output()
    assert "source_args" in rulebook.output() and OWNER_A.secret_key not in rulebook.output()
    writes = [call["operation"] for call in operations(url) if not call["operation"].startswith("Describe")]
    accept, reject, delete = (f"{verb}InboundCrossClusterSearchConnection" for verb in ("Accept", "Reject", "Delete"))
    assert sorted(writes) == sorted([accept, reject, reject, delete])
