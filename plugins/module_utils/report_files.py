# -*- coding: utf-8 -*-

# Copyright: Contributors to the aws_search.cross_cluster project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The report's files, written as a security tool writes them: a temporary file in the same folder, then a rename
(a symlink at the destination is replaced, never followed), with the permissions asked for; and what the guard
publishes of it with set_stats."""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import tempfile
from typing import Any
from typing import Callable
from typing import Dict
from typing import Iterator
from typing import List
from typing import Optional
from typing import Tuple

from ansible_collections.aws_search.cross_cluster.plugins.module_utils.access_allowlist import finding_line
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.report_csv import render_csv
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.report_pages import render_html
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.report_pages import render_json
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.report_pages import render_markdown

FORMATS = {"markdown": ".md", "html": ".html", "json": ".json", "csv": ".csv"}
RENDERERS: Dict[str, Callable[[Dict[str, Any], str], str]] = {
    "markdown": render_markdown,
    "html": render_html,
    "json": lambda report, _title: render_json(report),
    "csv": lambda report, _title: render_csv(report),
}


# In report_dir: held while one run reads the previous report and writes the new one (a check run's files are others).
LOCK_NAME = ".report.lock"
CHECK_LOCK_NAME = ".report-check.lock"


class ReportBusy(Exception):
    """Another run is writing the same report folder."""


@contextlib.contextmanager
def report_lock(dest: str, check_mode: bool, check_mode_run: bool = False) -> Iterator[None]:
    """One run at a time reads and writes dest's files, so that report.md, .html and .json always come from one run;
    ReportBusy, saying so, when another run holds it. In check mode nothing is written, so nothing is held; a run that
    writes the report-check files holds their own lock."""
    if check_mode:
        yield
        return
    name = CHECK_LOCK_NAME if check_mode_run else LOCK_NAME
    os.makedirs(dest, mode=0o700, exist_ok=True)
    handle = os.open(os.path.join(dest, name), os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o600)
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise ReportBusy(
                f"Another run is writing the report in {dest} (it holds {name} there): nothing was written by this"
                " one. Run again when it has ended, or give each run its own report_dir"
            ) from None
        yield
    finally:
        os.close(handle)


def report_dir_problem(dest: str) -> Optional[str]:
    """Why the report could not be written in dest (checked before the guard decides anything), or None."""
    try:
        os.makedirs(dest, mode=0o700, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=dest, prefix=".report-", suffix=".probe"):
            pass
    except OSError as error:
        return (
            f"Give a report_dir you can write: the report could not be written in {dest} ({error.strerror or error});"
            " nothing was decided or changed"
        )
    return None


def file_names(dest: str, formats: List[str], check_mode_run: bool) -> Dict[str, str]:
    stem = "report-check" if check_mode_run else "report"
    return {name: os.path.join(dest, stem + FORMATS[name]) for name in formats}


def mode_of(text: str) -> Optional[int]:
    try:
        mode = int(str(text), 8)
    except ValueError:
        return None
    return mode if 0 <= mode <= 0o777 else None


def read_previous(path: str) -> Tuple[Optional[Dict[str, Any]], Optional[str]]:
    """The previous report and, when it exists but cannot be read, why (a problem: what changed is then unknown)."""
    if not os.path.lexists(path):
        return None, None
    try:
        with open(path, encoding="utf-8") as previous:
            report = json.load(previous)
        if isinstance(report, dict) and isinstance(report.get("accounts"), list) and "access" in report:
            return report, None
        if isinstance(report, dict) and isinstance(report.get("accounts"), list):
            return None, None  # a report of release 0.3.0, which did not say who can search: nothing to compare
    except (OSError, ValueError) as error:
        return None, f"the previous report {path} could not be read ({error}): what changed is unknown"
    return None, f"the previous report {path} is not a report of this module: what changed is unknown"


def _current(path: str) -> Optional[str]:
    if os.path.islink(path) or not os.path.isfile(path):
        return None
    try:
        with open(path, encoding="utf-8", newline="") as current:
            return current.read()
    except (OSError, ValueError):
        return None


def _as_written_before(report: Dict[str, Any], before: Optional[str]) -> Dict[str, Any]:
    """The report with the times of the one written before: the run's time alone does not change the files."""
    try:
        old = json.loads(before or "")
    except ValueError:
        return report
    if not isinstance(old, dict):
        return report
    same_times = dict(report, started=old.get("started"))
    if isinstance(report.get("changes"), dict) and isinstance(old.get("changes"), dict):
        same_times["changes"] = dict(report["changes"], since=old["changes"].get("since"))
    return same_times


def write_atomically(path: str, text: str, mode: int) -> None:
    folder = os.path.dirname(path) or "."
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=".report-", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as written:
            written.write(text)
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise


def write_report(report: Dict[str, Any], title: str, files: Dict[str, str], mode: int, check_mode: bool) -> bool:
    """Writes every file unless each already says what the report says (the run's time aside) with the mode asked
    for; returns whether anything changed (in check mode, would)."""
    json_path = files.get("json") or os.path.join(os.path.dirname(next(iter(files.values()))), "report.json")
    as_before = _as_written_before(report, _current(json_path))
    texts = {name: RENDERERS[name](as_before, title) for name in files}
    if all(_current(path) == texts[name] and _mode(path) == mode for name, path in files.items()):
        return False
    if not check_mode:
        os.makedirs(os.path.dirname(json_path) or ".", mode=0o700, exist_ok=True)
        for name, path in files.items():
            write_atomically(path, RENDERERS[name](report, title), mode)
    return True


def _mode(path: str) -> int:
    return os.stat(path).st_mode & 0o777


def artifact(report: Dict[str, Any], problems: List[str], files: Dict[str, str]) -> Dict[str, Any]:
    """What the guard publishes with set_stats: the top of the report, small enough for a job's artifacts."""
    can_search = [
        {
            "account_id": account["account_id"],
            "region": region["region"],
            "domain_name": domain["domain_name"],
            "accounts": sorted({str(who["owner_id"]) for who in domain["can_search"]}),
        }
        for account in report["accounts"]
        for region in account["regions"]
        for domain in region["domains"]
    ]
    return {
        "check_mode": report["check_mode"],
        "started": report.get("started"),
        "access": report["access"],
        "summary": report["summary"],
        "not_governed": [f"{item.get('host')}: {item.get('reason')}" for item in report["not_governed"]],
        "findings": [finding_line(item) for item in report.get("findings") or []],
        "findings_by_severity": report.get("findings_by_severity"),
        "security_hub": report.get("security_hub"),
        "can_search": can_search,
        "changes": report.get("changes"),
        "problems": problems,
        "files": files,
    }
