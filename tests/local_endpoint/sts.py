"""A stand-in for STS GetCallerIdentity (the query protocol: a form body, an XML answer), so that an amazon.aws module
such as aws_caller_info runs against the endpoint too: it proves one module_defaults serves both collections."""

from __future__ import annotations

from typing import Tuple
from urllib.parse import parse_qs

from .store import Caller

IDENTITY = """<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <GetCallerIdentityResult>
    <Arn>arn:aws:iam::{account}:user/local-endpoint</Arn>
    <UserId>AIDALOCALENDPOINT{account}</UserId>
    <Account>{account}</Account>
  </GetCallerIdentityResult>
  <ResponseMetadata><RequestId>local-sts</RequestId></ResponseMetadata>
</GetCallerIdentityResponse>"""
NOT_HERE = """<ErrorResponse><Error><Type>Sender</Type><Code>InvalidAction</Code>
<Message>The local endpoint answers only GetCallerIdentity of the query protocol.</Message></Error>
<RequestId>local-sts</RequestId></ErrorResponse>"""


def is_query_request(method: str, path: str) -> bool:
    return method == "POST" and path == "/"


def action_of(body: bytes) -> str:
    return parse_qs(body.decode()).get("Action", [""])[0]


def answer(caller: Caller, body: bytes) -> Tuple[int, bytes]:
    """The HTTP status and XML body for a query-protocol request signed by caller."""
    if action_of(body) == "GetCallerIdentity":
        return 200, IDENTITY.format(account=caller.account).encode()
    return 400, NOT_HERE.encode()
