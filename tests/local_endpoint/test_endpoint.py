"""The local endpoint, driven by unmodified boto3 clients over HTTP on 127.0.0.1."""

from __future__ import annotations

import json
import time
import urllib.request

import boto3
import botocore.exceptions
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from .endpoint import DEFAULT_KEYS
from .endpoint import Endpoint
from .server import start_endpoint
from .store import Store

OWNER_A, OWNER_B = DEFAULT_KEYS
NO_RETRIES = Config(retries={"total_max_attempts": 1, "mode": "standard"})


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(name="clock")
def fixture_clock():
    return FakeClock()


@pytest.fixture(name="server")
def fixture_server(clock):
    server = start_endpoint(Endpoint(store=Store(transition_seconds=1.0, clock=clock)))
    yield server
    server.stop()


def client(server, service="es", key=OWNER_A, secret=None, region="us-east-1", config=NO_RETRIES):
    return boto3.client(
        service,
        endpoint_url=server.url,
        region_name=region,
        aws_access_key_id=key.access_key,
        aws_secret_access_key=secret or key.secret_key,
        config=config,
    )


def control(server, method, path, body=None):
    request = urllib.request.Request(
        f"{server.url}/_control/{path}", data=json.dumps(body or {}).encode(), method=method
    )
    with urllib.request.urlopen(request) as answer:
        return json.load(answer)


def seed(server, **spec):
    return control(server, "POST", "connections", spec)["connection_id"]


def error_of(call, **params):
    with pytest.raises(ClientError) as raised:
        call(**params)
    return raised.value.response["Error"]["Code"], raised.value.response["ResponseMetadata"]["HTTPStatusCode"]


def test_describe_shows_each_api_its_own_shape(server):
    connection_id = seed(server)
    legacy = client(server).describe_inbound_cross_cluster_search_connections()["CrossClusterSearchConnections"]
    modern = client(server, "opensearch").describe_inbound_connections()["Connections"]
    assert legacy[0]["CrossClusterSearchConnectionId"] == connection_id
    assert legacy[0]["SourceDomainInfo"]["OwnerId"] == OWNER_B.account
    assert modern[0]["ConnectionId"] == connection_id
    assert modern[0]["RemoteDomainInfo"]["AWSDomainInformation"]["OwnerId"] == OWNER_A.account
    assert modern[0]["ConnectionMode"] == "DIRECT"


def test_an_account_sees_only_connections_to_its_own_domains(server):
    seed(server)
    assert (
        client(server, key=OWNER_B).describe_inbound_cross_cluster_search_connections()["CrossClusterSearchConnections"]
        == []
    )


def test_filters_match_any_of_their_values(server):
    wanted = seed(server, source={"domain_name": "wanted-logs"})
    seed(server, source={"domain_name": "other-logs"})
    found = client(server, "opensearch").describe_inbound_connections(
        Filters=[{"Name": "local-domain-info.domain-name", "Values": ["wanted-logs", "missing"]}]
    )["Connections"]
    assert [c["ConnectionId"] for c in found] == [wanted]


def test_unknown_filter_name_is_a_validation_error(server):
    call = client(server).describe_inbound_cross_cluster_search_connections
    assert error_of(call, Filters=[{"Name": "connection-id", "Values": ["x"]}]) == ("ValidationException", 400)


def test_pagination_follows_next_token_to_the_end(server):
    seeded = [seed(server, connection_id=f"cc-page-{number}") for number in range(5)]
    es = client(server)
    pages, token = [], None
    while True:
        answer = es.describe_inbound_cross_cluster_search_connections(
            MaxResults=2, **({"NextToken": token} if token else {})
        )
        pages.append([c["CrossClusterSearchConnectionId"] for c in answer["CrossClusterSearchConnections"]])
        token = answer.get("NextToken")
        if not token:
            break
    assert [len(page) for page in pages] == [2, 2, 1]
    assert sum(pages, []) == seeded


def test_bad_next_token_is_refused(server):
    call = client(server).describe_inbound_cross_cluster_search_connections
    assert error_of(call, NextToken="not-a-token") == ("InvalidPaginationTokenException", 400)


