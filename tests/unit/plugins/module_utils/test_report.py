"""The report of an estate's policy runs: the summary, each connection's outcome, and values read from AWS kept
as text, never markup."""

from __future__ import annotations

from ansible_collections.aws_search.cross_cluster.plugins.module_utils.report import build_report
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.report import render_html
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.report import render_markdown

SOURCE = {"owner_id": "333333333333", "domain_name": "their-logs", "region": "eu-west-1"}


def decision(connection_id, previous, status, action, allowed=False, domain="shared-logs", failure=None):
    return {
        "connection_id": connection_id,
        "source": SOURCE,
        "destination_domain_name": domain,
        "previous_status": previous,
        "status": status,
        "action": action,
        "allowed": allowed,
        "rule": 0 if allowed else None,
        "failure": failure,
    }


RESULTS = [
    {
        "account_id": "111111111111",
        "region": "eu-west-1",
        "decisions": [
            decision("cc-0000000001", "PENDING_ACCEPTANCE", "APPROVED", "accept", allowed=True),
            decision("cc-0000000002", "PENDING_ACCEPTANCE", "REJECTING", "reject"),
            decision("cc-0000000003", "ACTIVE", "DELETING", "delete"),
            decision("cc-0000000004", "PENDING_ACCEPTANCE", "PENDING_ACCEPTANCE", "none", allowed=True),
            decision("cc-0000000005", "REJECTED", "REJECTED", "none"),
        ],
    },
    {
        "account_id": "222222222222",
        "region": "us-east-1",
        "decisions": [
            decision("cc-0000000006", "PENDING_ACCEPTANCE", "PENDING_ACCEPTANCE", "reject", failure="access denied"),
            decision("cc-0000000007", "PENDING_ACCEPTANCE", None, "reject"),
        ],
        "failed": True,
        "msg": "1 of 2 policy decisions could not be carried out",
    },
    {"account_id": "333333333333", "region": "us-east-1", "decisions": [], "failed": True, "msg": "no role"},
]
DOMAINS = [
    {"account_id": "111111111111", "region": "eu-west-1", "domain_name": "shared-logs"},
    {"account_id": "111111111111", "region": "eu-west-1", "domain_name": "quiet-logs"},
]


def test_the_summary_counts_every_outcome():
    report = build_report(RESULTS, DOMAINS, check_mode=False)
    assert report["summary"] == {
        "domains": 3,
        "connections": 7,
        "accepted": 1,
        "rejected": 1,
        "revoked": 1,
        "pending_for_a_person": 1,
        "failures": 2,
    }
    [eu] = report["accounts"][0]["regions"]
    assert [domain["domain_name"] for domain in eu["domains"]] == ["quiet-logs", "shared-logs"]
    outcomes = [row["outcome"] for row in eu["domains"][1]["connections"]]
    assert outcomes == ["accepted", "rejected", "revoked", "left pending for a person", "left as it is"]


def test_check_mode_says_what_would_be_done():
    report = build_report(RESULTS[:1], DOMAINS, check_mode=True)
    rows = report["accounts"][0]["regions"][0]["domains"][1]["connections"]
    assert [row["outcome"] for row in rows][:3] == ["would be accepted", "would be rejected", "would be revoked"]
    assert report["summary"]["accepted"] == 1
    assert "Check mode: nothing was changed" in render_markdown(report, "t")


def test_values_from_aws_are_text_in_html_and_markdown():
    hostile = dict(decision("cc-0000000009", "PENDING_ACCEPTANCE", "REJECTING", "reject"))
    hostile["source"] = {"owner_id": "<script>alert(1)</script>", "domain_name": "a|b", "region": "{{ lookup('x') }}"}
    report = build_report([{"account_id": "111111111111", "region": "eu-west-1", "decisions": [hostile]}], [], False)
    page = render_html(report, "Who can search <our> data?")
    assert "<script>" not in page and "&lt;script&gt;" in page and "Who can search &lt;our&gt; data?" in page
    assert "a\\|b" in render_markdown(report, "t")


def test_a_failed_decision_is_reported_failed_with_its_reason_a_gone_one_as_done():
    report = build_report(RESULTS, [], check_mode=False)
    us_east = report["accounts"][1]["regions"][0]
    rows = us_east["domains"][0]["connections"]
    assert [(row["connection_id"], row["outcome"]) for row in rows] == [
        ("cc-0000000006", "failed"),
        ("cc-0000000007", "gone before its decision"),
    ]
    assert us_east["failures"] == []
    assert report["accounts"][2]["regions"][0]["failures"] == ["no role"]
    assert "failed: access denied" in render_html(report, "t")


def test_values_that_are_not_strings_do_not_break_the_page():
    report = build_report([{"account_id": 111111111111, "region": "eu-west-1", "decisions": []}], [], False)
    assert "111111111111" in render_html(report, "t")
