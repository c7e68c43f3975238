"""A stand-in for STS GetCallerIdentity and AssumeRole (the query protocol: a form body, an XML answer), so that an
amazon.aws module such as aws_caller_info, and an inventory that assumes a role in each account, run against the
endpoint too. AssumeRole hands out temporary keys of the role's account, known to the endpoint from then on; a role in
an account the endpoint does not know is refused, as AWS refuses a role that does not trust the caller."""

from __future__ import annotations

import re
import time
from typing import TYPE_CHECKING
from typing import Dict
from typing import List
from typing import Tuple
from urllib.parse import parse_qs
from xml.sax.saxutils import escape

from .sigv4 import KeyPair
from .store import Caller

if TYPE_CHECKING:
    from .endpoint import Endpoint

IDENTITY = """<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <GetCallerIdentityResult>
    <Arn>arn:aws:iam::{account}:user/local-endpoint</Arn>
    <UserId>AIDALOCALENDPOINT{account}</UserId>
    <Account>{account}</Account>
  </GetCallerIdentityResult>
  <ResponseMetadata><RequestId>local-sts</RequestId></ResponseMetadata>
</GetCallerIdentityResponse>"""
ASSUMED = """<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <AssumeRoleResult>
    <Credentials>
      <AccessKeyId>{access_key}</AccessKeyId>
      <SecretAccessKey>{secret_key}</SecretAccessKey>
      <SessionToken>{session_token}</SessionToken>
      <Expiration>{expiration}</Expiration>
    </Credentials>
    <AssumedRoleUser>
      <AssumedRoleId>AROALOCAL{account}:{session}</AssumedRoleId>
      <Arn>arn:aws:sts::{account}:assumed-role/{role}/{session}</Arn>
    </AssumedRoleUser>
  </AssumeRoleResult>
  <ResponseMetadata><RequestId>local-sts</RequestId></ResponseMetadata>
</AssumeRoleResponse>"""
DENIED = """<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code>
<Message>User is not authorized to perform: sts:AssumeRole on resource: {role_arn}</Message></Error>
<RequestId>local-sts</RequestId></ErrorResponse>"""
ROLE_ARN = re.compile(r"arn:aws:iam::(?P<account>[0-9]{12}):role/(?P<role>[\w+=,.@/-]{1,64})")
ERROR = """<ErrorResponse><Error><Type>Sender</Type><Code>{code}</Code><Message>{message}</Message></Error>
<RequestId>local-sts</RequestId></ErrorResponse>"""
NOT_HERE = """<ErrorResponse><Error><Type>Sender</Type><Code>InvalidAction</Code>
<Message>The local endpoint answers only GetCallerIdentity and AssumeRole of the query protocol.</Message></Error>
<RequestId>local-sts</RequestId></ErrorResponse>"""


def is_query_request(method: str, path: str) -> bool:
    return method == "POST" and path == "/"


def action_of(body: bytes) -> str:
    return parse_qs(body.decode()).get("Action", [""])[0]


def logged_fields(body: bytes) -> Dict[str, str]:
    """What the call log keeps of an AssumeRole, as CloudTrail would: the role and the session name."""
    form = parse_qs(body.decode())
    if action_of(body) != "AssumeRole":
        return {}
    return {"role_arn": form.get("RoleArn", [""])[0], "session_name": form.get("RoleSessionName", [""])[0]}


def answer(endpoint: "Endpoint", caller: Caller, body: bytes) -> Tuple[int, bytes]:
    """The HTTP status and XML body for a query-protocol request signed by caller."""
    action = action_of(body)
    if action == "GetCallerIdentity":
        return 200, IDENTITY.format(account=caller.account).encode()
    if action == "AssumeRole":
        return assume_role(endpoint, parse_qs(body.decode()))
    return 400, NOT_HERE.encode()


def expiration_of(key: KeyPair) -> str:
    when = time.gmtime(key.expires) if key.expires else time.strptime("2099-01-01", "%Y-%m-%d")
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", when)


def assume_role(endpoint: "Endpoint", form: Dict[str, List[str]]) -> Tuple[int, bytes]:
    role_arn = form.get("RoleArn", [""])[0]
    session = form.get("RoleSessionName", ["session"])[0]
    found = ROLE_ARN.fullmatch(role_arn)
    if not found or not endpoint.knows_role(found["account"], found["role"]):
        return 403, DENIED.format(role_arn=escape(role_arn)).encode()
    key = endpoint.temporary_keys(found["account"])
    fields = dict(vars(key), role=found["role"], session=escape(session), expiration=expiration_of(key))
    return 200, ASSUMED.format(**fields).encode()
