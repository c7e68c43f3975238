# -*- coding: utf-8 -*-

# Copyright: Contributors to the aws_search.cross_cluster project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The report as a CSV for auditors: one row per grant of every domain, spreadsheet-safe (no cell runs as a
formula, whatever AWS or the allowlist wrote)."""

from __future__ import annotations

import csv
import io
from typing import Any
from typing import Dict
from typing import List

from ansible_collections.aws_search.cross_cluster.plugins.module_utils.report_access import each_domain

HEADER = (
    "account",
    "account_name",
    "region",
    "domain",
    "path",
    "principal",
    "scope",
    "outcome",
    "rule",
    "severity",
    "fix",
)
# What a spreadsheet reads as the start of a formula (and the control characters that can hide one).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell(value: Any) -> str:
    """A value as text that a spreadsheet shows and never runs: a formula's first character is quoted with '."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def _rule(grant: Dict[str, Any]) -> Any:
    if grant.get("rule_name"):
        return grant["rule_name"]
    return f"allow[{grant['rule']}]" if isinstance(grant.get("rule"), int) else None


def grant_rows(report: Dict[str, Any]) -> List[List[str]]:
    rows = []
    for account, region, domain in each_domain(report.get("accounts") or []):
        for grant in domain.get("grants") or []:
            values = (
                account.get("account_id"),
                account.get("account_name"),
                region.get("region"),
                domain.get("domain_name"),
                grant.get("path"),
                grant.get("principal") or grant.get("who"),
                grant.get("scope"),
                grant.get("outcome"),
                _rule(grant),
                grant.get("severity"),
                grant.get("fix"),
            )
            rows.append([cell(value) for value in values])
    return rows


def render_csv(report: Dict[str, Any]) -> str:
    written = io.StringIO()
    writer = csv.writer(written, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerows(grant_rows(report))
    return written.getvalue()
