"""Stubbed boto3 clients for unit tests: botocore's Stubber checks every request and response against the real service model."""

from __future__ import annotations

import boto3
from botocore.stub import Stubber

from ansible_collections.aws_search.cross_cluster.plugins.module_utils.api_differences import APIS

DOMAINS = {
    "source": {"OwnerId": "222222222222", "DomainName": "partner-logs", "Region": "us-east-1"},
    "destination": {"OwnerId": "111111111111", "DomainName": "my-logs", "Region": "eu-west-1"},
}
CONNECTION_ID = "cc-0123456789abcdef"


def wire_connection(api_name: str, status: str, connection_id: str = CONNECTION_ID, alias: str = "") -> dict:
    """A connection as each API puts it on the wire; with an alias, an outbound one."""
    if api_name == "es":
        connection = {
            "SourceDomainInfo": DOMAINS["source"],
            "DestinationDomainInfo": DOMAINS["destination"],
            "CrossClusterSearchConnectionId": connection_id,
            "ConnectionStatus": {"StatusCode": status, "Message": f"it is {status}"},
        }
    else:
        connection = {
            "LocalDomainInfo": {"AWSDomainInformation": DOMAINS["source"]},
            "RemoteDomainInfo": {"AWSDomainInformation": DOMAINS["destination"]},
            "ConnectionId": connection_id,
            "ConnectionStatus": {"StatusCode": status, "Message": f"it is {status}"},
            "ConnectionMode": "DIRECT",
        }
    if alias:
        connection["ConnectionAlias"] = alias
    if alias and api_name == "opensearch":
        connection["ConnectionProperties"] = {"CrossClusterSearch": {"SkipUnavailable": "DISABLED"}}
    return connection


class StubbedApi:
    """A client for one API whose answers the test scripts, in order."""

    def __init__(self, api_name: str) -> None:
        self.api = APIS[api_name]
        raw = boto3.client(
            self.api.client_name, region_name="eu-west-1", aws_access_key_id="AKIDTEST", aws_secret_access_key="x"
        )
        self.stubber = Stubber(raw)
        self.client = raw

    def expect_describe(self, status, connection_id: str = CONNECTION_ID) -> None:
        found = [wire_connection(self.api.name, status, connection_id)] if status else []
        expected = {"Filters": [{"Name": self.api.id_filter, "Values": [connection_id]}]}
        self.stubber.add_response(self.api.method("inbound", "describe"), {self.api.connections_key: found}, expected)

    def expect_action(self, action: str, status_after: str, connection_id: str = CONNECTION_ID) -> None:
        answer = {self.api.connection_key: wire_connection(self.api.name, status_after, connection_id)}
        expected = {self.api.id_key: connection_id}
        self.stubber.add_response(self.api.method("inbound", action), answer, expected)

    def expect_page(self, direction: str, connections: list, expected: dict, next_token: str = "") -> None:
        answer = {self.api.connections_key: connections, **({"NextToken": next_token} if next_token else {})}
        self.stubber.add_response(self.api.method(direction, "describe"), answer, expected)

    def expect_create(self, alias: str, params: dict, connection_id: str = CONNECTION_ID) -> None:
        """A Create call with exactly params (besides the alias), answered with a VALIDATING connection."""
        answer = wire_connection(self.api.name, "VALIDATING", connection_id, alias)
        self.stubber.add_response(self.api.method("outbound", "create"), answer, dict(params, ConnectionAlias=alias))

    def expect_error(self, action: str, code: str, message: str = "failed", http_status: int = 400) -> None:
        self.stubber.add_client_error(
            self.api.method("inbound", action),
            service_error_code=code,
            service_message=message,
            http_status_code=http_status,
        )
