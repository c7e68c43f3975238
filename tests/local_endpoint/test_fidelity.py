"""Every kind of answer the endpoint gives (each operation, each status, both APIs, errors too), held against
botocore's own output shapes, from the raw JSON body (botocore's parser would drop what the model lacks)."""

from __future__ import annotations

import json

import boto3
import botocore.session
import pytest
from botocore import xform_name
from botocore.exceptions import ClientError

from .client import control
from .endpoint import DEFAULT_KEYS
from .endpoint import Endpoint
from .model_check import problems
from .server import start_endpoint
from .store import Domain
from .store import Store
from .test_endpoint import NO_RETRIES
from .test_endpoint import seed
from .wire import WIRES
from .wire import Wire

OWNER_A, OWNER_B = DEFAULT_KEYS
WIRES_BY_SERVICE = {wire.service: wire for wire in WIRES}
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


def method(wire: Wire, handler: str) -> str:
    """The boto3 client method of the operation the endpoint serves with handler, such as "accept_inbound"."""
    return xform_name(next(operation for operation, name in wire.operations.items() if name == handler))


def domain(wire: Wire, name: str, owner: str) -> dict:
    return wire.render_domain(Domain(owner_id=owner, domain_name=name, region="us-east-1"))


def play_every_answer(server, service: str):
    """A's outbound and B's inbound connections in every status and mode, and every operation on them."""
    wire = WIRES_BY_SERVICE[service]
    for status in STATUSES:
        for mode in ("DIRECT", "VPC_ENDPOINT"):
            spec = {"owner_id": OWNER_A.account}
            seed(server, status=status, mode=mode, source=spec, destination={"owner_id": OWNER_B.account})
    a, b = Recorder(server, service, OWNER_A), Recorder(server, service, OWNER_B)
    a.call(method(wire, "describe_outbound"))
    b.call(method(wire, "describe_inbound"))
    for handler in ("accept_inbound", "reject_inbound", "delete_inbound"):
        pending = seed(server, source={"owner_id": OWNER_A.account}, destination={"owner_id": OWNER_B.account})
        b.call(method(wire, handler), **{wire.id_key: pending})
        b.call(method(wire, handler), **{wire.id_key: pending})  # again: an invalid transition
    b.call(method(wire, "accept_inbound"), **{wire.id_key: "cc-nothing-here"})
    create = {
        wire.source_key: domain(wire, "a-logs", OWNER_A.account),
        wire.destination_key: domain(wire, "b-logs", OWNER_B.account),
    }
    a.call(method(wire, "create_outbound"), ConnectionAlias="fidelity", **create)
    a.call(method(wire, "create_outbound"), ConnectionAlias="fidelity", **create)  # a duplicate
    created = a.answers[-2][2]
    a.call(method(wire, "delete_outbound"), **{wire.id_key: created.get(wire.id_key) or "cc-nothing-here"})
    a.call(method(wire, "describe_outbound"), Filters=[{"Name": "no-such-filter", "Values": ["x"]}])
    control(server.url, "hosted_domains", {"owner_id": OWNER_A.account, "count": 2, "tags": {"team": "search"}})
    control(
        server.url,
        "hosted_domains",
        {"owner_id": OWNER_A.account, "domain_names": ["old-es"], "engine_type": "Elasticsearch"},
    )
    a.call("list_domain_names")
    a.call("list_domain_names", EngineType="Elasticsearch")
    a.call("list_tags", ARN=f"arn:aws:es:us-east-1:{OWNER_A.account}:domain/logs-00")
    a.call("list_tags", ARN=f"arn:aws:es:us-east-1:{OWNER_B.account}:domain/logs-00")  # not the caller's: not found
    play_domain_access(server, wire, a)
    return a.answers + b.answers


def play_domain_access(server, wire: Wire, a: "Recorder") -> None:
    """Domains described (public and VPC, with a policy and fine-grained access control), VPC endpoint access listed
    over pages, authorized, revoked, and refused."""
    policy = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "es:*"}]}
    security = {"enabled": True, "internal_user_database_enabled": True, "anonymous_auth_enabled": True}
    spec = {"owner_id": OWNER_A.account, "access_policy": policy, "fine_grained_access_control": security}
    control(server.url, "hosted_domains", {**spec, "domain_names": ["open-logs"]})
    accounts = [f"55555555550{number}" for number in range(4)]
    vpc = {"vpc_id": "vpc-0123456789abcdef0", "vpc_endpoint_access": accounts, "domain_names": ["vpc-logs"]}
    control(server.url, "hosted_domains", {**spec, **vpc})
    describe = method(wire, "describe_domains")
    a.call(describe, DomainNames=["open-logs", "vpc-logs", "no-such-domain"])
    a.call(describe, DomainNames=[f"logs-0{number}" for number in range(6)])  # more than 5: refused
    a.call("list_vpc_endpoint_access", DomainName="vpc-logs")
    a.call("list_vpc_endpoint_access", DomainName="vpc-logs", NextToken=a.answers[-1][2].get("NextToken", "x"))
    a.call("list_vpc_endpoint_access", DomainName="open-logs")  # a public domain: refused
    a.call("authorize_vpc_endpoint_access", DomainName="vpc-logs", Account="666666666666")
    if wire.opensearch_only:
        a.call(
            "authorize_vpc_endpoint_access",
            DomainName="vpc-logs",
            Service="application.opensearchservice.amazonaws.com",
        )
    a.call("revoke_vpc_endpoint_access", DomainName="vpc-logs", Account="666666666666")
    a.call("revoke_vpc_endpoint_access", DomainName="vpc-logs", Account="666666666666")  # gone already: not found
    a.call(wire.describe_config, DomainName="open-logs")
    a.call(wire.update_config, DomainName="open-logs", AccessPolicies=json.dumps({"Statement": []}))
    a.call(wire.update_config, DomainName="open-logs", AccessPolicies="not json")  # refused
    a.call(wire.describe_config, DomainName="no-such-domain")  # not found


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
    wire = WIRES_BY_SERVICE[service]
    pending = seed(server, source={"owner_id": OWNER_A.account}, destination={"owner_id": OWNER_B.account})
    recorder.call(method(wire, "reject_inbound"), **{wire.id_key: pending})
    recorder.call(method(wire, "accept_inbound"), **{wire.id_key: pending})
    recorder.call(method(wire, "accept_inbound"), **{wire.id_key: "cc-nothing-here"})
    recorder.call(method(wire, "describe_inbound"), NextToken="not-a-token")
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
