"""The report answers for every path: grants judged by domain_access_policy, findings first and counted, what fails
the run, what changed with the path, a domain whose access could not be read never shown as reached by nobody."""

from __future__ import annotations

import datetime
import json

from ansible_collections.aws_search.cross_cluster.plugins.module_utils.access_allowlist import judged
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.access_allowlist import reach
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.api_differences import APIS
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.domain_access import domain_access
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.policy import Rule
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.report import build_report
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.report import changes
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.report import problems
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.report_files import artifact
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.report_pages import console_lines
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.report_pages import render_html
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.report_pages import render_markdown

OWNER, PARTNER, STRANGER = "111111111111", "222222222222", "333333333333"
SETTINGS = {"allow": [{"owner_id": PARTNER}], "api": "opensearch", "findings": "fail", "revoke": True}


def access_entry(name, statements=(), principals=None, anonymous=False, settings=None):
    settings = settings or SETTINGS
    status = {"DomainName": name, "ARN": f"arn:aws:es:eu-west-1:{OWNER}:domain/{name}"}
    status["AccessPolicies"] = json.dumps({"Statement": list(statements)}) if statements else ""
    status["AdvancedSecurityOptions"] = {"Enabled": anonymous, "AnonymousAuthEnabled": anonymous}
    if principals is not None:
        status["VPCOptions"] = {"VPCId": "vpc-1"}
    entry = domain_access(status, "eu-west-1", principals, [], APIS["opensearch"])
    rules = [Rule.from_entry(item) for item in settings["allow"]]
    grants = [judged(found, OWNER, name, rules, settings["revoke"]) for found in entry["grants"]]
    return dict(entry, grants=grants, **reach(grants, OWNER))


def allow(principal, sid="0"):
    return {"Sid": sid, "Effect": "Allow", "Principal": principal, "Action": "es:*", "Resource": "*"}


def run(access, settings=None, **more):
    settings = settings or SETTINGS
    names = sorted(entry["domain_name"] for entry in access or []) or ["vpc-logs"]
    planned = {"name": "r1", "account_id": OWNER, "region": "eu-west-1", "settings": settings, "domain_names": names}
    result = dict({"run": "r1", "account_id": OWNER, "region": "eu-west-1", "decisions": [], "access": access}, **more)
    return planned, result


def report_of(access, settings=None, check_mode=False, **more):
    planned, result = run(access, settings, **more)
    domains = [{"account_id": OWNER, "region": "eu-west-1", "domain_name": name} for name in planned["domain_names"]]
    return build_report([result], domains, check_mode, [planned])


ESTATE = [
    access_entry("open-logs", [allow("*", sid="everyone")]),
    access_entry(
        "vpc-logs",
        [allow({"AWS": f"arn:aws:iam::{STRANGER}:root"}, sid="stranger")],
        [
            {"PrincipalType": "AWS_ACCOUNT", "Principal": PARTNER},
            {"PrincipalType": "AWS_ACCOUNT", "Principal": STRANGER},
        ],
    ),
    access_entry("quiet-logs"),
]


def test_every_grant_is_in_the_report_findings_first_and_counted_at_the_top():
    report = report_of(ESTATE)
    vpc = report["accounts"][0]["regions"][0]["domains"][2]
    assert [(g["path"], g["who"], g["allowed"], g["outcome"]) for g in vpc["grants"]] == [
        ("access_policy", STRANGER, False, "finding"),
        ("vpc_endpoint", STRANGER, False, "revoked"),
        ("vpc_endpoint", PARTNER, True, "allowed"),
    ]
    assert [(item["domain_name"], item["path"], item["who"]) for item in report["findings"]] == [
        ("open-logs", "access_policy", "everyone"),
        ("vpc-logs", "access_policy", STRANGER),
    ]
    # The stranger's VPC endpoint access is revoked, its policy grant is not: it still reaches vpc-logs.
    assert report["access"] == {
        "findings": 2,
        "domains_open_to_everyone": 1,
        "domains_reachable_from_another_account": 2,
        "outside_accounts": 2,
        "not_governed": 0,
    }


def test_findings_fail_the_run_naming_each_with_its_fix_unless_findings_report():
    found = problems(report_of(ESTATE))
    assert len(found) == 2 and found[1].startswith(
        f"account {OWNER}, eu-west-1, domain vpc-logs: statement stranger of the access policy lets account {STRANGER}"
    )
    assert (
        "; fix: take account 333333333333 (principal arn:aws:iam::333333333333:root) out of statement stranger"
        in found[1]
    )
    quiet = dict(SETTINGS, findings="report")
    report = report_of(ESTATE, quiet)
    assert problems(report) == [] and report["access"]["findings"] == 2
    assert [item["fails_the_run"] for item in report["findings"]] == [False, False]


