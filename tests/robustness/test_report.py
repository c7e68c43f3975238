"""The report module through `ansible`, and its HTML in a real headless browser (Debian's chromium): the page needs
no network and no JavaScript, shows the summary and every connection, and renders to a screenshot."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from .harness import run_module

SOURCE = {"owner_id": "333333333333", "domain_name": "their-logs", "region": "eu-west-1"}
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
    assert run.result["summary"]["rejected"] == 3 and run.result["summary"]["revoked"] == 3
    assert json.loads((dest / "report.json").read_text())["summary"] == run.result["summary"]
    again = run_module("connection_report", {"results": RESULTS, "domains": DOMAINS, "dest": str(dest)})
    assert not again.changed

    page = dest / "report.html"
    dom = chromium("--dump-dom", page.as_uri())
    assert dom.count("<tr>") == 1 + 6 and "cc-0000000005" in dom and ">3</b>revoked<" in dom
    assert "<script" not in page.read_text() and "http" not in page.read_text()
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    chromium(f"--screenshot={SCREENSHOT.absolute()}", "--window-size=1100,800", page.as_uri())
    assert SCREENSHOT.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and SCREENSHOT.stat().st_size > 10_000
