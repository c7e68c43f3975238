"""The report module through `ansible`, and its HTML in a real headless browser (Debian's chromium): the page needs
no network and no JavaScript, shows the summary and every connection, and renders to a screenshot."""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import subprocess
from pathlib import Path

import cmarkgfm
import pytest

from .harness import run_module

SOURCE = {"owner_id": "333333333333", "domain_name": "their-logs", "region": "eu-west-1"}
GRANT = {
    "path": "access_policy",
    "account_id": "333333333333",
    "scope": "account",
    "conditions": [],
    "statement": None,
    "connection_id": None,
    "addresses": [],
    "organization_ids": [],
    "allowed": False,
    "rule": None,
    "outcome": "revoked",
    "failure": None,
}
RESULTS = [
    {
        "account_id": "111111111111",
        "region": "eu-west-1",
        "decisions": [
            {
                "connection_id": f"cc-00000000{number:02d}",
                "source": SOURCE,
                "destination_domain_name": "shared-logs",
                "previous_status": "PENDING_ACCEPTANCE" if number % 2 else "ACTIVE",
                "status": "REJECTING" if number % 2 else "DELETING",
                "action": "reject" if number % 2 else "delete",
                "allowed": False,
                "rule": None,
            }
            for number in range(6)
        ],
        # domain_access_policy's answer: a stranger's policy grant (a finding, with a statement id that is markup)
        # and VPC endpoint access it revoked.
        "access": [
            {
                "domain_name": "shared-logs",
                "owner_id": "111111111111",
                "region": "eu-west-1",
                "grants": [
                    dict(GRANT, principal="arn:aws:iam::333333333333:root", statement="<b>s1</b>", outcome="finding"),
                    dict(GRANT, path="vpc_endpoint", principal="444444444444", account_id="444444444444"),
                ],
            }
        ],
    }
]
DOMAINS = [{"account_id": "111111111111", "region": "eu-west-1", "domain_name": "shared-logs"}]
# Where `make robustness-tests` leaves the screenshot, for a person to look at (and the documentation to show).
SCREENSHOT = Path(os.environ.get("REPORT_SCREENSHOT", "build/report-screenshot.png"))


def chromium(*arguments: str) -> str:
    browser = shutil.which("chromium")
    if browser is None:
        pytest.fail("chromium is not installed: .ci/run installs Debian's chromium package")
    command = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", *arguments]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=True)
    return done.stdout


def test_the_report_is_written_and_renders_in_a_headless_browser(tmp_path):
    dest = tmp_path / "report"
    check = run_module("connection_report", {"results": RESULTS, "domains": DOMAINS, "dest": str(dest)}, check=True)
    assert check.changed and not dest.exists(), check.output
    run = run_module("connection_report", {"results": RESULTS, "domains": DOMAINS, "dest": str(dest)})
    assert run.changed and not run.failed, run.output
    # Revoked counts every path: the 3 connections deleted and the VPC endpoint access revoked.
    assert run.result["summary"]["rejected"] == 3 and run.result["summary"]["revoked"] == 4
    assert json.loads((dest / "report.json").read_text())["summary"] == run.result["summary"]
    assert oct((dest / "report.json").stat().st_mode & 0o777) == "0o600"
    # The second run compares with the first ("nothing changed"), the third finds the second's report as it is.
    second = run_module("connection_report", {"results": RESULTS, "domains": DOMAINS, "dest": str(dest)})
    assert second.changed and second.result["changes"]["accounts_lost_access"] == [], second.output
    again = run_module("connection_report", {"results": RESULTS, "domains": DOMAINS, "dest": str(dest)})
    assert not again.changed, again.output

    page = dest / "report.html"
    dom = chromium("--dump-dom", page.as_uri())
    # The tables: access nobody allowed (header + 1), who can reach (header + 2 grants), what the run did (header + 6).
    assert dom.count("<tr>") == 2 + 3 + 7 and "cc-0000000005" in dom and ">4</b>revoked<" in dom
    assert "Access nobody allowed" in dom and "Who can reach each domain now" in dom and "FINDING" in dom
    assert "&lt;b&gt;s1&lt;/b&gt;" in dom and "<b>s1" not in dom and ">1</b>access nobody allowed (findings)<" in dom
    assert "<script" not in page.read_text() and "http" not in page.read_text()
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    chromium(f"--screenshot={SCREENSHOT.absolute()}", "--window-size=1100,800", page.as_uri())
    assert SCREENSHOT.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and SCREENSHOT.stat().st_size > 10_000


