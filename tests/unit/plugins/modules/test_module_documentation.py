"""Every module's DOCUMENTATION, EXAMPLES and RETURN are YAML: a colon in a sentence breaks them, and only sanity (the
slowest check) would say so otherwise."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
import yaml

MODULES = sorted((Path(__file__).resolve().parents[4] / "plugins" / "modules").glob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=lambda path: path.stem)
def test_each_documentation_string_is_yaml(path):
    documented = {}
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
            if node.targets[0].id in ("DOCUMENTATION", "EXAMPLES", "RETURN"):
                documented[node.targets[0].id] = yaml.safe_load(node.value.value)
    assert set(documented) == {"DOCUMENTATION", "EXAMPLES", "RETURN"} and documented["DOCUMENTATION"]["module"]