def test_statuses_move_on_by_themselves(server, clock):
    connection_id = seed(server, created_with="opensearch")
    api = client(server, "opensearch")
    assert (
        api.accept_inbound_connection(ConnectionId=connection_id)["Connection"]["ConnectionStatus"]["StatusCode"]
        == "APPROVED"
    )
    seen = []
    for second in (1.0, 2.0, 3.0):
        clock.now = 1000.0 + second
        seen.append(api.describe_inbound_connections()["Connections"][0]["ConnectionStatus"]["StatusCode"])
    assert seen == ["PROVISIONING", "ACTIVE", "ACTIVE"]
    legacy = client(server).describe_inbound_cross_cluster_search_connections()["CrossClusterSearchConnections"]
    assert legacy[0]["ConnectionStatus"]["StatusCode"] == "APPROVED"


def test_reject_and_delete_answer_the_transitional_status(server, clock):
    es = client(server)
    first, second = seed(server), seed(server)
    rejected = es.reject_inbound_cross_cluster_search_connection(CrossClusterSearchConnectionId=first)
    deleted = es.delete_inbound_cross_cluster_search_connection(CrossClusterSearchConnectionId=second)
    assert rejected["CrossClusterSearchConnection"]["ConnectionStatus"]["StatusCode"] == "REJECTING"
    assert deleted["CrossClusterSearchConnection"]["ConnectionStatus"]["StatusCode"] == "DELETING"
    clock.now += 1.0
    statuses = [
        c["ConnectionStatus"]["StatusCode"]
        for c in es.describe_inbound_cross_cluster_search_connections()["CrossClusterSearchConnections"]
    ]
    assert statuses == ["REJECTED", "DELETED"]


def test_invalid_transitions_are_refused(server):
    connection_id = seed(server, status="REJECTED")
    call = client(server).accept_inbound_cross_cluster_search_connection
    assert error_of(call, CrossClusterSearchConnectionId=connection_id) == ("ValidationException", 400)


def test_unknown_connection_is_not_found_with_the_models_status(server):
    call = client(server, "opensearch").reject_inbound_connection
    assert error_of(call, ConnectionId="cc-does-not-exist") == ("ResourceNotFoundException", 409)


def test_opensearch_ids_are_checked_against_the_pattern(server):
    call = client(server, "opensearch").reject_inbound_connection
    assert error_of(call, ConnectionId="Upper_Case_Id") == ("ValidationException", 400)


def test_opensearch_connection_cannot_be_accepted_with_the_legacy_api(server):
    connection_id = seed(server, created_with="opensearch")
    with pytest.raises(ClientError, match="cannot be accepted with Amazon Elasticsearch Service SDK"):
        client(server).accept_inbound_cross_cluster_search_connection(CrossClusterSearchConnectionId=connection_id)


def test_unknown_key_and_bad_signature_are_refused_as_aws_does(server):
    stranger = type(OWNER_A)("AKIDUNKNOWN000000000", "whatever", "333333333333")
    unknown = client(server, key=stranger).describe_inbound_cross_cluster_search_connections
    bad = client(server, secret="wrong").describe_inbound_cross_cluster_search_connections
    assert error_of(unknown) == ("UnrecognizedClientException", 403)
    assert error_of(bad) == ("InvalidSignatureException", 403)


def test_unsigned_request_is_refused(server):
    request = urllib.request.Request(
        f"{server.url}/2015-01-01/es/ccs/inboundConnection/search", data=b"{}", method="POST"
    )
    with pytest.raises(urllib.error.HTTPError) as raised:
        urllib.request.urlopen(request)
    assert raised.value.code == 403
    assert raised.value.headers["x-amzn-ErrorType"] == "MissingAuthenticationTokenException"


def test_faults_fail_the_next_calls_then_stop(server):
    control(
        server, "POST", "faults", {"operation": "DescribeInboundConnections", "count": 2, "code": "ThrottlingException"}
    )
    api = client(server, "opensearch")
    assert error_of(api.describe_inbound_connections) == ("ThrottlingException", 429)
    assert error_of(api.describe_inbound_connections) == ("ThrottlingException", 429)
    assert api.describe_inbound_connections()["Connections"] == []


