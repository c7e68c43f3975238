"""The client every module makes: botocore's standard retries, kept when aws_config names retries, and no retry for
the connection limit. Built through amazon.aws's own AnsibleAWSModule and client merge, not a copy of them."""

from __future__ import annotations

import json

import botocore.awsrequest
import pytest
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.aws_search.cross_cluster.plugins.module_utils.api_calls import connection_client
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.api_calls import with_standard_retries
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.api_differences import APIS
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.module_runner import API_OPTION
from ansible_collections.aws_search.cross_cluster.tests.unit.module_docs import patch_module_args

CREDENTIALS = {"region": "eu-west-1", "access_key": "AKIDTEST", "secret_key": "x"}


def client_for(api_name: str, **module_args):
    with patch_module_args(dict(CREDENTIALS, api=api_name, **module_args)):
        module = AnsibleAWSModule(argument_spec={"api": API_OPTION})
    return connection_client(module, APIS[api_name])


@pytest.mark.parametrize("api_name", ["es", "opensearch"])
def test_the_collection_default_is_standard_mode_with_five_attempts(api_name):
    retries = client_for(api_name).meta.config.retries
    assert (retries["mode"], retries["total_max_attempts"]) == ("standard", 5)


@pytest.mark.parametrize("api_name", ["es", "opensearch"])
def test_retries_in_aws_config_keep_standard_mode(api_name):
    retries = client_for(api_name, aws_config={"retries": {"max_attempts": 10}}).meta.config.retries
    assert (retries["mode"], retries["total_max_attempts"]) == ("standard", 11)


def test_a_mode_named_in_aws_config_is_kept():
    retries = client_for("es", aws_config={"retries": {"mode": "legacy", "max_attempts": 2}}).meta.config.retries
    assert retries["mode"] == "legacy"


def test_with_standard_retries_leaves_other_settings_alone():
    config = {"read_timeout": 3, "retries": {"total_max_attempts": 2}}
    assert with_standard_retries(config) == {
        "read_timeout": 3,
        "retries": {"total_max_attempts": 2, "mode": "standard"},
    }
    assert with_standard_retries(None) is None and with_standard_retries({"read_timeout": 3}) == {"read_timeout": 3}


def answering(client, code: str, status: int) -> list:
    """Make every request of client answered with the error code, offline; the list of requests sent."""
    sent = []

    def answer(request, **_kwargs):
        sent.append(request)
        body = json.dumps({"message": "refused"}).encode()
        headers = {"x-amzn-ErrorType": code, "Content-Type": "application/json"}
        return botocore.awsrequest.AWSResponse(request.url, status, headers, _Raw(body))

    client.meta.events.register("before-send", answer)
    return sent


class _Raw:
    def __init__(self, body: bytes) -> None:
        self.body = body

    def stream(self, **_kwargs):
        yield self.body


@pytest.mark.parametrize("api_name", ["es", "opensearch"])
@pytest.mark.parametrize(
    "code,status,attempts",
    [("LimitExceededException", 409, 1), ("ThrottlingException", 400, 5), ("InternalException", 500, 5)],
)
def test_the_connection_limit_is_not_retried_and_throttling_still_is(api_name, code, status, attempts, monkeypatch):
    monkeypatch.setattr("time.sleep", lambda seconds: None)
    client = client_for(api_name)
    sent = answering(client, code, status)
    method = getattr(client, APIS[api_name].method("inbound", "accept"))
    with pytest.raises(client.exceptions.ClientError, match=code):
        method(**{APIS[api_name].id_key: "cc-0123456789abcdef"})
    assert len(sent) == attempts
