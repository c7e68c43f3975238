from __future__ import annotations

import yaml

from ansible_collections.aws_search.cross_cluster.plugins.modules import inbound_connection_policy
from ansible_collections.aws_search.cross_cluster.tests.unit.module_docs import assert_documented
from ansible_collections.aws_search.cross_cluster.tests.unit.module_docs import run
from ansible_collections.aws_search.cross_cluster.tests.unit.stubbed_api import DOMAINS
from ansible_collections.aws_search.cross_cluster.tests.unit.stubbed_api import wire_connection

RETURN = yaml.safe_load(inbound_connection_policy.RETURN)
PARTNER = DOMAINS["source"]["OwnerId"]
# One call at a time, so the Stubber's scripted answers come in order.
ONE_AT_A_TIME = {"max_concurrency": 1}


def run_policy(capsys, monkeypatch, stubbed, **args) -> dict:
    return run(inbound_connection_policy, capsys, monkeypatch, stubbed, **ONE_AT_A_TIME, **args)


def population(stubbed):
    """A partner's pending request (cc-partner-0001), an unexpected one (cc-stranger-0001), a rejected one."""
    partner = wire_connection(stubbed.api.name, "PENDING_ACCEPTANCE", "cc-partner-0001")
    stranger = wire_connection(stubbed.api.name, "PENDING_ACCEPTANCE", "cc-stranger-0001")
    stranger[stubbed.api.side_keys["source"]] = stubbed.api.domain_info(
        {"owner_id": "999999999999", "domain_name": "unknown-logs", "region": "us-east-1"}
    )
    return [partner, stranger, wire_connection(stubbed.api.name, "REJECTED", "cc-old-00001")]


def expect_listing(stubbed, destinations=None):
    filters = [{"Name": stubbed.api.filter_name("destination_domain_names"), "Values": destinations}]
    stubbed.expect_page("inbound", population(stubbed), {"Filters": filters if destinations else [], "MaxResults": 100})


def test_every_returned_key_is_documented_and_every_documented_key_returned(capsys, monkeypatch, stubbed):
    expect_listing(stubbed)
    stubbed.expect_action("reject", "REJECTING", "cc-stranger-0001")
    result = run_policy(capsys, monkeypatch, stubbed, allow=[{"owner_id": PARTNER}])
    assert_documented(result, RETURN, stubbed.api.name)
    for decision in result["decisions"]:
        assert_documented(decision, RETURN["decisions"]["contains"], stubbed.api.name)
    assert result["changed"] is True
    assert (result["rejected"], result["accepted"], result["deleted"]) == (["cc-stranger-0001"], [], [])
    assert [d["action"] for d in result["decisions"]] == ["none", "reject", "none"]
    assert [d["rule"] for d in result["decisions"]] == [0, None, 0]
    # --diff is the plan, one line per change, as a person decides on it.
    assert result["diff"] == {
        "prepared": "account 999999999999's request to my-logs is rejected (eu-west-1, connection cc-stranger-0001)\n"
    }


def test_check_mode_lists_and_predicts_without_writing(capsys, monkeypatch, stubbed):
    expect_listing(stubbed, ["my-logs"])
    result = run_policy(
        capsys,
        monkeypatch,
        stubbed,
        allow=[{"owner_id": PARTNER}],
        allowed="accept",
        destination_domain_names=["my-logs"],
        _ansible_check_mode=True,
    )
    assert result["changed"] is True
    assert (result["rejected"], result["accepted"]) == (["cc-stranger-0001"], ["cc-partner-0001"])
    assert [d["status"] for d in result["decisions"]] == ["APPROVED", "REJECTING", "REJECTED"]


def test_a_failed_decision_fails_the_task_after_the_others_ran(capsys, monkeypatch, stubbed):
    expect_listing(stubbed)
    stubbed.expect_action("accept", "APPROVED", "cc-partner-0001")
    stubbed.expect_error("reject", "AccessDeniedException", "not authorized", 403)
    stubbed.expect_describe("PENDING_ACCEPTANCE", "cc-stranger-0001")
    result = run_policy(capsys, monkeypatch, stubbed, allow=[{"owner_id": PARTNER}], allowed="accept")
    assert result["failed"] is True
    assert result["msg"].startswith("1 of 2 policy decisions could not be carried out")
    assert "cc-stranger-0001" in result["msg"] and "AccessDeniedException" in result["msg"]
    assert "es:RejectInboundConnection" in result["msg"]
    assert (result["accepted"], result["rejected"], result["changed"]) == (["cc-partner-0001"], [], True)


def test_a_race_won_by_the_same_decision_is_done(capsys, monkeypatch, stubbed):
    expect_listing(stubbed)
    stubbed.expect_error("reject", "ValidationException", "Connection is REJECTING")
    stubbed.expect_describe("REJECTING", "cc-stranger-0001")
    result = run_policy(capsys, monkeypatch, stubbed, allow=[{"owner_id": PARTNER}])
    assert "failed" not in result
    assert (result["changed"], result["rejected"]) == (False, [])
    assert result["decisions"][1]["status"] == "REJECTING"


def test_an_unknown_status_is_left_alone_with_a_warning(capsys, monkeypatch, stubbed):
    listing = [wire_connection(stubbed.api.name, "SOMETHING_NEW", "cc-new-00001")]
    stubbed.expect_page("inbound", listing, {"Filters": [], "MaxResults": 100})
    result = run_policy(capsys, monkeypatch, stubbed, allow=[])
    assert result["changed"] is False
    assert "SOMETHING_NEW" in str(result["warnings"]) and "cc-new-00001" in str(result["warnings"])


def test_bad_entry_fails_before_any_call(capsys, monkeypatch, stubbed):
    result = run_policy(capsys, monkeypatch, stubbed, allow=[{"owner_id": PARTNER}, {"domain_name": "x"}])
    assert result["failed"] is True and "allow[1] needs one of owner_id, owner_ids" in result["msg"]