def test_legacy_api_throttles_with_400_as_seen_on_aws(server):
    control(server, "POST", "faults", {"operation": "DescribeInboundCrossClusterSearchConnections"})
    assert error_of(client(server).describe_inbound_cross_cluster_search_connections) == ("ThrottlingException", 400)


def test_internal_error_fault_answers_500(server):
    control(server, "POST", "faults", {"operation": "DescribeInboundConnections", "code": "InternalException"})
    assert error_of(client(server, "opensearch").describe_inbound_connections) == ("InternalException", 500)


def test_call_log_records_operation_account_and_outcome_without_secrets(server):
    connection_id = seed(server)
    client(server).reject_inbound_cross_cluster_search_connection(CrossClusterSearchConnectionId=connection_id)
    calls = control(server, "POST", "calls/take")["calls"]
    assert [(c["operation"], c["account"], c["status"], c["connection_id"]) for c in calls] == [
        ("RejectInboundCrossClusterSearchConnection", OWNER_A.account, 200, connection_id)
    ]
    assert OWNER_A.secret_key not in json.dumps(calls)
    assert control(server, "POST", "calls/take")["calls"] == []


def test_reset_forgets_everything(server):
    seed(server)
    control(server, "POST", "reset")
    assert control(server, "GET", "connections")["connections"] == []


def request_connection(server, service="es", alias="partner", remote="b-logs"):
    api = client(server, service, key=OWNER_A)
    local = {"OwnerId": OWNER_A.account, "DomainName": "a-logs", "Region": "us-east-1"}
    remote_info = {"OwnerId": OWNER_B.account, "DomainName": remote, "Region": "us-east-1"}
    if service == "es":
        return api.create_outbound_cross_cluster_search_connection(
            SourceDomainInfo=local, DestinationDomainInfo=remote_info, ConnectionAlias=alias
        )
    return api.create_outbound_connection(
        LocalDomainInfo={"AWSDomainInformation": local},
        RemoteDomainInfo={"AWSDomainInformation": remote_info},
        ConnectionAlias=alias,
    )


@pytest.fixture(name="b_domain")
def fixture_b_domain(server):
    control(server, "POST", "domains", {"owner_id": OWNER_B.account, "domain_name": "b-logs"})


def test_handshake_across_two_accounts(server, clock, b_domain):
    created = request_connection(server, "opensearch")
    connection_id = created["ConnectionId"]
    assert created["ConnectionStatus"]["StatusCode"] == "VALIDATING"
    b_side = client(server, "opensearch", key=OWNER_B)
    assert b_side.describe_inbound_connections()["Connections"] == []
    clock.now += 1.0
    inbound = b_side.describe_inbound_connections()["Connections"]
    assert [(c["ConnectionId"], c["ConnectionStatus"]["StatusCode"]) for c in inbound] == [
        (connection_id, "PENDING_ACCEPTANCE")
    ]
    b_side.accept_inbound_connection(ConnectionId=connection_id)
    a_side = client(server, "opensearch", key=OWNER_A)
    outbound = a_side.describe_outbound_connections()["Connections"][0]
    assert (outbound["ConnectionStatus"]["StatusCode"], outbound["ConnectionAlias"]) == ("APPROVED", "partner")
    assert a_side.delete_outbound_connection(ConnectionId=connection_id)["Connection"]["ConnectionStatus"][
        "StatusCode"
    ] == ("DELETING")
    assert b_side.describe_inbound_connections()["Connections"][0]["ConnectionStatus"]["StatusCode"] == "DELETING"


def test_neither_account_acts_on_the_others_side(server, clock, b_domain):
    connection_id = request_connection(server)["CrossClusterSearchConnectionId"]
    clock.now += 1.0
    a_accepts = client(server, key=OWNER_A).accept_inbound_cross_cluster_search_connection
    b_deletes_outbound = client(server, key=OWNER_B).delete_outbound_cross_cluster_search_connection
    assert error_of(a_accepts, CrossClusterSearchConnectionId=connection_id) == ("ResourceNotFoundException", 409)
    assert error_of(b_deletes_outbound, CrossClusterSearchConnectionId=connection_id) == (
        "ResourceNotFoundException",
        409,
    )


