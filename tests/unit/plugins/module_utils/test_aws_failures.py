from __future__ import annotations

import botocore.exceptions
import pytest

from ansible_collections.aws_search.cross_cluster.plugins.module_utils.api_differences import ES
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.api_differences import OPENSEARCH
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.aws_failures import failure
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.aws_failures import hint_for


def client_error(code: str, message: str = "failed") -> botocore.exceptions.ClientError:
    return botocore.exceptions.ClientError({"Error": {"Code": code, "Message": message}}, "SomeOperation")


@pytest.mark.parametrize(
    "error,action,api,expected",
    [
        (client_error("AccessDeniedException"), "reject", ES, "es:RejectInboundConnection"),
        (client_error("AccessDeniedException"), "delete", OPENSEARCH, "es:DeleteInboundConnection"),
        (client_error("UnrecognizedClientException"), "describe", ES, "check access_key and secret_key"),
        (client_error("InvalidSignatureException"), "describe", ES, "check access_key and secret_key"),
        (
            client_error(
                "ValidationException",
                "Connection created using Amazon OpenSearch Service SDK cannot be accepted with Amazon Elasticsearch"
                " Service SDK",
            ),
            "accept",
            ES,
            "set api=opensearch",
        ),
        (client_error("ValidationException", "The SDK version is not supported"), "accept", ES, "AWS answered"),
        (client_error("DisabledOperationException"), "accept", ES, "disabled this operation"),
        (client_error("ThrottlingException"), "describe", ES, "try again later"),
        (client_error("SomethingElse"), "describe", ES, "AWS answered SomethingElse"),
        (botocore.exceptions.EndpointConnectionError(endpoint_url="http://x"), "describe", ES, "could not be reached"),
        (
            botocore.exceptions.ReadTimeoutError(endpoint_url="http://x"),
            "describe",
            ES,
            "did not answer within the read",
        ),
        (botocore.exceptions.NoCredentialsError(), "describe", ES, "no AWS credentials were found"),
    ],
)
def test_hints_say_what_to_do(error, action, api, expected):
    assert expected in hint_for(error, action, "inbound", api)


def test_failure_names_operation_id_api_and_region_and_keeps_the_aws_error():
    error = client_error("AccessDeniedException")
    raised = failure(error, "reject", "inbound connection 'cc-abc'", "inbound", OPENSEARCH, "eu-west-1")
    assert raised.message.startswith("Could not reject inbound connection 'cc-abc' (api=opensearch, region=eu-west-1)")
    assert raised.exception is error
