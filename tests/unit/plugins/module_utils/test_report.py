"""The report of an estate's policy runs: the summary, each connection's outcome, and values read from AWS kept
as text, never markup."""

from __future__ import annotations

from ansible_collections.aws_search.cross_cluster.plugins.module_utils.report import build_report
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.report import changes
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.report import inventory_lines
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.report import inventory_summary
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.report import problems
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.report_pages import render_html
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.report_pages import render_markdown

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
    assert outcomes == ["accepted", "rejected", "revoked", "pending", "left"]


def test_check_mode_says_what_would_be_done():
    report = build_report(RESULTS[:1], DOMAINS, check_mode=True)
    rows = report["accounts"][0]["regions"][0]["domains"][1]["connections"]
    assert [row["outcome"] for row in rows][:3] == ["accepted", "rejected", "revoked"]
    assert report["summary"]["accepted"] == 1
    page = render_html(report, "t")
    assert '<p class="banner">CHECK MODE (a dry run)' in page and "would be accepted" in page
    assert "**CHECK MODE (a dry run)" in render_markdown(report, "t")


def test_values_from_aws_are_text_in_html_and_markdown():
    hostile = dict(decision("cc-0000000009", "PENDING_ACCEPTANCE", "REJECTING", "reject"))
    hostile["source"] = {"owner_id": "<script>alert(1)</script>", "domain_name": "a|b", "region": "{{ lookup('x') }}"}
    report = build_report([{"account_id": "111111111111", "region": "eu-west-1", "decisions": [hostile]}], [], False)
    page = render_html(report, "Who can search <our> data?")
    assert "<script>" not in page and "&lt;script&gt;" in page and "Who can search &lt;our&gt; data?" in page
    assert "a\\|b" in render_markdown(report, "t")


def test_link_prone_values_from_aws_are_code_in_markdown_never_links():
    tags = {"owner": "ops@example.com", "runbook": "https://evil.example/x", "site": "www.evil.example", "x": "[a](b)"}
    report = build_report(RESULTS[:1], [dict(DOMAINS[0], tags=tags)], False)
    markdown = render_markdown(report, "t")
    for code in ("`ops@example.com`", "`https://evil.example/x`", "`www.evil.example`"):
        assert code in markdown, markdown
    assert "[a\\](b)" in markdown and " ops@example.com" not in markdown


def test_a_failed_decision_is_reported_failed_with_its_reason_a_gone_one_as_done():
    report = build_report(RESULTS, [], check_mode=False)
    us_east = report["accounts"][1]["regions"][0]
    rows = us_east["domains"][0]["connections"]
    assert [(row["connection_id"], row["outcome"]) for row in rows] == [
        ("cc-0000000006", "failed"),
        ("cc-0000000007", "gone"),
    ]
    assert us_east["failures"] == []
    assert report["accounts"][2]["regions"][0]["failures"] == ["no role"]
    assert "failed: access denied" in render_html(report, "t")
    assert report["accounts"][1]["regions"][0]["domains"][0]["can_search"] == []


def test_values_that_are_not_strings_do_not_break_the_page():
    report = build_report([{"account_id": 111111111111, "region": "eu-west-1", "decisions": []}], [], False)
    assert "111111111111" in render_html(report, "t")


def test_who_can_search_each_domain_after_the_run_and_the_counts_at_the_top():
    partner = {"owner_id": "222222222222", "domain_name": "their-logs", "region": "eu-west-1"}
    own = {"owner_id": "111111111111", "domain_name": "our-other-logs", "region": "eu-west-1"}
    accepted = dict(decision("cc-0000000011", "PENDING_ACCEPTANCE", "APPROVED", "accept", allowed=True), source=partner)
    failed_revoke = dict(decision("cc-0000000012", "ACTIVE", "ACTIVE", "delete", failure="denied"), source=SOURCE)
    ours = dict(decision("cc-0000000013", "ACTIVE", "ACTIVE", "none", allowed=True, domain="b-logs"), source=own)
    results = [{"account_id": "111111111111", "region": "eu-west-1", "decisions": [failed_revoke, accepted, ours]}]
    report = build_report(results, [], check_mode=False, not_governed=[{"host": "x", "reason": "denied"}])
    shared = report["accounts"][0]["regions"][0]["domains"][1]
    # The failed revoke left the stranger's connection ACTIVE: the stranger can still search.
    assert [(who["owner_id"], who["status"]) for who in shared["can_search"]] == [
        ("222222222222", "APPROVED"),
        ("333333333333", "ACTIVE"),
    ]
    assert [row["connection_id"] for row in shared["connections"]] == ["cc-0000000011", "cc-0000000012"]
    assert report["access"] == {
        "findings": 0,
        "domains_open_to_everyone": 0,
        "domains_reachable_from_another_account": 1,
        "outside_accounts": 2,
        "not_governed": 1,
    }
    # Without domain_access_policy's answer, only connections were read: the report says so.
    assert "only cross-cluster connections were read" in render_html(report, "t")


