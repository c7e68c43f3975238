"""The report's files: written atomically with the mode asked for, a symlink replaced and never followed, left as
they are when the estate is unchanged, check mode beside the real report, and a previous report that cannot be read
named as a problem."""

from __future__ import annotations

import fcntl
import json
import os

import pytest

from ansible_collections.aws_search.cross_cluster.plugins.module_utils.report import build_report
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.report_files import LOCK_NAME
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.report_files import ReportBusy
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.report_files import artifact
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.report_files import file_names
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.report_files import mode_of
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.report_files import read_previous
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.report_files import report_dir_problem
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.report_files import report_lock
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.report_files import write_report

DOMAINS = [{"account_id": "111111111111", "region": "eu-west-1", "domain_name": "shared-logs"}]


def report(started="20261202T080000Z"):
    access = [{"domain_name": "shared-logs", "owner_id": "111111111111", "region": "eu-west-1", "grants": []}]
    results = [{"account_id": "111111111111", "region": "eu-west-1", "decisions": [], "access": access}]
    return dict(build_report(results, DOMAINS, False), started=started, sources=[])


def test_files_are_written_with_mode_0600_and_no_temporary_file_is_left(tmp_path):
    files = file_names(str(tmp_path), ["markdown", "html", "json"], False)
    changed = write_report(report(), "t", files, 0o600, False)
    assert changed and sorted(os.listdir(tmp_path)) == ["report.html", "report.json", "report.md"]
    assert {oct(os.stat(path).st_mode & 0o777) for path in files.values()} == {"0o600"}


def test_an_unchanged_estate_leaves_the_files_and_reports_no_change_whatever_the_time(tmp_path):
    files = file_names(str(tmp_path), ["json", "html"], False)
    write_report(report(), "t", files, 0o600, False)
    changed = write_report(report("20261203T080000Z"), "t", files, 0o600, False)
    assert not changed
    assert json.loads((tmp_path / "report.json").read_text())["started"] == "20261202T080000Z"
    changed = write_report(report(), "t", files, 0o640, False)
    assert changed and oct(os.stat(files["json"]).st_mode & 0o777) == "0o640"


def test_a_symlink_at_the_destination_is_replaced_never_followed(tmp_path):
    target = tmp_path / "elsewhere.json"
    target.write_text("keep me")
    (tmp_path / "report.json").symlink_to(target)
    write_report(report(), "t", file_names(str(tmp_path), ["json"], False), 0o600, False)
    assert target.read_text() == "keep me" and not (tmp_path / "report.json").is_symlink()


def test_check_mode_writes_beside_the_real_report_and_the_module_check_mode_writes_nothing(tmp_path):
    assert file_names("r", ["json"], True) == {"json": os.path.join("r", "report-check.json")}
    changed = write_report(report(), "t", file_names(str(tmp_path), ["json"], True), 0o600, True)
    assert changed and os.listdir(tmp_path) == []


def test_a_previous_report_that_cannot_be_read_is_a_problem_and_a_missing_one_is_none(tmp_path):
    assert read_previous(str(tmp_path / "missing.json")) == (None, None)
    (tmp_path / "bad.json").write_text("{")
    previous, problem = read_previous(str(tmp_path / "bad.json"))
    assert previous is None and "could not be read" in problem


def test_modes_are_octal_strings():
    assert mode_of("0600") == 0o600 and mode_of("640") == 0o640
    assert mode_of("rw-r--r--") is None and mode_of("1777") is None


def test_the_artifact_holds_who_can_search_each_domain():
    published = artifact(report(), ["x"], {"json": "r/report.json"})
    assert published["can_search"] == [
        {"account_id": "111111111111", "region": "eu-west-1", "domain_name": "shared-logs", "accounts": []}
    ]
    assert published["problems"] == ["x"] and published["access"]["not_governed"] == 0


def test_a_second_run_on_the_same_report_folder_fails_saying_so_while_the_first_holds_it(tmp_path):
    with report_lock(str(tmp_path), check_mode=False):
        with pytest.raises(ReportBusy, match="Another run is writing the report in .* nothing was written"):
            with report_lock(str(tmp_path), check_mode=False):
                pass
        # A dry run writes nothing, so it holds nothing and waits for nobody; a check run writes other files.
        with report_lock(str(tmp_path), check_mode=True):
            pass
        with report_lock(str(tmp_path), check_mode=False, check_mode_run=True):
            pass
    with report_lock(str(tmp_path), check_mode=False):
        pass
    assert oct(os.stat(tmp_path / LOCK_NAME).st_mode & 0o777) == "0o600"


def test_the_lock_is_held_by_the_run_not_by_a_file_left_behind(tmp_path):
    (tmp_path / LOCK_NAME).write_text("")
    with report_lock(str(tmp_path), check_mode=False):
        handle = os.open(tmp_path / LOCK_NAME, os.O_RDWR)
        try:
            with pytest.raises(BlockingIOError):
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        finally:
            os.close(handle)


def test_the_csv_is_written_beside_the_others_mode_0600_named_report_check_in_a_check_run_and_left_when_unchanged(
    tmp_path,
):
    files = file_names(str(tmp_path), ["json", "csv"], True)
    assert files["csv"] == os.path.join(str(tmp_path), "report-check.csv")
    assert write_report(report(), "t", files, 0o600, False)
    assert oct(os.stat(files["csv"]).st_mode & 0o777) == "0o600"
    assert (tmp_path / "report-check.csv").read_bytes().startswith(b"account,account_name,region,domain,path")
    assert not write_report(report(), "t", files, 0o600, False)


def test_a_report_dir_that_cannot_be_written_is_named_before_anything_is_decided(tmp_path):
    (tmp_path / "file").write_text("x")
    assert report_dir_problem(str(tmp_path / "new" / "report")) is None and (tmp_path / "new" / "report").is_dir()
    assert report_dir_problem(str(tmp_path / "file" / "report")).startswith("Give a report_dir you can write")
