"""report.csv: a header row, one row per grant of every domain, and no cell a spreadsheet would run as a formula."""

from __future__ import annotations

import csv
import io

import pytest

from ansible_collections.aws_search.cross_cluster.plugins.module_utils.report_csv import HEADER
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.report_csv import cell
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.report_csv import render_csv


def report(*grants, account_name="prod"):
    domain = {"domain_name": "logs", "grants": list(grants)}
    region = {"region": "eu-west-1", "domains": [domain]}
    return {"accounts": [{"account_id": "111111111111", "account_name": account_name, "regions": [region]}]}


GRANT = {
    "path": "access_policy",
    "principal": "arn:aws:iam::333333333333:root",
    "scope": "account",
    "outcome": "finding",
    "rule": None,
    "severity": "high",
    "fix": "take account 333333333333 out of statement 0",
}


def test_one_row_per_grant_under_a_header_row():
    allowed = dict(GRANT, principal="222222222222", outcome="allowed", rule=0, severity=None, fix=None)
    rows = list(csv.reader(io.StringIO(render_csv(report(GRANT, dict(allowed, rule_name="vendor-x"))))))
    assert tuple(rows[0]) == HEADER
    assert rows[1] == [
        "111111111111",
        "prod",
        "eu-west-1",
        "logs",
        "access_policy",
        "arn:aws:iam::333333333333:root",
        "account",
        "finding",
        "",
        "high",
        "take account 333333333333 out of statement 0",
    ]
    assert rows[2][8] == "vendor-x" and len(rows) == 3


@pytest.mark.parametrize("value", ['=HYPERLINK("http://x")', "+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"])
def test_a_value_that_would_run_as_a_formula_is_quoted(value):
    assert cell(value) == "'" + value
    written = render_csv(report(dict(GRANT, principal=value), account_name=value))
    assert all(not field.startswith(("=", "+", "-", "@")) for row in csv.reader(io.StringIO(written)) for field in row)


def test_plain_values_stay_as_they_are():
    assert cell("eu-west-1") == "eu-west-1" and cell(None) == "" and cell(0) == "0"
