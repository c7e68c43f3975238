"""Every kind of answer the endpoint gives (each operation, each status, both APIs, errors too), held against
botocore's own output shapes, from the raw JSON body (botocore's parser would drop what the model lacks)."""

from __future__ import annotations

import json

import boto3
import botocore.session
import pytest
from botocore.exceptions import ClientError

from .endpoint import DEFAULT_KEYS
from .endpoint import Endpoint
from .model_check import problems
from .server import start_endpoint
from .store import Store
from .test_endpoint import NO_RETRIES
from .test_endpoint import seed

OWNER_A, OWNER_B = DEFAULT_KEYS
STATUSES = [
    "VALIDATING",
    "VALIDATION_FAILED",
    "PENDING_ACCEPTANCE",
    "APPROVED",
    "PROVISIONING",
    "ACTIVE",
    "REJECTING",
    "REJECTED",
    "DELETING",
    "DELETED",
]


@pytest.fixture(name="server")
def fixture_server():
    server = start_endpoint(Endpoint(store=Store(transition_seconds=3600)))
    yield server
    server.stop()


class Recorder:
    """A client of one API whose raw answers are kept: (operation name, HTTP status, parsed JSON body)."""

    def __init__(self, server, service: str, key) -> None:
        self.client = boto3.client(
            service,
            endpoint_url=server.url,
            region_name="us-east-1",
            aws_access_key_id=key.access_key,
            aws_secret_access_key=key.secret_key,
            config=NO_RETRIES,
        )
        self.answers = []
        self.client.meta.events.register("after-call", self.keep)

    def keep(self, http_response, model, **_kwargs) -> None:
        self.answers.append((model.name, http_response.status_code, json.loads(http_response.content)))

    def call(self, method: str, **params) -> None:
        try:
            getattr(self.client, method)(**params)
        except ClientError:
            pass  # the answer is kept all the same


def methods(service: str) -> dict:
    if service == "es":
        names = ("describe_inbound", "describe_outbound", "accept", "reject", "delete_inbound", "create", "delete_out")
        suffixes = (
            "describe_inbound_cross_cluster_search_connections",
            "describe_outbound_cross_cluster_search_connections",
            "accept_inbound_cross_cluster_search_connection",
            "reject_inbound_cross_cluster_search_connection",
            "delete_inbound_cross_cluster_search_connection",
            "create_outbound_cross_cluster_search_connection",
            "delete_outbound_cross_cluster_search_connection",
        )
        return dict(zip(names, suffixes)) | {"id": "CrossClusterSearchConnectionId", "nested": False}
    return {
        "describe_inbound": "describe_inbound_connections",
        "describe_outbound": "describe_outbound_connections",
        "accept": "accept_inbound_connection",
        "reject": "reject_inbound_connection",
        "delete_inbound": "delete_inbound_connection",
        "create": "create_outbound_connection",
        "delete_out": "delete_outbound_connection",
        "id": "ConnectionId",
        "nested": True,
    }


def domain(service: str, name: str, owner: str) -> dict:
    info = {"DomainName": name, "OwnerId": owner, "Region": "us-east-1"}
    return {"AWSDomainInformation": info} if service == "opensearch" else info


def play_every_answer(server, service: str):
    """A's outbound and B's inbound connections in every status and mode, and every operation on them."""
    names = methods(service)
    for status in STATUSES:
        for mode in ("DIRECT", "VPC_ENDPOINT"):
            spec = {"owner_id": OWNER_A.account}
            seed(server, status=status, mode=mode, source=spec, destination={"owner_id": OWNER_B.account})
    a, b = Recorder(server, service, OWNER_A), Recorder(server, service, OWNER_B)
    a.call(names["describe_outbound"])
    b.call(names["describe_inbound"])
    for action in ("accept", "reject", "delete_inbound"):
        pending = seed(server, source={"owner_id": OWNER_A.account}, destination={"owner_id": OWNER_B.account})
        b.call(names[action], **{names["id"]: pending})
        b.call(names[action], **{names["id"]: pending})  # again: an invalid transition
    b.call(names["accept"], **{names["id"]: "cc-nothing-here"})
    source_key, destination_key = (
        ("LocalDomainInfo", "RemoteDomainInfo") if names["nested"] else ("SourceDomainInfo", "DestinationDomainInfo")
    )
    create = {
        source_key: domain(service, "a-logs", OWNER_A.account),
        destination_key: domain(service, "b-logs", OWNER_B.account),
    }
    a.call(names["create"], ConnectionAlias="fidelity", **create)
    a.call(names["create"], ConnectionAlias="fidelity", **create)  # a duplicate
    created = a.answers[-2][2]
    a.call(names["delete_out"], **{names["id"]: created.get(names["id"]) or "cc-nothing-here"})
    a.call(names["describe_outbound"], Filters=[{"Name": "no-such-filter", "Values": ["x"]}])
    return a.answers + b.answers


@pytest.mark.parametrize("service", ["es", "opensearch"])
def test_every_answer_matches_the_model(server, service):
    model = botocore.session.get_session().get_service_model(service)
    answers = play_every_answer(server, service)
    found = []
    for operation, status, body in answers:
        shape = model.operation_model(operation).output_shape if status == 200 else None
        if shape is not None:
            found += problems(body, shape, operation)
    assert found == []
    assert {status for _operation, status, _body in answers} >= {200, 400, 409}


@pytest.mark.parametrize("service", ["es", "opensearch"])
def test_every_error_is_one_the_model_names_with_its_status(server, service):
    """Error shapes are empty in both models: the body is the protocol's {"message": ...}, the code a header."""
    model = botocore.session.get_session().get_service_model(service)
    statuses = {
        shape.name: shape.metadata["error"]["httpStatusCode"]
        for shape in model.error_shapes
        if "error" in shape.metadata
    }
    recorder = Recorder(server, service, OWNER_B)
    errors = []

    def keep_error(http_response, **_kwargs):
        if http_response.status_code >= 400:
            code = http_response.headers.get("x-amzn-ErrorType")
            errors.append((code, http_response.status_code, json.loads(http_response.content)))

    recorder.client.meta.events.register("after-call", keep_error)
    names = methods(service)
    pending = seed(server, source={"owner_id": OWNER_A.account}, destination={"owner_id": OWNER_B.account})
    recorder.call(names["reject"], **{names["id"]: pending})
    recorder.call(names["accept"], **{names["id"]: pending})
    recorder.call(names["accept"], **{names["id"]: "cc-nothing-here"})
    recorder.call(names["describe_inbound"], NextToken="not-a-token")
    assert [code for code, _status, _body in errors] == [
        "ValidationException",
        "ResourceNotFoundException",
        "InvalidPaginationTokenException",
    ]
    for code, status, body in errors:
        assert status == statuses[code]
        assert list(body) == ["message"] and isinstance(body["message"], str)


def test_the_checker_finds_what_the_endpoint_once_got_wrong():
    model = botocore.session.get_session().get_service_model("opensearch")
    connection = model.shape_for("OutboundConnection")
    assert problems({"ConnectionAlias": ""}, connection, "c") == [
        "c.ConnectionAlias: '' is not 2 to 100 characters long",
        "c.ConnectionAlias: '' does not match [a-zA-Z][a-zA-Z0-9\\-\\_]+",
    ]
    assert problems({"ConnectionMode": "MAGIC"}, connection, "c") == [
        "c.ConnectionMode: 'MAGIC' is not one of ['DIRECT', 'VPC_ENDPOINT']"
    ]
    assert problems({"Surprise": 1}, connection, "c") == ["c.Surprise: not in the model"]