def test_legacy_outbound_view_has_no_approved_status(server, clock, b_domain):
    connection_id = request_connection(server)["CrossClusterSearchConnectionId"]
    clock.now += 1.0
    client(server, key=OWNER_B).accept_inbound_cross_cluster_search_connection(
        CrossClusterSearchConnectionId=connection_id
    )
    outbound = client(server).describe_outbound_cross_cluster_search_connections()["CrossClusterSearchConnections"]
    assert outbound[0]["ConnectionStatus"]["StatusCode"] == "PROVISIONING"


def test_unknown_remote_domain_fails_validation(server, clock):
    request_connection(server, remote="nobody-logs")
    clock.now += 1.0
    outbound = client(server).describe_outbound_cross_cluster_search_connections()["CrossClusterSearchConnections"]
    assert outbound[0]["ConnectionStatus"]["StatusCode"] == "VALIDATION_FAILED"
    assert (
        client(server, key=OWNER_B).describe_inbound_cross_cluster_search_connections()["CrossClusterSearchConnections"]
        == []
    )


def test_duplicate_request_already_exists(server, b_domain):
    request_connection(server)
    with pytest.raises(ClientError) as raised:
        request_connection(server)
    assert raised.value.response["Error"]["Code"] == "ResourceAlreadyExistsException"


def test_twenty_first_connection_exceeds_the_limit(server, b_domain):
    for number in range(20):
        request_connection(server, alias=f"partner{number}")
    with pytest.raises(ClientError) as raised:
        request_connection(server, alias="partner20")
    assert raised.value.response["Error"]["Code"] == "LimitExceededException"


def test_opensearch_alias_rule_is_enforced(server, b_domain):
    with pytest.raises(ClientError) as raised:
        request_connection(server, "opensearch", alias="9-starts-with-a-digit")
    assert raised.value.response["Error"]["Code"] == "ValidationException"


def test_a_connection_is_seen_only_from_its_own_region(server):
    connection_id = seed(server, destination={"region": "eu-west-1"})
    here = client(server, region="eu-west-1")
    elsewhere = client(server)  # us-east-1
    assert here.describe_inbound_cross_cluster_search_connections()["CrossClusterSearchConnections"]
    assert elsewhere.describe_inbound_cross_cluster_search_connections()["CrossClusterSearchConnections"] == []
    reject = elsewhere.reject_inbound_cross_cluster_search_connection
    assert error_of(reject, CrossClusterSearchConnectionId=connection_id) == ("ResourceNotFoundException", 409)


def test_an_outbound_domain_without_a_region_is_in_the_callers_region(server):
    control(server, "POST", "domains", {"owner_id": OWNER_B.account, "domain_name": "b-logs", "region": "us-east-1"})
    created = client(server).create_outbound_cross_cluster_search_connection(
        SourceDomainInfo={"DomainName": "a-logs"},
        DestinationDomainInfo={"DomainName": "b-logs", "OwnerId": OWNER_B.account},
        ConnectionAlias="partner",
    )
    assert created["SourceDomainInfo"]["Region"] == "us-east-1"
    assert created["DestinationDomainInfo"]["Region"] == "us-east-1"


def test_describes_show_the_previous_status_while_reads_lag(server, clock):
    control(server, "POST", "settings", {"stale_seconds": 5})
    connection_id = seed(server)
    es = client(server)
    answer = es.reject_inbound_cross_cluster_search_connection(CrossClusterSearchConnectionId=connection_id)
    assert answer["CrossClusterSearchConnection"]["ConnectionStatus"]["StatusCode"] == "REJECTING"

    def shown():
        found = es.describe_inbound_cross_cluster_search_connections()["CrossClusterSearchConnections"]
        return found[0]["ConnectionStatus"]["StatusCode"]

    assert shown() == "PENDING_ACCEPTANCE"
    clock.now += 5  # REJECTING moved on to REJECTED 1 s after the rejection: 4 s ago, so that does not show yet
    assert shown() == "REJECTING"
    clock.now += 1
    assert shown() == "REJECTED"