def hostile(field: str) -> str:
    return f'<i id="{field}">{field}</i>'


def test_every_value_that_reaches_the_html_is_text_in_a_headless_browser(tmp_path):
    fields = ["account", "region", "domain", "decision-domain", "source-owner", "source-domain", "source-region"]
    fields += ["failure", "run-failure", "host", "reason", "ungoverned-domain", "tag-key", "tag-value", "group"]
    fields += ["source-file", "title", "connection", "allow-entry", "started"]
    bad = dict(RESULTS[0]["decisions"][1], failure=hostile("failure"), connection_id=hostile("connection"))
    bad.update(destination_domain_name=hostile("decision-domain"), allowed=True, rule=0)
    bad["source"] = {"owner_id": hostile("source-owner"), "domain_name": hostile("source-domain")}
    bad["source"]["region"] = hostile("source-region")
    run = {"name": "r", "account_id": hostile("account"), "region": hostile("region")}
    run["settings"] = {"allow": [{"owner_id": hostile("allow-entry")}]}
    results = [{"run": "r", "decisions": [bad]}, {"run": "f", "failed": True, "msg": hostile("run-failure")}]
    domain = {"account_id": hostile("account"), "region": hostile("region"), "domain_name": hostile("domain")}
    domain.update(tags={hostile("tag-key"): hostile("tag-value")}, groups=[hostile("group")])
    refused = {"host": hostile("host"), "reason": hostile("reason"), "domain_name": hostile("ungoverned-domain")}
    failed_run = {"name": "f", "account_id": "111111111111", "region": "eu-west-1", "settings": {}}
    args = {"results": results, "runs": [run, failed_run], "domains": [domain], "not_governed": [refused]}
    args.update(sources=[hostile("source-file")], title=hostile("title"), started=hostile("started"))
    args.update(dest=str(tmp_path), check_mode_run=True)
    done = run_module("connection_report", args)
    assert not done.failed and done.result["files"]["html"].endswith("report-check.html"), done.output
    dom = chromium("--dump-dom", (tmp_path / "report-check.html").as_uri())
    injected = [field for field in fields if f'<i id="{field}">' in dom]
    shown = [field for field in fields if f'&lt;i id="{field}"&gt;' in dom]
    assert injected == [] and shown == fields, (injected, sorted(set(fields) - set(shown)))
    markdown = (tmp_path / "report-check.md").read_text()
    assert "<i id=" not in markdown, markdown


def test_no_value_from_aws_becomes_a_link_in_the_markdown_as_github_renders_it(tmp_path):
    tags = {"owner": "ops@example.com", "runbook": "https://evil.example/x", "site": "www.evil.example"}
    tags.update({"relative": "[click](evil)", "mail": "mailto:ops@example.com", "angle": "<https://evil.example>"})
    domains = [dict(DOMAINS[0], tags=tags)]
    bad = dict(RESULTS[0]["decisions"][1], failure="see https://evil.example/help or write to help@evil.example")
    done = run_module(
        "connection_report",
        {"results": [{**RESULTS[0], "decisions": [bad]}], "domains": domains, "dest": str(tmp_path)},
    )
    assert not done.failed, done.output
    page = cmarkgfm.github_flavored_markdown_to_html((tmp_path / "report.md").read_text())
    assert "<a " not in page, page
    for value in list(tags.values())[:3] + ["https://evil.example/help", "help@evil.example"]:
        assert f"<code>{value}</code>" in page, (value, page)


def test_a_run_that_finds_the_report_folder_held_by_another_fails_saying_so_and_writes_nothing(tmp_path):
    dest = tmp_path / "report"
    dest.mkdir()
    holder = os.open(dest / ".report.lock", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(holder, fcntl.LOCK_EX)
        done = run_module("connection_report", {"results": RESULTS, "domains": DOMAINS, "dest": str(dest)})
    finally:
        os.close(holder)
    assert done.failed and "Another run is writing the report in" in done.msg, done.output
    assert sorted(path.name for path in dest.iterdir()) == [".report.lock"]
    done = run_module("connection_report", {"results": RESULTS, "domains": DOMAINS, "dest": str(dest)})
    assert not done.failed and (dest / "report.json").exists(), done.output
