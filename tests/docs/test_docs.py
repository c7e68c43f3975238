"""The built documentation site: a page for every module, and every failure message in the troubleshooting guide.

Run by `make docs` after the build, with DOCS_HTML naming the site's folder.
"""

from __future__ import annotations

import ast
import os
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SITE = ROOT / os.environ.get("DOCS_HTML", "build/docs/html")
GUIDE = ROOT / "docs" / "docsite" / "rst" / "guide_troubleshooting.rst"
MODULE_UTILS = ROOT / "plugins" / "module_utils"
MODULES = sorted(path.stem for path in (ROOT / "plugins" / "modules").glob("*.py"))

# Where the modules' failure messages are made: the functions that build them, and the constants that hold them.
MESSAGE_FUNCTIONS = re.compile(
    r"(_problem|^hint_for|^_hint_for_local_error|^wait_for_state|^cannot|^failure"
    r"|^failure_message|^unknown_status_warning|^watcher_for|^watch)$"
)
MESSAGE_CONSTANTS = {"NOT_FOUND", "UNKNOWN_STATUS", "NEW_REQUEST", "INBOUND_ROWS", "HINTS_BY_CODE", "CREDENTIAL_CODES"}
# Messages kept as data name the values filled in as {status}; log messages as %s.
PLACEHOLDER = re.compile(r"\{\w+\}|%[-.0-9]*[sdf]")
SHORTEST_PHRASE = 12


@pytest.mark.parametrize("module", MODULES)
def test_every_module_has_its_page(module):
    page = SITE / "collections" / "aws_search" / "cross_cluster" / f"{module}_module.html"
    assert page.is_file(), f"no page for {module} in {SITE}"
    assert "Return Values" in page.read_text()


def test_guides_are_in_the_site():
    docsite = SITE / "collections" / "aws_search" / "cross_cluster" / "docsite"
    assert (docsite / "guide_cross_cluster.html").is_file()
    assert "inbound_connection_requests" in (docsite / "guide_event_driven.html").read_text()
    assert (docsite / "guide_troubleshooting.html").is_file()
    assert "owner_ids" in (docsite / "guide_organization.html").read_text()
    assert 'src="report-screenshot.png"' in (docsite / "guide_estate.html").read_text()
    assert (docsite / "report-screenshot.png").read_bytes()[:4] == b"\x89PNG"
    assert "<svg" in (docsite / "guide_cross_cluster.html").read_text()


def phrases(node: ast.AST):
    """The fixed parts of the strings and f-strings under node, docstrings left out."""
    docstrings = {id(child.value) for child in ast.walk(node) if isinstance(child, ast.Expr)}
    for child in ast.walk(node):
        if isinstance(child, ast.JoinedStr):
            parts = [value.value for value in child.values if isinstance(value, ast.Constant)]
            yield from (part.strip(" ;:,.()'\n") for part in parts)
        elif isinstance(child, ast.Constant) and isinstance(child.value, str) and id(child) not in docstrings:
            yield from (part.strip(" ;:,.()'\n") for part in PLACEHOLDER.split(child.value))


def message_phrases():
    for path in sorted(MODULE_UTILS.glob("*.py")):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            in_function = isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and MESSAGE_FUNCTIONS.search(
                node.name
            )
            targets = [t.id for t in getattr(node, "targets", []) if isinstance(t, ast.Name)]
            in_constant = isinstance(node, ast.Assign) and MESSAGE_CONSTANTS & set(targets)
            if in_function or in_constant:
                for phrase in phrases(node):
                    # Words, not keys or error codes (the guide names those too, beside their hints).
                    if len(phrase) >= SHORTEST_PHRASE and " " in phrase:
                        yield path.name, phrase


def normalized(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_the_message_finder_finds_messages():
    found = {phrase for source, phrase in message_phrases()}
    assert "must not be empty" in found
    assert "the AWS SDK could not complete the request" in found
    assert len(found) > 30


@pytest.mark.parametrize("source,phrase", sorted(set(message_phrases())))
def test_troubleshooting_names_every_failure_message(source, phrase):
    assert normalized(phrase) in normalized(GUIDE.read_text()), f"{source}: '{phrase}' is not in {GUIDE.name}"


def test_the_collection_is_named_properly_everywhere():
    pages = list(SITE.rglob("*.html"))
    assert [str(page) for page in pages if "Aws_Search" in page.read_text()] == []
    index = (SITE / "collections" / "aws_search" / "cross_cluster" / "index.html").read_text()
    assert "aws_search.cross_cluster: cross-cluster search connections" in index
