"""README.md is read in five minutes (at most 200 lines) and shows only what runs: every make target it names is
the Makefile's, every playbook and rulebook it runs is the collection's, and every task it shows uses options its
module documents (the tasks' behaviour is tested where the module is)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text()
# What every amazon.aws module takes (its doc fragments).
COMMON = {"region", "profile", "access_key", "secret_key", "session_token", "endpoint_url", "aws_config"}
BLOCKS = re.findall(r"```(yaml|console)\n(.*?)```", README, re.DOTALL)


def module_options(name: str) -> set:
    tree = ast.parse((ROOT / "plugins" / "modules" / f"{name}.py").read_text())
    text = next(node.value.value for node in tree.body if getattr(node, "targets", [None])[0].id == "DOCUMENTATION")
    return set(yaml.safe_load(text).get("options") or {}) | COMMON


def test_the_readme_is_at_most_200_lines():
    assert len(README.splitlines()) <= 200


def test_every_make_target_the_readme_names_is_the_makefiles():
    targets = set(re.findall(r"^([a-z][a-z-]*):", (ROOT / "Makefile").read_text(), re.MULTILINE))
    named = set(re.findall(r"`make ([a-z-]+)", README)) | set(re.findall(r"^\$ make ([a-z-]+)", README, re.MULTILINE))
    assert named and named <= targets, named - targets


def test_every_playbook_and_rulebook_the_readme_runs_is_the_collections():
    for kind, folder in (("ansible-playbook", "playbooks"), ("--rulebook", "extensions/eda/rulebooks")):
        for name in re.findall(rf"{kind} aws_search\.cross_cluster\.([a-z_]+)", README):
            assert (ROOT / folder / f"{name}.yml").is_file(), name


@pytest.mark.parametrize("block", [text for kind, text in BLOCKS if kind == "yaml"])
def test_every_task_uses_options_its_module_documents(block):
    for task in yaml.safe_load(block):
        modules = [key for key in task if key.startswith("aws_search.cross_cluster.")]
        for module in modules:
            used = set(task[module] or {})
            assert used <= module_options(module.split(".")[-1]), (module, used - module_options(module.split(".")[-1]))
