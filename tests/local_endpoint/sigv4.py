"""Check AWS Signature Version 4 on incoming requests with botocore's own signer."""

from __future__ import annotations

import hmac
import re
import time
from typing import Dict
from typing import Mapping

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from .store import AwsError
from .store import Caller

AUTHORIZATION = re.compile(
    r"AWS4-HMAC-SHA256 Credential=(?P<key>[^/]+)/(?P<date>\d{8})/(?P<region>[^/]+)/(?P<service>[^/]+)/aws4_request,"
    r"\s*SignedHeaders=(?P<signed>[^,]+),\s*Signature=(?P<signature>[0-9a-f]+)"
)
BAD_SIGNATURE = (
    "The request signature we calculated does not match the signature you provided."
    " Check your AWS Secret Access Key and signing method."
)


class KeyPair:
    """An access key of an account; temporary ones (from STS AssumeRole) come with a session token."""

    def __init__(
        self, access_key: str, secret_key: str, account: str, session_token: str = "", expires: float = 0.0
    ) -> None:
        self.access_key = access_key
        self.secret_key = secret_key
        self.account = account
        self.session_token = session_token
        # When temporary keys expire (seconds since the epoch); 0: never.
        self.expires = expires


def verify(keys: Dict[str, KeyPair], method: str, url: str, headers: Mapping[str, str], body: bytes) -> Caller:
    """Who signed the request; AwsError as AWS answers an unsigned, unknown or badly signed one."""
    parts = AUTHORIZATION.match(headers.get("Authorization", ""))
    if not parts or "X-Amz-Date" not in headers:
        raise AwsError("MissingAuthenticationTokenException", "Missing Authentication Token")
    key = keys.get(parts["key"])
    if key is None or headers.get("X-Amz-Security-Token", "") != key.session_token:
        raise AwsError("UnrecognizedClientException", "The security token included in the request is invalid.")
    if key.expires and time.time() > key.expires:
        raise AwsError("ExpiredTokenException", "The security token included in the request is expired", 403)
    signed = {name: headers.get(name, "") for name in parts["signed"].split(";")}
    request = AWSRequest(method=method, url=url, headers=signed, data=body)
    request.context["timestamp"] = headers["X-Amz-Date"]
    signer = SigV4Auth(Credentials(key.access_key, key.secret_key), parts["service"], parts["region"])
    expected = signer.signature(signer.string_to_sign(request, signer.canonical_request(request)), request)
    if not hmac.compare_digest(expected, parts["signature"]):
        raise AwsError("InvalidSignatureException", BAD_SIGNATURE)
    return Caller(key.account, parts["region"], parts["service"])
