# -*- coding: utf-8 -*-

# Copyright: Contributors to the aws_search.cross_cluster project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The report of report.py as Markdown and as self-contained HTML. Everything in it was read from AWS or from the
inventory, so the HTML escapes every value and the Markdown keeps every value on its table row."""

from __future__ import annotations

import html
import json
import os
import re
from typing import Any
from typing import Callable
from typing import Dict
from typing import List
from typing import Optional
from typing import Tuple

from ansible_collections.aws_search.cross_cluster.plugins.module_utils.access_allowlist import entry_name
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.report import ACCESS_KEYS
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.report import SUMMARY_KEYS
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.report import inventory_lines
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.report_access import REMINDER_DAYS
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.report_access import each_domain
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.report_access import expiring_line
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.report_access import hub_line
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.report_access import searched_through_connections
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.report_access import unmatched_line

# The words for each outcome: done, and what check mode says would be done.
WORDS = {
    "rejected": ("rejected", "would be rejected"),
    "accepted": ("accepted", "would be accepted"),
    "revoked": ("revoked", "would be revoked"),
    "pending": ("left pending for a person", "would be left pending for a person"),
    "left": ("left as it is", "would be left as it is"),
    "gone": ("gone before its decision", "gone before its decision"),
    "failed": ("failed", "would fail"),
}
# The counts at the top of the report, in words (report.json keeps the keys).
HEADINGS = {
    "findings": "access nobody allowed (findings)",
    "domains_open_to_everyone": "domains open to everyone",
    "domains_reachable_from_another_account": "domains another account can reach",
    "outside_accounts": "other accounts that can reach a domain",
    "not_governed": "not governed",
    "domains": "domains",
    "connections": "connections",
    "accepted": "accepted",
    "rejected": "rejected",
    "revoked": "revoked",
    "pending_for_a_person": "pending for a person",
    "failures": "failures",
}
# A word that a Markdown renderer (GitHub's, GitLab's) would make a link of: a URL, an e-mail address, www. ...
LINK_PRONE = re.compile(r"[^\s=,;()]*(?:://|@|www\.|mailto:|xmpp:)(?:[^\s,;()]*[^\s,;().])?", re.IGNORECASE)
CSS_CLASSES = {"rejected": "bad", "revoked": "bad", "failed": "bad", "accepted": "good", "pending": "pending"}
HEADERS = ["Connection", "Source account / domain / region", "Status before -> after", "Allowed by", "Done"]
NOT_GOVERNED_HEADERS = ["Host", "Account", "Region", "Domain", "Why it was not governed"]
WHO_HEADERS = ["Account", "Region", "Domain", "Path", "Who", "Scope", "Allowed", "Now"]
FINDING_HEADERS = [
    "Severity",
    "Account",
    "Region",
    "Domain",
    "Path",
    "Who",
    "What nobody allowed",
    "How to take it away",
]
PATHS = {
    "access_policy": "access policy",
    "vpc_endpoint": "VPC endpoint access",
    "anonymous": "anonymous access",
    "connection": "cross-cluster connection",
}
# A grant's outcome in words: done, and in check mode.
GRANT_WORDS = {
    "finding": ("FINDING: nobody allowed it", "FINDING: nobody allowed it"),
    "failed": ("revocation failed", "revocation would fail"),
    "revoked": ("revoked", "would be revoked"),
    "allowed": ("allowed, kept", "allowed, kept"),
}
# Each scope in words (report.json keeps the keys).
SCOPE_WORDS = {
    "account": "one account",
    "everyone": "everyone",
    "ip_restricted": "some addresses",
    "organization": "an organization",
    "authenticated": "users who sign in to the domain",
    "service": "an AWS service",
    "conditional": "conditions not read (counted as everyone)",
}
GRANT_CLASSES = {"finding": "bad", "failed": "bad", "revoked": "pending", "allowed": "good"}
CSS = """
body{font-family:system-ui,sans-serif;margin:2rem;color:#1d2433}h1{margin-bottom:.2rem}
.note{color:#5a6478}.summary{display:flex;flex-wrap:wrap;gap:.8rem;margin:1.2rem 0}
.tile{border:1px solid #d5dbe5;border-radius:6px;padding:.6rem 1rem;min-width:7rem}
.tile b{display:block;font-size:1.6rem}table{border-collapse:collapse;width:100%;margin:.4rem 0 1.4rem}
th,td{border-bottom:1px solid #e3e7ee;padding:.35rem .5rem;text-align:left;font-size:.9rem}
th{background:#f3f5f9}.bad{color:#a4161a;font-weight:600}.good{color:#1b7f3b;font-weight:600}
.pending{color:#9a6700;font-weight:600}h2{border-bottom:2px solid #2f6aa3;padding-bottom:.2rem}
.banner{background:#fff3cd;border:2px solid #9a6700;border-radius:6px;padding:.8rem 1rem;font-weight:700}
.alarm{background:#fde2e1;border:2px solid #a4161a;border-radius:6px;padding:.8rem 1rem}
"""


def outcome_words(row: Dict[str, Any], check_mode: bool) -> str:
    words = WORDS[row["outcome"]][1 if check_mode else 0]
    return f"{words}: {row['failure']}" if row.get("failure") else words


def run_time(started: Optional[str]) -> str:
    text = str(started or "")
    if len(text) == 16 and text[8] == "T":
        return f"{text[0:4]}-{text[4:6]}-{text[6:8]} {text[9:11]}:{text[11:13]}:{text[13:15]} UTC"
    return text or "unknown"


def _source(source: Dict[str, Any]) -> str:
    return f"{source.get('owner_id')} / {source.get('domain_name')} / {source.get('region')}"


def _allowed_by(row: Dict[str, Any]) -> str:
    if not row["allowed"]:
        return "not allowed"
    entry = row.get("allow_entry")
    if not entry:
        return "allowed"
    written = ", ".join(f"{key}={_value(value)}" for key, value in sorted(entry["entry"].items()) if key != "name")
    return f"{entry_name(entry['entry'], entry['index'])}: {written}"


def _value(value: Any) -> str:
    return ",".join(str(item) for item in value) if isinstance(value, list) else str(value)


def connection_cells(row: Dict[str, Any], check_mode: bool) -> List[str]:
    statuses = f"{row['status_before']} -> {row['status_after']}"
    return [
        str(row["connection_id"]),
        _source(row["source"]),
        statuses,
        _allowed_by(row),
        outcome_words(row, check_mode),
    ]


def chosen_by(domain: Dict[str, Any]) -> str:
    tags = ", ".join(f"{key}={value}" for key, value in sorted(domain.get("tags", {}).items())) or "none"
    groups = ", ".join(domain.get("groups") or []) or "none"
    return f"Tags: {tags}. Settings from the groups: {groups}."


def account_label(account: Dict[str, Any]) -> str:
    """The account's id, and its name where the organization was read."""
    name = account.get("account_name")
    return f"{account['account_id']} ({name})" if name else str(account["account_id"])


def _allowed(grant: Dict[str, Any], owner: str) -> str:
    if not grant.get("allowed"):
        return "NOT ALLOWED"
    if grant.get("account_id") == owner:
        return "its own account"
    return str(grant.get("rule_name") or "allowed")


def _path(grant: Dict[str, Any]) -> str:
    words = PATHS.get(str(grant.get("path")), str(grant.get("path")))
    if grant.get("statement") is not None:
        return f"{words} (statement {grant['statement']})"
    if grant.get("connection_id"):
        return f"{words} {grant['connection_id']}"
    return words


def grant_cells(grant: Dict[str, Any], owner: str, check_mode: bool) -> List[str]:
    words = GRANT_WORDS.get(str(grant.get("outcome")), (str(grant.get("outcome")),) * 2)[1 if check_mode else 0]
    words = f"{words}: {grant['failure']}" if grant.get("failure") else words
    scope = SCOPE_WORDS.get(str(grant.get("scope")), str(grant.get("scope")))
    return [_path(grant), str(grant.get("who")), scope, _allowed(grant, owner), words]


def _no_grant(domain: Dict[str, Any]) -> List[str]:
    if domain.get("unknown") or not domain.get("paths_read"):
        return ["-", "unknown: its run failed before it read who can reach it (see the failures below)", "-", "-", "-"]
    if domain["paths_read"] == ["connection"]:
        return ["cross-cluster connection", "no connection (the other paths were not read)", "-", "-", "-"]
    return ["every path read", "nobody outside the domain's own account", "-", "-", "-"]


def who_rows(report: Dict[str, Any]) -> List[Tuple[List[str], Optional[str]]]:
    """Each grant of each domain, findings first, with its CSS class; a domain without any, in one row that says why."""
    rows = []
    for account, region, domain in each_domain(report["accounts"]):
        where = [account_label(account), region["region"], domain["domain_name"]]
        grants = domain.get("grants") or _connections_as_grants(domain)
        cells = [where + grant_cells(grant, account["account_id"], report["check_mode"]) for grant in grants]
        classes = [GRANT_CLASSES.get(grant.get("outcome")) for grant in grants]
        rows += list(zip(cells, classes)) or [(where + _no_grant(domain), None)]
    return sorted(rows, key=lambda row: row[1] != "bad")


def _connections_as_grants(domain: Dict[str, Any]) -> List[Dict[str, Any]]:
    if domain.get("paths_read") != ["connection"] or domain.get("unknown"):
        return []
    return [
        dict(grant, who=_source(who)) for grant, who in zip(searched_through_connections(domain), domain["can_search"])
    ]


def finding_rows(report: Dict[str, Any]) -> List[List[str]]:
    return [
        [
            str(item.get("severity") or "-").upper(),
            item["account_id"],
            item["region"],
            item["domain_name"],
            PATHS.get(item["path"], item["path"]),
            item["who"],
            item["message"],
            item["fix"],
        ]
        for item in report.get("findings") or []
    ]


def not_governed_rows(report: Dict[str, Any]) -> List[List[str]]:
    return [
        [str(item.get(key) or "-") for key in ("host", "account_id", "region", "domain_name", "reason")]
        for item in report["not_governed"]
    ]


def change_lines(report: Dict[str, Any]) -> List[str]:
    changed = report.get("changes")
    if changed is None:
        return ["No previous report of this release to compare with: this is the first."]
    where = "{account_id} {region} {domain_name}"
    lines = [f"Since the report of {run_time(changed['since'])}:"]
    lines += [f"New connection {c['connection_id']} to " + where.format(**c) for c in changed["new_connections"]]
    lines += [f"Connection {c['connection_id']} gone from " + where.format(**c) for c in changed["connections_gone"]]
    lines += [f"{_by(g)} can now reach " + where.format(**g) + _through(g) for g in changed["accounts_gained_access"]]
    lines += [
        f"{_by(g)} can no longer reach " + where.format(**g) + _through(g) for g in changed["accounts_lost_access"]
    ]
    return lines if len(lines) > 1 else lines + ["Nothing changed."]


def _by(change: Dict[str, Any]) -> str:
    who = change.get("who") or change.get("owner_id")
    return f"Account {who}" if change.get("owner_id") else str(who).capitalize()


def _through(change: Dict[str, Any]) -> str:
    return f", by {PATHS.get(str(change.get('path')), 'a cross-cluster connection')}"


def reminders(report: Dict[str, Any]) -> List[Tuple[str, List[str]]]:
    """The sections that have something to say: allow entries that matched nothing, exceptions ending soon, and what
    went to AWS Security Hub."""
    sections = [
        ("Allow entries that matched nothing", [unmatched_line(item) for item in report.get("unmatched_allow") or []]),
        (
            f"Exceptions that end within {REMINDER_DAYS} days",
            [expiring_line(item) for item in report.get("expiring_soon") or []],
        ),
        ("AWS Security Hub", [hub_line(item, report["check_mode"]) for item in report.get("security_hub") or []]),
    ]
    return [(heading, lines) for heading, lines in sections if lines]


def banner(report: Dict[str, Any]) -> str:
    if report["check_mode"]:
        return "CHECK MODE (a dry run): nothing was changed; this is what a real run would do and leave."
    return "A real run: what it shows was done."


def header_lines(report: Dict[str, Any]) -> List[str]:
    sources = ", ".join(str(source) for source in report.get("sources") or []) or "none given"
    read = f"Run at {run_time(report.get('started'))}. Inventory sources read: {sources}."
    return [read, *inventory_lines(report.get("inventory") or {}, report.get("started")), report["coverage"]]


def render_markdown(report: Dict[str, Any], title: str) -> str:
    lines = [f"# {_md(title)}", "", f"**{banner(report)}**", ""] + [_md(line) + "  " for line in header_lines(report)]
    lines += [
        "",
        _md_table([HEADINGS[key] for key in ACCESS_KEYS], [[str(report["access"][key]) for key in ACCESS_KEYS]]),
    ]
    if report["not_governed"]:
        lines += ["", "## Not governed", "", _md_table(NOT_GOVERNED_HEADERS, not_governed_rows(report))]
    if report.get("findings"):
        lines += ["", "## Access nobody allowed", "", _md_table(FINDING_HEADERS, finding_rows(report))]
    rows = [cells for cells, _css in who_rows(report)]
    lines += ["", "## Who can reach each domain now", "", _md_table(WHO_HEADERS, rows)]
    for heading, lines_of in reminders(report):
        lines += ["", f"## {heading}", ""] + [f"- {_md(line)}" for line in lines_of]
    lines += ["", "## What changed", ""] + [f"- {_md(line)}" for line in change_lines(report)]
    lines += [
        "",
        "## What the run did",
        "",
        _md_table([HEADINGS[key] for key in SUMMARY_KEYS], [[str(report["summary"][k]) for k in SUMMARY_KEYS]]),
    ]
    for account in report["accounts"]:
        for region in account["regions"]:
            lines += ["", f"### Account {_md(account_label(account))}, {_md(region['region'])}"]
            lines += [f"- Failure: {_md(failure)}" for failure in region["failures"]]
            for domain in region["domains"]:
                lines += _markdown_domain(domain, report["check_mode"])
    return "\n".join(lines) + "\n"


def _markdown_domain(domain: Dict[str, Any], check_mode: bool) -> List[str]:
    lines = ["", f"#### {_md(domain['domain_name'])}", "", _md(chosen_by(domain)), ""]
    if not domain["connections"]:
        return lines + ["No inbound connection."]
    return lines + [_md_table(HEADERS, [connection_cells(row, check_mode) for row in domain["connections"]])]


def _md_table(headers: List[str], rows: List[List[str]]) -> str:
    lines = ["| " + " | ".join(_md(cell) for cell in headers) + " |", "|" + "---|" * len(headers)]
    return "\n".join(lines + ["| " + " | ".join(_md(cell) for cell in row) + " |" for row in rows])


def _md(text: Any) -> str:
    """Text, never markup: link-prone words (values read from AWS such as a tag's URL or e-mail address) become code,
    which no renderer makes a link of; the rest is escaped."""
    text = str(text).replace("\n", " ")
    parts, start = [], 0
    for word in LINK_PRONE.finditer(text):
        before = text[slice(start, word.start())]
        parts += [_md_plain(before), _md_code(word.group())]
        start = word.end()
    return "".join(parts + [_md_plain(text[start:])])


def _md_plain(text: str) -> str:
    for character, escaped in (("\\", "\\\\"), ("|", "\\|"), ("<", "&lt;"), ("](", "\\](")):
        text = text.replace(character, escaped)
    return text


def _md_code(word: str) -> str:
    fence = "`" * (max((len(run) for run in re.findall("`+", word)), default=0) + 1)
    padding = " " if word.startswith("`") or word.endswith("`") else ""
    return f"{fence}{padding}{word.replace('|', chr(92) + '|')}{padding}{fence}"


def render_html(report: Dict[str, Any], title: str) -> str:
    """A page that needs no network and no JavaScript."""
    css = "banner" if report["check_mode"] else "note"
    body = [f"<h1>{_h(title)}</h1>", f'<p class="{css}">{_h(banner(report))}</p>']
    body += [f'<p class="note">{_h(line)}</p>' for line in header_lines(report)]
    body.append(_tiles({key: report["access"][key] for key in ACCESS_KEYS}))
    if report["not_governed"]:
        body.append('<div class="alarm"><h2>Not governed</h2>')
        body.append(_html_table(NOT_GOVERNED_HEADERS, not_governed_rows(report)) + "</div>")
    if report.get("findings"):
        body.append('<div class="alarm"><h2>Access nobody allowed</h2>')
        body.append(_html_table(FINDING_HEADERS, finding_rows(report)) + "</div>")
    rows = who_rows(report)
    table = _html_table(WHO_HEADERS, [cells for cells, _css in rows], lambda index: rows[index][1])
    body += ["<h2>Who can reach each domain now</h2>", table]
    for heading, lines_of in reminders(report):
        body += [f"<h2>{_h(heading)}</h2>", "<ul>" + "".join(f"<li>{_h(line)}</li>" for line in lines_of) + "</ul>"]
    body += [
        "<h2>What changed</h2>",
        "<ul>" + "".join(f"<li>{_h(line)}</li>" for line in change_lines(report)) + "</ul>",
    ]
    body += ["<h2>What the run did</h2>", _tiles({key: report["summary"][key] for key in SUMMARY_KEYS})]
    for account in report["accounts"]:
        for region in account["regions"]:
            body.append(f"<h2>Account {_h(account_label(account))}, {_h(region['region'])}</h2>")
            body += [f'<p class="bad">Failure: {_h(failure)}</p>' for failure in region["failures"]]
            body += [_html_domain(domain, report["check_mode"]) for domain in region["domains"]]
    head = f'<meta charset="utf-8"><title>{_h(title)}</title><style>{CSS}</style>'
    return f"<!DOCTYPE html>\n<html lang=\"en\"><head>{head}</head><body>{''.join(body)}</body></html>\n"


def _tiles(values: Dict[str, int]) -> str:
    tiles = "".join(
        f'<div class="tile"><b>{int(value)}</b>{_h(HEADINGS.get(key, key))}</div>' for key, value in values.items()
    )
    return f'<div class="summary">{tiles}</div>'


def _html_domain(domain: Dict[str, Any], check_mode: bool) -> str:
    heading = f"<h3>{_h(domain['domain_name'])}</h3><p class=\"note\">{_h(chosen_by(domain))}</p>"
    if not domain["connections"]:
        return heading + '<p class="note">No inbound connection.</p>'
    rows = [connection_cells(row, check_mode) for row in domain["connections"]]
    classes = [CSS_CLASSES.get(row["outcome"]) for row in domain["connections"]]
    return heading + _html_table(HEADERS, rows, lambda index: classes[index])


def _html_table(headers: List[str], rows: List[List[str]], last_class: Optional[Callable[[int], Any]] = None) -> str:
    header = "".join(f"<th>{_h(cell)}</th>" for cell in headers)
    body = "".join(_html_row(row, last_class(index) if last_class else None) for index, row in enumerate(rows))
    return f"<table><thead><tr>{header}</tr></thead><tbody>{body}</tbody></table>"


def _html_row(cells: List[str], css: Optional[str]) -> str:
    last = f'<td class="{css}">{_h(cells[-1])}</td>' if css else f"<td>{_h(cells[-1])}</td>"
    return "<tr>" + "".join(f"<td>{_h(cell)}</td>" for cell in cells[:-1]) + last + "</tr>"


def _h(text: Any) -> str:
    return html.escape(str(text))


def render_json(report: Dict[str, Any]) -> str:
    return json.dumps(report, indent=2, sort_keys=True) + "\n"


def console_lines(report: Dict[str, Any], files: Dict[str, str]) -> List[str]:
    """Every finding in one line, then where the report is: what the guard prints at the end of each run."""
    lines = [
        f"{str(item.get('severity') or 'finding').upper()}: account {item['account_id']}, {item['region']},"
        f" {item['domain_name']}, {PATHS.get(item['path'], item['path'])}: {item['who']}"
        for item in report.get("findings") or []
    ]
    if not lines:
        lines.append("No access nobody allowed was found.")
    page = files.get("html") or next(iter(files.values()), "")
    others = [os.path.basename(path) for name, path in files.items() if name != "html"]
    beside = f" ({', '.join(others)} beside it)" if others else ""
    return lines + [f"The report: {os.path.abspath(page)}{beside}"]
