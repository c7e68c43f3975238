"""A local endpoint for each test, with statuses that stay put unless a test says otherwise."""

from __future__ import annotations

import sys

import pytest
from local_endpoint.endpoint import Endpoint
from local_endpoint.moto import moto_server
from local_endpoint.server import start_endpoint
from local_endpoint.store import Store


@pytest.fixture(name="url")
def fixture_url(monkeypatch):
    # The modules run with this Python, which has boto3, whatever interpreter discovery would find.
    monkeypatch.setenv("ANSIBLE_PYTHON_INTERPRETER", sys.executable)
    server = start_endpoint(Endpoint(store=Store(transition_seconds=3600)))
    yield server.url
    crashes = list(server.endpoint.crashes)
    server.stop()
    assert crashes == [], "the local endpoint crashed"


@pytest.fixture(name="moto_url")
def fixture_moto_url():
    with moto_server() as url:
        yield url