@pytest.mark.parametrize("http_status", [429, 503])
def test_an_error_fault_can_carry_another_http_status(server, http_status):
    control(server, "POST", "faults", {"operation": "DescribeInboundConnections", "http_status": http_status})
    call = client(server, "opensearch").describe_inbound_connections
    assert error_of(call) == ("ThrottlingException", http_status)


def test_a_reset_fault_breaks_the_connection(server):
    control(server, "POST", "faults", {"operation": "DescribeInboundConnections", "kind": "reset"})
    with pytest.raises(botocore.exceptions.ConnectionClosedError):
        client(server, "opensearch").describe_inbound_connections()


def test_a_garbage_fault_answers_200_with_html_which_botocore_reads_as_nothing(server):
    control(server, "POST", "faults", {"operation": "DescribeInboundConnections", "kind": "garbage"})
    answer = client(server, "opensearch").describe_inbound_connections()
    assert "Connections" not in answer


def test_a_slow_fault_answers_after_its_delay(server):
    control(server, "POST", "faults", {"operation": "DescribeInboundConnections", "kind": "slow", "delay": 0.3})
    patient = client(server, "opensearch")
    assert patient.describe_inbound_connections()["Connections"] == []
    impatient = client(server, "opensearch", config=NO_RETRIES.merge(Config(read_timeout=0.1)))
    control(server, "POST", "faults", {"operation": "DescribeInboundConnections", "kind": "slow", "delay": 0.5})
    with pytest.raises(botocore.exceptions.ReadTimeoutError):
        impatient.describe_inbound_connections()


def test_a_crash_of_the_endpoint_is_loud_and_not_retryable(server):
    server.endpoint.store.connections["cc-broken-0001"] = None  # no connection can be rendered from this
    call = client(server, "opensearch").describe_inbound_connections
    assert error_of(call) == ("LocalEndpointCrash", 400)
    assert "Traceback" in server.endpoint.crashes[0]
    server.endpoint.crashes.clear()


def test_sts_get_caller_identity_names_the_signing_account(server):
    sts = client(server, "sts", key=OWNER_B)
    assert sts.get_caller_identity()["Account"] == OWNER_B.account
    assert error_of(client(server, "iam").list_account_aliases) == ("InvalidAction", 400)


def test_several_accounts_roles_and_their_domains_per_region(server):
    """An account's role is assumed with another account's keys; the temporary keys see that account's domains in the
    region they are signed for, and nothing without their session token."""
    control(server, "POST", "accounts", {"account_id": "444444444444"})
    control(server, "POST", "hosted_domains", {"owner_id": "444444444444", "region": "eu-west-1", "count": 2})
    control(
        server,
        "POST",
        "hosted_domains",
        {"owner_id": "444444444444", "region": "us-east-1", "domain_names": ["us-logs"]},
    )
    control(
        server,
        "POST",
        "hosted_domains",
        {"owner_id": OWNER_B.account, "region": "eu-west-1", "domain_names": ["b-logs"]},
    )
    sts = boto3.client(
        "sts",
        region_name="us-east-1",
        endpoint_url=server.url,
        aws_access_key_id=OWNER_A.access_key,
        aws_secret_access_key=OWNER_A.secret_key,
    )
    keys = sts.assume_role(RoleArn="arn:aws:iam::444444444444:role/reader", RoleSessionName="test")["Credentials"]
    temporary = dict(aws_access_key_id=keys["AccessKeyId"], aws_secret_access_key=keys["SecretAccessKey"])

    def names(region, **extra):
        client = boto3.client("opensearch", region_name=region, endpoint_url=server.url, config=NO_RETRIES, **extra)
        return [domain["DomainName"] for domain in client.list_domain_names()["DomainNames"]]

    assert names("eu-west-1", aws_session_token=keys["SessionToken"], **temporary) == ["logs-00", "logs-01"]
    assert names("us-east-1", aws_session_token=keys["SessionToken"], **temporary) == ["us-logs"]
    with pytest.raises(ClientError, match="UnrecognizedClientException"):
        names("eu-west-1", **temporary)
    with pytest.raises(ClientError, match="AccessDenied"):
        sts.assume_role(RoleArn="arn:aws:iam::999999999999:role/reader", RoleSessionName="test")


