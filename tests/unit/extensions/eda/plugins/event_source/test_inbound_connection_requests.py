"""The event source plugin file: how it finds the collection's code wherever the collection is installed."""

from __future__ import annotations

import importlib.util
from pathlib import Path

PLUGIN = (
    Path(__file__).parents[6] / "extensions" / "eda" / "plugins" / "event_source" / "inbound_connection_requests.py"
)


def load_plugin():
    spec = importlib.util.spec_from_file_location("inbound_connection_requests", PLUGIN)
    plugin = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(plugin)
    return plugin


def test_the_plugin_finds_its_collections_root_at_any_depth(tmp_path):
    collections_root = load_plugin().collections_root
    for prefix in ("x", "a/b/c/d/e"):
        plugin = (
            tmp_path / prefix / "ansible_collections" / "ns" / "name" / "extensions" / "eda" / "plugins" / "s" / "p.py"
        )
        assert collections_root(plugin) == str(tmp_path / prefix)


def test_the_plugin_puts_its_own_collections_root_on_sys_path():
    plugin = load_plugin()
    assert Path(plugin.COLLECTIONS_ROOT) / "ansible_collections" / "aws_search" / "cross_cluster" == PLUGIN.parents[4]
