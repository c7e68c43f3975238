"""Fixtures shared by the unit tests."""

from __future__ import annotations

import pytest

from ansible_collections.aws_search.cross_cluster.tests.unit.stubbed_api import StubbedApi


@pytest.fixture(params=["es", "opensearch"])
def stubbed(request):
    """A StubbedApi for each API in turn; fails the test if a scripted call was not made."""
    stub = StubbedApi(request.param)
    with stub.stubber:
        yield stub
        stub.stubber.assert_no_pending_responses()
