# -*- coding: utf-8 -*-

# Copyright: Contributors to the aws_search.cross_cluster project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Turn a failed AWS call into a sentence that says what happened and what to do."""

from __future__ import annotations

from typing import Optional

try:
    import botocore.exceptions
    import botocore.parsers

    PARSER_ERRORS: tuple = (botocore.parsers.ResponseParserError,)
except ImportError:
    PARSER_ERRORS = ()  # AnsibleAWSModule reports a missing botocore

from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError

from ansible_collections.aws_search.cross_cluster.plugins.module_utils.api_differences import IAM_ACTIONS
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.api_differences import ConnectionApi
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.api_differences import other_api
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.api_differences import scope

CREDENTIAL_CODES = (
    "UnrecognizedClientException",
    "InvalidSignatureException",
    "InvalidClientTokenId",
    "SignatureDoesNotMatch",
    "ExpiredTokenException",
)
# Answers that mean the credentials may not do this (as opposed to credentials AWS does not know).
ACCESS_DENIED_CODES = ("AccessDeniedException", "AccessDenied")
HINTS_BY_CODE = {
    "ResourceNotFoundException": "the connection does not exist for these credentials and region",
    "DisabledOperationException": "AWS has disabled this operation for the account or domain",
    "LimitExceededException": "the domain has reached its limit of 20 connections in this direction",
    "ResourceAlreadyExistsException": (
        "AWS has a live connection with these domains and alias already, which its listing does not show yet;"
        " run again in a few seconds"
    ),
}


ROLE_REFUSED = (
    "the role does not exist, or its trust policy does not let these credentials assume it; check both, and grant"
    " these credentials sts:AssumeRole on it"
)


class ConnectionApiError(AnsibleAWSError):
    """A failed AWS call; message names the operation, the connection and what to do."""


class UnreadableAnswer(Exception):
    """AWS (or something in between) answered 200 without what the API's answer always holds."""


# An answer that is not the API's: one botocore cannot parse (its parsers raise KeyError, AttributeError or TypeError
# on XML or JSON of another shape), or one without what the API always answers.
ANSWER_ERRORS = PARSER_ERRORS + (UnreadableAnswer, KeyError, AttributeError, TypeError)


def error_code(error: Exception) -> Optional[str]:
    response = getattr(error, "response", None) or {}
    return response.get("Error", {}).get("Code")


# What AWS answers when the legacy API accepts a connection requested through the OpenSearch Service API, as
# reported in aws/aws-sdk-js-v3 issue 4453: "ValidationException: Connection created using Amazon OpenSearch
# Service SDK cannot be accepted with Amazon Elasticsearch Service SDK".
API_MISMATCH = "created using Amazon OpenSearch Service SDK cannot be accepted with Amazon Elasticsearch Service SDK"


def is_api_mismatch(error: Exception) -> bool:
    """A connection requested through the OpenSearch Service API, acted on through the legacy one."""
    return error_code(error) == "ValidationException" and API_MISMATCH in str(error)


def attempts(error: Exception) -> int:
    """How many times botocore sent the request before it gave up."""
    metadata = (getattr(error, "response", None) or {}).get("ResponseMetadata", {})
    return metadata.get("RetryAttempts", 0) + 1


def _hint_for_retried(error: Exception) -> Optional[str]:
    """For the failures botocore retries: throttling and AWS's internal errors."""
    code = error_code(error)
    status = (getattr(error, "response", None) or {}).get("ResponseMetadata", {}).get("HTTPStatusCode", 0)
    if code == "ThrottlingException" or status == 429:
        return f"AWS kept throttling the requests ({attempts(error)} attempts); try again later"
    if code == "InternalException" or status >= 500:
        return f"AWS kept failing with an internal error (HTTP {status}, {attempts(error)} attempts); try again later"
    return None


def is_role_refused(error: Exception) -> bool:
    """AssumeRole was refused: the call itself, or the one botocore makes first for a role's credentials."""
    return getattr(error, "operation_name", None) == "AssumeRole" and error_code(error) in ACCESS_DENIED_CODES


def hint_for(error: Exception, action: str, direction: str, api: ConnectionApi) -> str:
    code = error_code(error)
    if is_role_refused(error):
        return ROLE_REFUSED
    if code in ACCESS_DENIED_CODES:
        return (
            f"the credentials are not allowed to do this; grant them the IAM action {IAM_ACTIONS[(direction, action)]}"
        )
    if is_api_mismatch(error):
        return f"the connection belongs to the other API; set api={other_api(api).name}"
    if code in HINTS_BY_CODE and not _hint_for_retried(error):
        return HINTS_BY_CODE[code]
    return hint_for_any_call(error)


def hint_for_any_call(error: Exception) -> str:
    """What a failure of any AWS call means: throttling, AWS's internal errors, credentials, the SDK's own errors."""
    code = error_code(error)
    if code is None:
        return _hint_for_local_error(error)
    retried = _hint_for_retried(error)
    if retried:
        return retried
    if code in CREDENTIAL_CODES:
        return "AWS did not accept the credentials; check access_key and secret_key, or the profile"
    return f"AWS answered {code}"


def hint_for_read(error: Exception, iam_action: str) -> str:
    """What a failed read (a listing, tags, an identity) means; a refusal names the IAM action to grant."""
    if is_role_refused(error) or (error_code(error) in ACCESS_DENIED_CODES and iam_action == "sts:AssumeRole"):
        return ROLE_REFUSED
    if error_code(error) in ACCESS_DENIED_CODES:
        return f"the credentials may not read this; grant them the IAM action {iam_action}"
    return hint_for_any_call(error)


def _hint_for_local_error(error: Exception) -> str:
    if isinstance(error, botocore.exceptions.ReadTimeoutError):
        return (
            "the AWS endpoint did not answer within the read timeout, even after retries; try again later,"
            " or raise read_timeout in aws_config"
        )
    if isinstance(error, (botocore.exceptions.ConnectionError, botocore.exceptions.HTTPClientError)):
        return "the AWS endpoint could not be reached, even after retries; check region, endpoint_url and the network"
    if isinstance(error, ANSWER_ERRORS):
        return "the answer could not be read as the API's JSON; check that endpoint_url is the service's"
    if isinstance(error, botocore.exceptions.NoCredentialsError):
        return "no AWS credentials were found; set access_key and secret_key, a profile, or AWS_* environment variables"
    return "the AWS SDK could not complete the request"


def failure(
    error: Exception, action: str, subject: str, direction: str, api: ConnectionApi, region: str
) -> ConnectionApiError:
    """subject names what was acted on, such as "inbound connection 'cc-1234567890'"."""
    message = f"Could not {action} {subject} {scope(api, region)}: {hint_for(error, action, direction, api)}"
    return ConnectionApiError(message=message, exception=error)