def test_the_row_names_the_allowlist_entry_that_allowed_it_and_the_domain_its_tags():
    results = [
        {"run": "r1", "decisions": [decision("cc-0000000001", "PENDING_ACCEPTANCE", "APPROVED", "accept", True)]}
    ]
    runs = [{"name": "r1", "account_id": "111111111111", "region": "eu-west-1"}]
    runs[0]["settings"] = {"allow": [{"owner_id": "333333333333", "domain_name": "their-*"}]}
    domains = [dict(DOMAINS[0], tags={"data-classification": "secret"}, groups=["classification_secret"])]
    page = render_markdown(build_report(results, domains, False, runs=runs), "t")
    assert "| allow[0]: domain_name=their-*, owner_id=333333333333 |" in page
    assert "Tags: data-classification=secret. Settings from the groups: classification_secret." in page


def test_a_planned_run_without_a_result_is_a_failure():
    runs = [{"name": "r1", "account_id": "111111111111", "region": "eu-west-1", "settings": {}}]
    report = build_report([], [], False, runs=runs)
    assert report["summary"]["failures"] == 1 and problems(report), report


def test_what_changed_since_the_previous_report():
    before = build_report(RESULTS[:1], DOMAINS, False)
    added = dict(decision("cc-0000000020", "PENDING_ACCEPTANCE", "APPROVED", "accept", allowed=True))
    added["source"] = {"owner_id": "444444444444", "domain_name": "new-logs", "region": "eu-west-1"}
    kept = [d for d in RESULTS[0]["decisions"] if d["connection_id"] != "cc-0000000001"]
    after = build_report([dict(RESULTS[0], decisions=kept + [added])], DOMAINS, False)
    found = changes(after, before)
    assert [c["connection_id"] for c in found["new_connections"]] == ["cc-0000000020"]
    assert [c["connection_id"] for c in found["connections_gone"]] == ["cc-0000000001"]
    assert [g["owner_id"] for g in found["accounts_gained_access"]] == ["444444444444"]
    assert [g["owner_id"] for g in found["accounts_lost_access"]] == ["333333333333"]
    assert changes(after, None) is None


def test_a_domain_not_governed_now_is_no_evidence_that_access_was_lost():
    before = build_report(RESULTS[:1], DOMAINS, False)
    after = build_report([], [], False, not_governed=[{"host": "shared-logs.eu-west-1.111111111111", "reason": "x"}])
    found = changes(after, before)
    assert found["accounts_lost_access"] == [] and found["connections_gone"] == [], found


def test_problems_name_what_was_not_governed_and_an_empty_estate():
    report = build_report([], [], False, not_governed=[{"host": "unreadable.us-east-1.1", "reason": "denied"}])
    assert problems(report) == ["unreadable.us-east-1.1 not governed: denied"]
    empty = dict(build_report([], [], False), sources=["/inventories"])
    assert "no domain was governed: the inventory sources (/inventories)" in problems(empty)[0]


def test_the_report_says_which_sources_came_from_the_cache_how_old_they_were_and_the_accounts_left_out():
    inventories = [
        {"source": "b.domains.aws_search.yml", "read_at": "2026-12-02T06:05:00Z", "from_cache": True},
        {"source": "a.domains.aws_search.yml", "read_at": "2026-12-02T08:14:00Z", "from_cache": False},
        {"source": "org.domains.aws_search.yml", "from_cache": False, "accounts_excluded": 1, "accounts_not_active": 2},
    ]
    summary = inventory_summary(inventories)
    assert summary == {
        "from_cache": [{"source": "b.domains.aws_search.yml", "read_at": "2026-12-02T06:05:00Z"}],
        "accounts_excluded": 1,
        "accounts_not_active": 2,
    }
    lines = inventory_lines(summary, "20261202T081500Z")
    assert lines == [
        "The inventory source b.domains.aws_search.yml came from the inventory cache: AWS was read at"
        " 2026-12-02T06:05:00Z, 2 h 10 min before this run; run with --flush-cache to read it now.",
        "Accounts of the organization left out on purpose, not read: 1 by exclude_account_ids, 2 not ACTIVE"
        " (suspended or closed).",
    ]
    report = dict(build_report(RESULTS[:1], DOMAINS, False), inventory=summary, started="20261202T081500Z")
    assert lines[0] in render_markdown(report, "t") and "2 not ACTIVE" in render_html(report, "t")
    assert inventory_lines(inventory_summary([]), None) == []


def test_the_counts_at_the_top_are_headed_in_words_not_json_keys():
    markdown = render_markdown(build_report(RESULTS[:1], DOMAINS, False), "t")
    headings = "| access nobody allowed (findings) | domains open to everyone | domains another account can reach |"
    assert headings + " other accounts that can reach a domain | not governed |" in markdown
    assert "| domains | connections | accepted | rejected | revoked | pending for a person | failures |" in markdown
    assert "domains_reachable_from_another_account" not in markdown and "pending_for_a_person" not in markdown


def test_an_account_is_shown_with_its_name_where_the_organization_was_read():
    domains = [dict(DOMAINS[0], account_name="analytics"), DOMAINS[1]]
    report = build_report(RESULTS[:1], domains, False)
    assert report["accounts"][0]["account_name"] == "analytics"
    markdown = render_markdown(report, "t")
    assert "| 111111111111 (analytics) | eu-west-1 | shared-logs |" in markdown
    assert "### Account 111111111111 (analytics), eu-west-1" in markdown
    assert build_report(RESULTS[:1], DOMAINS, False)["accounts"][0]["account_name"] is None