def test_describe_regions_lists_each_accounts_enabled_regions_as_ec2_does(server):
    """Without AllRegions only the enabled regions (an opt-in one once the account enabled it); with it, every region
    and its status; RegionNames narrows either. Parsed by botocore's EC2 model."""
    key = control(server, "POST", "accounts", {"account_id": "444444444444", "opted_in_regions": ["eu-south-1"]})
    opted_in = type(OWNER_A)(key["access_key"], key["secret_key"], "444444444444")
    mine = {
        r["RegionName"]: r["OptInStatus"] for r in client(server, "ec2", key=opted_in).describe_regions()["Regions"]
    }
    theirs = {r["RegionName"] for r in client(server, "ec2").describe_regions()["Regions"]}
    assert mine["eu-south-1"] == "opted-in" and mine["eu-west-1"] == "opt-in-not-required", mine
    assert "eu-south-1" not in theirs and "eu-west-1" in theirs and len(theirs) == 17, theirs
    every = client(server, "ec2").describe_regions(AllRegions=True)["Regions"]
    assert {r["RegionName"]: r["OptInStatus"] for r in every}["eu-south-1"] == "not-opted-in"
    narrowed = client(server, "ec2").describe_regions(RegionNames=["us-east-1", "eu-south-1"])["Regions"]
    assert [r["RegionName"] for r in narrowed] == ["us-east-1"]


def test_an_opt_in_region_the_account_has_not_enabled_refuses_every_service(server):
    assert error_of(client(server, "opensearch", region="eu-south-1").list_domain_names) == (
        "UnrecognizedClientException",
        403,
    )
    assert error_of(client(server, "sts", region="eu-south-1").get_caller_identity) == ("InvalidClientTokenId", 403)
    assert error_of(client(server, "ec2", region="eu-south-1").describe_regions) == ("AuthFailure", 401)
    assert client(server, "opensearch", region="eu-west-1").list_domain_names()["DomainNames"] == []


def test_faults_on_query_operations_answer_in_the_services_own_error_shape(server):
    control(server, "POST", "faults", {"operation": "DescribeRegions", "code": "UnauthorizedOperation"})
    assert error_of(client(server, "ec2").describe_regions) == ("UnauthorizedOperation", 400)
    control(server, "POST", "faults", {"operation": "AssumeRole", "code": "Throttling", "http_status": 400})
    call = client(server, "sts").assume_role
    assert error_of(call, RoleArn="arn:aws:iam::111111111111:role/r", RoleSessionName="session") == ("Throttling", 400)


def test_temporary_keys_expire_when_sts_said(server):
    control(server, "POST", "settings", {"session_seconds": 0.5})
    answer = client(server, "sts").assume_role(RoleArn="arn:aws:iam::111111111111:role/r", RoleSessionName="session")
    keys = answer["Credentials"]
    left = keys["Expiration"].timestamp() - time.time()
    assert 0 < left <= 2, keys["Expiration"]
    temporary = boto3.client(
        "opensearch",
        region_name="us-east-1",
        endpoint_url=server.url,
        aws_access_key_id=keys["AccessKeyId"],
        aws_secret_access_key=keys["SecretAccessKey"],
        aws_session_token=keys["SessionToken"],
        config=NO_RETRIES,
    )
    time.sleep(left + 0.1)  # the keys' life is the subject here, not a wait for something else
    assert error_of(temporary.list_domain_names) == ("ExpiredTokenException", 403)


