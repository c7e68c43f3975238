# -*- coding: utf-8 -*-

# Copyright: Contributors to the aws_search.cross_cluster project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The report "who can search our data?": the policy runs of an estate, per account, region and domain, as JSON,
Markdown and self-contained HTML. Everything in it was read from AWS, so the HTML escapes every value."""

from __future__ import annotations

import html
from typing import Any
from typing import Dict
from typing import List
from typing import Optional
from typing import Tuple

PENDING = "PENDING_ACCEPTANCE"
OUTCOMES = {"reject": "rejected", "accept": "accepted", "delete": "revoked"}
SUMMARY_KEYS = ("domains", "connections", "accepted", "rejected", "revoked", "pending_for_a_person", "failures")
CSS = """
body{font-family:system-ui,sans-serif;margin:2rem;color:#1d2433}h1{margin-bottom:.2rem}
.note{color:#5a6478}.summary{display:flex;flex-wrap:wrap;gap:.8rem;margin:1.2rem 0}
.tile{border:1px solid #d5dbe5;border-radius:6px;padding:.6rem 1rem;min-width:7rem}
.tile b{display:block;font-size:1.6rem}table{border-collapse:collapse;width:100%;margin:.4rem 0 1.4rem}
th,td{border-bottom:1px solid #e3e7ee;padding:.35rem .5rem;text-align:left;font-size:.9rem}
th{background:#f3f5f9}.rejected,.revoked,.failed{color:#a4161a;font-weight:600}.accepted{color:#1b7f3b;font-weight:600}
.pending{color:#9a6700;font-weight:600}h2{border-bottom:2px solid #2f6aa3;padding-bottom:.2rem}
"""


def outcome(decision: Dict[str, Any], check_mode: bool) -> str:
    """What was done to one connection, in words (what would be done, in check mode)."""
    action = decision.get("action") or "none"
    if decision.get("failure"):
        return "failed"
    if action != "none" and decision.get("status") is None:
        return "gone before its decision"
    if action in OUTCOMES:
        return f"would be {OUTCOMES[action]}" if check_mode else OUTCOMES[action]
    if decision.get("previous_status") == PENDING:
        return "left pending for a person"
    return "left as it is"


def connection_row(decision: Dict[str, Any], check_mode: bool) -> Dict[str, Any]:
    return {
        "connection_id": decision.get("connection_id"),
        "source": decision.get("source") or {},
        "status_before": decision.get("previous_status"),
        "status_after": decision.get("status"),
        "allowed": bool(decision.get("allowed")),
        "allow_entry": decision.get("rule"),
        "action": decision.get("action") or "none",
        "outcome": outcome(decision, check_mode),
        "failure": decision.get("failure"),
    }


def build_report(results: List[Dict[str, Any]], domains: List[Dict[str, Any]], check_mode: bool) -> Dict[str, Any]:
    """results: one per policy run (account_id, region, decisions, failed, msg); domains: every domain governed."""
    places: Dict[Tuple[str, str], Dict[str, Any]] = {}
    for domain in domains:
        place = _place(places, domain["account_id"], domain["region"])
        place["domains"].setdefault(domain["domain_name"], [])
    for result in results:
        place = _place(places, result["account_id"], result["region"])
        decisions = result.get("decisions") or ()
        # A run that failed without a failed decision (no listing, no role) is a failure of its own.
        if result.get("failed") and not any(decision.get("failure") for decision in decisions):
            place["failures"].append(result.get("msg") or "the policy run failed")
        for decision in decisions:
            rows = place["domains"].setdefault(decision.get("destination_domain_name") or "?", [])
            rows.append(connection_row(decision, check_mode))
    accounts = _by_account(places)
    return {"check_mode": check_mode, "summary": summary(accounts), "accounts": accounts}


def _place(places: Dict[Tuple[str, str], Dict[str, Any]], account: str, region: str) -> Dict[str, Any]:
    return places.setdefault(
        (account, region), {"account_id": account, "region": region, "domains": {}, "failures": []}
    )


def _by_account(places: Dict[Tuple[str, str], Dict[str, Any]]) -> List[Dict[str, Any]]:
    accounts: Dict[str, List[Dict[str, Any]]] = {}
    for (account, region), place in sorted(places.items()):
        domains = [{"domain_name": name, "connections": rows} for name, rows in sorted(place["domains"].items())]
        accounts.setdefault(account, []).append({"region": region, "domains": domains, "failures": place["failures"]})
    return [{"account_id": account, "regions": regions} for account, regions in accounts.items()]


def summary(accounts: List[Dict[str, Any]]) -> Dict[str, int]:
    regions = [region for account in accounts for region in account["regions"]]
    rows = [row for region in regions for domain in region["domains"] for row in domain["connections"]]
    outcomes = [row["outcome"].replace("would be ", "") for row in rows]
    return {
        "domains": sum(len(region["domains"]) for region in regions),
        "connections": len(rows),
        "accepted": outcomes.count("accepted"),
        "rejected": outcomes.count("rejected"),
        "revoked": outcomes.count("revoked"),
        "pending_for_a_person": outcomes.count("left pending for a person"),
        "failures": outcomes.count("failed") + sum(len(region["failures"]) for region in regions),
    }


def _source(row: Dict[str, Any]) -> str:
    source = row["source"]
    return f"{source.get('owner_id')} / {source.get('domain_name')} / {source.get('region')}"


def _allowed(row: Dict[str, Any]) -> str:
    return f"yes (entry {row['allow_entry']})" if row["allowed"] else "no"


def _cells(row: Dict[str, Any]) -> List[str]:
    statuses = f"{row['status_before']} -> {row['status_after']}"
    done = f"{row['outcome']}: {row['failure']}" if row.get("failure") else row["outcome"]
    return [str(row["connection_id"]), _source(row), statuses, _allowed(row), done]


HEADERS = ["Connection", "Source account / domain / region", "Status before -> after", "Allowed", "Done"]


def _intro(report: Dict[str, Any]) -> str:
    if report["check_mode"]:
        return "Check mode: nothing was changed; this is what a real run would do."
    return "What the guard found and did."


def render_markdown(report: Dict[str, Any], title: str) -> str:
    lines = [f"# {title}", "", _intro(report), "", "| " + " | ".join(SUMMARY_KEYS) + " |"]
    lines += [
        "|" + "---|" * len(SUMMARY_KEYS),
        "| " + " | ".join(str(report["summary"][k]) for k in SUMMARY_KEYS) + " |",
    ]
    for account in report["accounts"]:
        for region in account["regions"]:
            lines += ["", f"## Account {account['account_id']}, {region['region']}"]
            lines += [f"- Failure: {_markdown(failure)}" for failure in region["failures"]]
            for domain in region["domains"]:
                lines += _markdown_domain(domain)
    return "\n".join(lines) + "\n"


def _markdown_domain(domain: Dict[str, Any]) -> List[str]:
    lines = ["", f"### {domain['domain_name']}", ""]
    if not domain["connections"]:
        return lines + ["No inbound connection."]
    lines += ["| " + " | ".join(HEADERS) + " |", "|" + "---|" * len(HEADERS)]
    return lines + ["| " + " | ".join(_markdown(cell) for cell in _cells(row)) + " |" for row in domain["connections"]]


def _markdown(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def render_html(report: Dict[str, Any], title: str) -> str:
    """A page that needs no network and no JavaScript."""
    tiles = "".join(
        f'<div class="tile"><b>{report["summary"][key]}</b>{html.escape(key.replace("_", " "))}</div>'
        for key in SUMMARY_KEYS
    )
    body = [f"<h1>{html.escape(title)}</h1>", f'<p class="note">{html.escape(_intro(report))}</p>']
    body.append(f'<div class="summary">{tiles}</div>')
    for account in report["accounts"]:
        for region in account["regions"]:
            body.append(
                f"<h2>Account {html.escape(str(account['account_id']))}, {html.escape(str(region['region']))}</h2>"
            )
            body += [f'<p class="failed">Failure: {html.escape(str(failure))}</p>' for failure in region["failures"]]
            body += [_html_domain(domain) for domain in region["domains"]]
    head = f'<meta charset="utf-8"><title>{html.escape(title)}</title><style>{CSS}</style>'
    return f"<!DOCTYPE html>\n<html lang=\"en\"><head>{head}</head><body>{''.join(body)}</body></html>\n"


def _html_domain(domain: Dict[str, Any]) -> str:
    heading = f"<h3>{html.escape(str(domain['domain_name']))}</h3>"
    if not domain["connections"]:
        return heading + '<p class="note">No inbound connection.</p>'
    header = "".join(f"<th>{html.escape(cell)}</th>" for cell in HEADERS)
    rows = "".join(_html_row(row) for row in domain["connections"])
    return f"{heading}<table><thead><tr>{header}</tr></thead><tbody>{rows}</tbody></table>"


def _html_row(row: Dict[str, Any]) -> str:
    cells = _cells(row)
    css = _css_class(row["outcome"])
    done = f'<td class="{css}">{html.escape(cells[-1])}</td>' if css else f"<td>{html.escape(cells[-1])}</td>"
    return "<tr>" + "".join(f"<td>{html.escape(cell)}</td>" for cell in cells[:-1]) + done + "</tr>"


def _css_class(outcome_text: str) -> Optional[str]:
    if "pending" in outcome_text:
        return "pending"
    word = outcome_text.replace("would be ", "").split(":")[0]
    return word if word in ("rejected", "revoked", "accepted", "failed") else None