def test_a_run_that_could_not_read_access_leaves_its_domains_unknown_never_nobody():
    searched = {"connection_id": "cc-1", "source": {"owner_id": PARTNER}, "destination_domain_name": "vpc-logs"}
    searched.update(previous_status="ACTIVE", status="ACTIVE", action="none", allowed=True)
    report = report_of(
        None, failed=True, msg="DescribeDomains of the domains failed: grant es:DescribeDomains", decisions=[searched]
    )
    [domain] = report["accounts"][0]["regions"][0]["domains"]
    assert domain["grants"] == [] and domain["paths_read"] == [] and report["access"]["not_governed"] == 1
    markdown = render_markdown(report, "t")
    assert "unknown: its run failed before it read who can reach it" in markdown and "nobody outside" not in markdown
    assert any("grant es:DescribeDomains" in problem for problem in problems(report))


def test_a_domain_with_no_grant_by_any_path_says_so():
    markdown = render_markdown(report_of(ESTATE[2:]), "t")
    assert "| every path read | nobody outside the domain's own account |" in markdown


def test_check_mode_says_what_would_be_revoked_and_the_page_is_in_words_findings_first():
    markdown = render_markdown(report_of(ESTATE, check_mode=True), "t")
    assert "would be revoked" in markdown and "FINDING: nobody allowed it" in markdown
    assert markdown.index("## Access nobody allowed") < markdown.index("## Who can reach each domain now")
    assert "| access nobody allowed (findings) | domains open to everyone |" in markdown
    assert "Not read, because AWS's API does not show them: the users and role mappings" in markdown
    who = markdown[markdown.index("## Who can reach each domain now") :]
    assert who.index("FINDING") < who.index("would be revoked") < who.index("allowed, kept")


def test_values_read_from_aws_are_escaped_in_the_page():
    evil = access_entry("vpc-logs", [allow({"AWS": STRANGER}, sid="<script>alert(1)</script>")])
    page = render_html(report_of([evil]), "t")
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_a_grant_made_between_two_runs_is_in_what_changed_with_its_path():
    before = dict(report_of(ESTATE[2:]), started="20261206T080000Z")
    opened = access_entry("quiet-logs", [allow({"AWS": STRANGER}, sid="new")], None)
    after = report_of([opened])
    found = changes(after, json.loads(json.dumps(before)))
    assert found["accounts_gained_access"] == [
        {
            "account_id": OWNER,
            "region": "eu-west-1",
            "domain_name": "quiet-logs",
            "path": "access_policy",
            "who": STRANGER,
            "owner_id": STRANGER,
        }
    ]
    assert changes(before, json.loads(json.dumps(after)))["accounts_lost_access"] == found["accounts_gained_access"]
    assert "Account 333333333333 can now reach 111111111111 eu-west-1 quiet-logs, by access policy" in render_markdown(
        dict(after, changes=found), "t"
    )


def test_a_previous_report_of_connections_only_is_compared_on_connections_only():
    previous = {
        "accounts": [
            {
                "account_id": OWNER,
                "regions": [
                    {
                        "region": "eu-west-1",
                        "domains": [{"domain_name": "open-logs", "connections": [], "can_search": []}],
                    }
                ],
            }
        ],
        "access": {},
    }
    found = changes(report_of(ESTATE[:1]), previous)
    assert found["accounts_gained_access"] == [] and found["accounts_lost_access"] == []


def test_a_planned_run_without_a_result_leaves_its_domains_unknown_not_connections_only():
    planned, _result = run(ESTATE[2:])
    report = build_report(
        [], [{"account_id": OWNER, "region": "eu-west-1", "domain_name": "quiet-logs"}], False, [planned]
    )
    [domain] = report["accounts"][0]["regions"][0]["domains"]
    assert (
        domain["paths_read"] == [] and report["access"]["not_governed"] == 1 and "were read" not in report["coverage"]
    )


def test_a_failed_revocation_keeps_what_was_read_and_the_scope_is_in_words():
    failed = [
        dict(grant, outcome="failed", failure="AccessDenied") if grant["outcome"] == "revoked" else grant
        for grant in ESTATE[1]["grants"]
    ]
    report = report_of([dict(ESTATE[1], grants=failed)], failed=True, msg="could not revoke")
    [domain] = report["accounts"][0]["regions"][0]["domains"]
    assert not domain.get("unknown") and domain["paths_read"] and report["access"]["not_governed"] == 0
    markdown = render_markdown(report, "t")
    assert "| one account | NOT ALLOWED | revocation failed: AccessDenied |" in markdown


def test_a_domain_of_the_run_that_the_access_read_did_not_return_fails_the_run():
    planned, result = run(ESTATE[2:])
    planned["domain_names"] = ["quiet-logs", "vpc-logs"]
    domains = [{"account_id": OWNER, "region": "eu-west-1", "domain_name": name} for name in planned["domain_names"]]
    report = build_report([result], domains, False, [planned])
    assert report["access"]["not_governed"] == 1
    assert problems(report) == [
        f"account {OWNER}, eu-west-1: domain vpc-logs: the access read returned nothing for it, so who can reach it is"
        " unknown; run the guard again"
    ]