@pytest.mark.parametrize("service", ["es", "opensearch"])
def test_domains_are_described_five_at_most_and_a_name_of_no_domain_is_left_out(server, service):
    vpc = {"vpc_id": "vpc-0abc", "access_policy": {"Version": "2012-10-17", "Statement": []}}
    control(server, "POST", "hosted_domains", {"owner_id": OWNER_A.account, "domain_names": ["pub-logs"]})
    control(server, "POST", "hosted_domains", {"owner_id": OWNER_A.account, "domain_names": ["vpc-logs"], **vpc})
    control(server, "POST", "hosted_domains", {"owner_id": OWNER_B.account, "domain_names": ["theirs"]})
    es = client(server, service)
    describe = es.describe_elasticsearch_domains if service == "es" else es.describe_domains
    found = describe(DomainNames=["pub-logs", "vpc-logs", "theirs", "gone"])["DomainStatusList"]
    assert [domain["DomainName"] for domain in found] == ["pub-logs", "vpc-logs"]
    public, private = found
    assert "Endpoint" in public and "VPCOptions" not in public and public["AccessPolicies"] == ""
    assert private["VPCOptions"]["VPCId"] == "vpc-0abc" and json.loads(private["AccessPolicies"])["Statement"] == []
    with pytest.raises(ClientError, match="Please provide a maximum of 5 domain names to describe"):
        describe(DomainNames=[f"logs-{number}" for number in range(6)])


@pytest.mark.parametrize("service", ["es", "opensearch"])
def test_vpc_endpoint_access_is_paged_limited_to_ten_and_refused_for_a_public_domain(server, service):
    accounts = [f"77777777770{number}" for number in range(4)]
    spec = {"owner_id": OWNER_A.account, "vpc_id": "vpc-0abc", "vpc_endpoint_access": accounts}
    control(server, "POST", "hosted_domains", {**spec, "domain_names": ["vpc-logs"]})
    control(server, "POST", "hosted_domains", {"owner_id": OWNER_A.account, "domain_names": ["pub-logs"]})
    es = client(server, service)
    first = es.list_vpc_endpoint_access(DomainName="vpc-logs")
    last = es.list_vpc_endpoint_access(DomainName="vpc-logs", NextToken=first["NextToken"])
    listed = first["AuthorizedPrincipalList"] + last["AuthorizedPrincipalList"]
    assert [p["Principal"] for p in listed] == accounts and last["NextToken"] == "", (first, last)
    for number in range(6):
        es.authorize_vpc_endpoint_access(DomainName="vpc-logs", Account=f"88888888880{number}")
    with pytest.raises(ClientError, match="LimitExceededException"):
        es.authorize_vpc_endpoint_access(DomainName="vpc-logs", Account="999999999999")
    es.revoke_vpc_endpoint_access(DomainName="vpc-logs", Account=accounts[0])
    with pytest.raises(ClientError, match="ResourceNotFoundException"):
        es.revoke_vpc_endpoint_access(DomainName="vpc-logs", Account=accounts[0])
    with pytest.raises(ClientError, match="DisabledOperationException"):
        es.authorize_vpc_endpoint_access(DomainName="pub-logs", Account="999999999999")
    with pytest.raises(ClientError, match="ResourceNotFoundException"):
        es.list_vpc_endpoint_access(DomainName="no-such-domain")


def test_an_account_made_from_the_command_line_has_its_roles_only_so_a_misspelled_role_is_refused(server, monkeypatch):
    from .__main__ import main  # pylint: disable=import-outside-toplevel

    monkeypatch.setenv("LOCAL_AWS_ENDPOINT_URL", server.url)
    assert main(["account", "--account-id", "444444444444"]) == 0
    sts = client(server, "sts")
    sts.assume_role(RoleArn="arn:aws:iam::444444444444:role/search-guard", RoleSessionName="test")
    with pytest.raises(ClientError, match="AccessDenied"):
        sts.assume_role(RoleArn="arn:aws:iam::444444444444:role/serch-guard", RoleSessionName="test")
    assert main(["account", "--account-id", "444444444445", "--role", "security/guard"]) == 0
    sts.assume_role(RoleArn="arn:aws:iam::444444444445:role/security/guard", RoleSessionName="test")
