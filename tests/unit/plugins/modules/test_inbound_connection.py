from __future__ import annotations

import pytest
import yaml

from ansible_collections.aws_search.cross_cluster.plugins.modules import inbound_connection
from ansible_collections.aws_search.cross_cluster.tests.unit.module_docs import assert_documented
from ansible_collections.aws_search.cross_cluster.tests.unit.module_docs import run
from ansible_collections.aws_search.cross_cluster.tests.unit.stubbed_api import CONNECTION_ID

RETURN = yaml.safe_load(inbound_connection.RETURN)


def run_module(capsys, monkeypatch, stubbed, **args) -> dict:
    params = {"connection_id": CONNECTION_ID, **args}
    return run(inbound_connection, capsys, monkeypatch, stubbed, **params)


def test_every_returned_key_is_documented_and_every_documented_key_returned(capsys, monkeypatch, stubbed):
    stubbed.expect_describe("PENDING_ACCEPTANCE")
    stubbed.expect_action("reject", "REJECTING")
    result = run_module(capsys, monkeypatch, stubbed, state="rejected")
    assert_documented(result, RETURN, stubbed.api.name)
    assert result["changed"] is True
    assert result["ansible_facts"]["cross_cluster_inbound_connection"] == result["connection"]
    assert result["diff"] == {"before": {"status": "PENDING_ACCEPTANCE"}, "after": {"status": "REJECTING"}}


def test_nothing_to_do_returns_the_connection_as_found(capsys, monkeypatch, stubbed):
    stubbed.expect_describe("REJECTED")
    result = run_module(capsys, monkeypatch, stubbed, state="rejected")
    assert (result["changed"], result["status"], result["previous_status"]) == (False, "REJECTED", "REJECTED")
    assert result["connection"]["connection_status"]["status_code"] == "REJECTED"


def test_check_mode_predicts_without_acting(capsys, monkeypatch, stubbed):
    stubbed.expect_describe("PENDING_ACCEPTANCE")
    result = run_module(capsys, monkeypatch, stubbed, state="absent", _ansible_check_mode=True)
    assert (result["changed"], result["status"]) == (True, "DELETING")


def test_state_failure_is_a_failed_task_not_a_traceback(capsys, monkeypatch, stubbed):
    stubbed.expect_describe("ACTIVE")
    result = run_module(capsys, monkeypatch, stubbed, state="rejected")
    assert result["failed"] is True
    assert "cannot be rejected" in result["msg"]


def test_aws_error_names_code_operation_and_id(capsys, monkeypatch, stubbed):
    stubbed.expect_error("describe", "AccessDeniedException", "User is not authorized", 403)
    result = run_module(capsys, monkeypatch, stubbed, state="rejected")
    assert result["failed"] is True
    assert "AccessDeniedException" in result["msg"]
    assert f"Could not describe inbound connection '{CONNECTION_ID}'" in result["msg"]
    assert "es:DescribeInboundConnections" in result["msg"]


@pytest.mark.parametrize(
    "args,rule",
    [
        ({"connection_id": "   "}, "must not be empty"),
        ({"wait_timeout": 0}, "wait_timeout must be at least 1"),
    ],
)
def test_bad_input_fails_before_any_call(capsys, monkeypatch, stubbed, args, rule):
    result = run_module(capsys, monkeypatch, stubbed, state="rejected", **args)
    assert result["failed"] is True and rule in result["msg"]


def test_bad_opensearch_id_fails_before_any_call(capsys, monkeypatch):
    from ansible_collections.aws_search.cross_cluster.tests.unit.stubbed_api import StubbedApi

    stub = StubbedApi("opensearch")
    with stub.stubber:
        result = run_module(capsys, monkeypatch, stub, state="rejected", connection_id="Not_Valid_Id")
    assert result["failed"] is True and "lowercase letter" in result["msg"]
