"""Every module, in successful and failed runs at -vvv: the secret key and the session token never appear."""

from __future__ import annotations

from local_endpoint.client import seed

from .harness import OWNER_A
from .harness import credentials
from .harness import fault
from .harness import run_module
from .test_faults import MODULES

SESSION_TOKEN = "local-session-token-that-must-not-leak"


def test_no_module_ever_shows_the_secret_key_or_the_session_token(url):
    runs = []
    for module, (args, describe, _calls) in MODULES.items():
        args = dict(args, session_token=SESSION_TOKEN, **credentials(url))
        if module == "inbound_connection":
            args["connection_id"] = seed(url)
        runs.append((module, "ok", run_module(module, args, verbosity=3, as_user=True)))
        fault(url, describe, code="AccessDeniedException")
        runs.append((module, "failed", run_module(module, args, verbosity=3, as_user=True)))
    for module, outcome, run in runs:
        assert run.failed is (outcome == "failed"), run.output
        assert OWNER_A.secret_key not in run.output, f"{module} ({outcome}) shows the secret key"
        assert SESSION_TOKEN not in run.output, f"{module} ({outcome}) shows the session token"
    # The sweep reads what -vvv shows: the module arguments, with the access key id among them.
    assert [(module, outcome) for module, outcome, run in runs if OWNER_A.access_key not in run.output] == []
