"""Run a module's main() on a stubbed client, and hold its returns against its RETURN documentation."""

from __future__ import annotations

import contextlib
import json
from unittest import mock

import pytest
from ansible.module_utils import basic
from ansible.module_utils.common import warnings

try:
    from ansible.module_utils.testing import patch_module_args
except ImportError:  # ansible-core before 2.19

    @contextlib.contextmanager
    def patch_module_args(args):
        with mock.patch.object(basic, "_ANSIBLE_ARGS", json.dumps({"ANSIBLE_MODULE_ARGS": args}).encode()):
            yield


STANDARD_KEYS = {"changed", "diff", "invocation", "warnings", "deprecations", "failed", "msg"}


def run(module, capsys, monkeypatch, stubbed, **args) -> dict:
    """The module's result, with its client replaced by stubbed.client."""
    monkeypatch.setattr(
        module, "connection_client", lambda ansible_module, api, **config: stubbed.client, raising=False
    )
    monkeypatch.setattr(
        "ansible_collections.aws_search.cross_cluster.plugins.module_utils.info_modules.connection_client",
        lambda ansible_module, api: stubbed.client,
    )
    # Warnings are kept per process: a module run in this process must not report an earlier run's.
    monkeypatch.setattr(warnings, "_global_warnings", type(warnings._global_warnings)())
    monkeypatch.setattr(warnings, "_global_deprecations", type(warnings._global_deprecations)())
    params = {"api": stubbed.api.name, "region": "eu-west-1", **args}
    with patch_module_args(params), pytest.raises(SystemExit):
        module.main()
    return json.loads(capsys.readouterr().out)


def documented_keys(doc: dict, api_name: str) -> set:
    return {
        key
        for key, spec in doc.items()
        if spec.get("returned") != f"when O(api={'opensearch' if api_name == 'es' else 'es'})"
    }


def assert_documented(returned: dict, doc: dict, api_name: str) -> None:
    """Every returned key is documented and every documented key is returned, all the way down."""
    returned = {key: value for key, value in returned.items() if key not in STANDARD_KEYS}
    expected = documented_keys(doc, api_name)
    optional = {key for key, spec in doc.items() if str(spec.get("returned", "")).startswith("when AWS")}
    assert expected - optional <= set(returned) <= expected
    for key, value in returned.items():
        if isinstance(value, dict) and value and "contains" in doc[key]:
            assert_documented(value, doc[key]["contains"], api_name)
        if isinstance(value, list) and "contains" in doc[key]:
            for item in value:
                assert_documented(item, doc[key]["contains"], api_name)