def test_an_allow_entry_no_run_with_its_allowlist_matched_is_named_in_the_report_and_pages():
    settings = dict(
        SETTINGS, allow=[{"owner_id": PARTNER}, {"owner_id": "444444444444"}, {"source_ips": ["10.0.0.0/8"]}]
    )
    first, second = run(ESTATE[:1], settings, unmatched_allow=[1, 2]), run(ESTATE[1:], settings, unmatched_allow=[0, 1])
    second[0].update(name="r2")
    second[1].update(run="r2")
    domains = [{"account_id": OWNER, "region": "eu-west-1", "domain_name": e["domain_name"]} for e in ESTATE]
    report = build_report([first[1], second[1]], domains, False, [first[0], second[0]])
    assert report["unmatched_allow"] == [
        {"entry": "allow[1]", "written": {"owner_id": "444444444444"}, "domains": 3}
    ], report["unmatched_allow"]
    line = "allow[1] (owner_id=444444444444) matched no grant and no request of the 3 domains it was applied to"
    assert line in render_markdown(report, "t") and line in render_html(report, "t")
    assert not any("allow[1]" in problem for problem in problems(report))


def test_a_run_that_did_not_say_what_it_matched_names_no_entry():
    report = report_of(ESTATE, unmatched_allow=None)
    assert report["unmatched_allow"] == [] and "matched nothing" not in render_markdown(report, "t")


def test_every_scope_that_lets_anyone_but_the_own_account_in_counts_as_reachable():
    service = {"Sid": "f", "Effect": "Allow", "Principal": {"Service": "firehose.amazonaws.com"}, "Action": "es:*"}
    own = allow({"AWS": f"arn:aws:iam::{OWNER}:root"})
    report = report_of([access_entry("firehose-logs", [service]), access_entry("own-logs", [own])])
    assert report["access"]["domains_reachable_from_another_account"] == 1
    assert [f["who"] for f in report["findings"]] == ["service: firehose.amazonaws.com"]


def test_exceptions_that_end_within_14_days_are_listed_as_a_reminder_and_named_by_their_name():
    allow = [
        {"owner_id": PARTNER, "name": "vendor-x", "reason": "until the migration ends", "expires": "2026-12-20"},
        {"owner_id": "444444444444", "expires": "2026-12-21"},
        {"owner_id": "555555555555", "expires": "2026-12-22"},
        {"owner_id": "666666666666", "expires": "2026-12-06"},
    ]
    planned, result = run(ESTATE, dict(SETTINGS, allow=allow))
    domains = [{"account_id": OWNER, "region": "eu-west-1", "domain_name": e["domain_name"]} for e in ESTATE]
    report = build_report([result], domains, False, [planned], today=datetime.date(2026, 12, 7))
    assert report["expiring_soon"] == [
        {"entry": "allow[1]", "expires": "2026-12-21", "days_left": 14, "reason": None},
        {"entry": "vendor-x", "expires": "2026-12-20", "days_left": 13, "reason": "until the migration ends"},
    ]
    text = render_markdown(report, "t")
    assert "vendor-x (until the migration ends) allows nothing after 2026-12-20 (13 days left)" in text
    assert "## Exceptions that end within 14 days" in text and "2026-12-22" not in text


def test_the_summary_counts_every_revocation_on_every_path():
    # ESTATE's vpc-logs: the stranger's VPC endpoint access is revoked; no connection is.
    report = report_of(ESTATE)
    assert report["summary"]["revoked"] == 1 and report["summary"]["connections"] == 0


def test_the_console_says_each_finding_in_one_line_and_where_the_report_is(tmp_path):
    files = {"markdown": str(tmp_path / "report.md"), "html": str(tmp_path / "report.html")}
    lines = console_lines(report_of(ESTATE), files)
    assert lines == [
        f"CRITICAL: account {OWNER}, eu-west-1, open-logs, access policy: everyone",
        f"HIGH: account {OWNER}, eu-west-1, vpc-logs, access policy: {STRANGER}",
        f"The report: {tmp_path}/report.html (report.md beside it)",
    ]
    assert console_lines(report_of([access_entry("quiet-logs")]), files)[0] == "No access nobody allowed was found."


def test_a_run_that_failed_before_saying_what_it_matched_leaves_its_allowlists_entries_unnamed():
    settings = dict(SETTINGS, allow=[{"owner_id": PARTNER}, {"owner_id": "444444444444"}])
    first, second = run(ESTATE[:1], settings, unmatched_allow=[1]), run(ESTATE[1:], settings, failed=True)
    second[0].update(name="r2")
    second[1].update(run="r2")
    domains = [{"account_id": OWNER, "region": "eu-west-1", "domain_name": e["domain_name"]} for e in ESTATE]
    assert build_report([first[1], second[1]], domains, False, [first[0], second[0]])["unmatched_allow"] == []


def test_the_artifact_carries_the_counts_per_severity():
    report = report_of(ESTATE)
    assert report["findings_by_severity"] == {"critical": 1, "high": 1, "medium": 0, "low": 0}
    assert artifact(dict(report, changes=None), [], {})["findings_by_severity"] == report["findings_by_severity"]
    assert [item["severity"] for item in report["findings"]] == ["critical", "high"]
    text = render_markdown(report, "t")
    assert text.index("| CRITICAL |") < text.index("| HIGH |")
