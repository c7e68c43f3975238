"""Every call, on both APIs, is retried when throttled, and says so when the retries run out."""

from __future__ import annotations

import pytest
from local_endpoint.client import control
from local_endpoint.client import seed

from .harness import OWNER_A
from .harness import OWNER_B
from .harness import credentials
from .harness import fault
from .harness import run_module
from .harness import take_calls

SHORT_BUDGET = {"retries": {"mode": "standard", "total_max_attempts": 2}}
OPERATIONS = {
    "es": {
        "describe_inbound": "DescribeInboundCrossClusterSearchConnections",
        "accept": "AcceptInboundCrossClusterSearchConnection",
        "reject": "RejectInboundCrossClusterSearchConnection",
        "delete_inbound": "DeleteInboundCrossClusterSearchConnection",
        "describe_outbound": "DescribeOutboundCrossClusterSearchConnections",
        "create": "CreateOutboundCrossClusterSearchConnection",
        "delete_outbound": "DeleteOutboundCrossClusterSearchConnection",
    },
    "opensearch": {
        "describe_inbound": "DescribeInboundConnections",
        "accept": "AcceptInboundConnection",
        "reject": "RejectInboundConnection",
        "delete_inbound": "DeleteInboundConnection",
        "describe_outbound": "DescribeOutboundConnections",
        "create": "CreateOutboundConnection",
        "delete_outbound": "DeleteOutboundConnection",
    },
}
# call: the module and arguments that make it, and the verb its failure message starts with
CALLS = {
    "describe_inbound": ("inbound_connection_info", {}, "Could not describe inbound connections"),
    "accept": ("inbound_connection", {"state": "accepted"}, "Could not accept inbound connection"),
    "reject": ("inbound_connection", {"state": "rejected"}, "Could not reject inbound connection"),
    "delete_inbound": ("inbound_connection", {"state": "absent"}, "Could not delete inbound connection"),
    "describe_outbound": ("outbound_connection_info", {}, "Could not describe outbound connections"),
    "create": ("outbound_connection", {"connection_alias": "partner"}, "Could not create outbound connection"),
    "delete_outbound": ("outbound_connection", {"state": "absent"}, "Could not delete outbound connection"),
}


def arguments(url: str, api: str, call: str) -> dict:
    module, args, _says = CALLS[call]
    args = dict(args, api=api, **credentials(url))
    if module == "inbound_connection":
        args["connection_id"] = seed(url, created_with=api)
    if call == "create":
        control(url, "domains", {"owner_id": OWNER_B.account, "domain_name": "b-logs"})
        args.update(
            local_domain={"domain_name": "a-logs"}, remote_domain={"domain_name": "b-logs", "owner_id": OWNER_B.account}
        )
    if call == "delete_outbound":
        args["connection_id"] = seed(
            url, source={"owner_id": OWNER_A.account}, destination={"owner_id": OWNER_B.account}
        )
    take_calls(url)
    return args


@pytest.mark.parametrize("api", OPERATIONS)
@pytest.mark.parametrize("call", CALLS)
def test_a_throttled_call_is_retried(url, api, call):
    args = arguments(url, api, call)
    operation = OPERATIONS[api][call]
    fault(url, operation, code="ThrottlingException")
    run = run_module(CALLS[call][0], args)
    assert not run.failed, run.output
    assert take_calls(url).count(operation) == 2


@pytest.mark.parametrize("api", OPERATIONS)
@pytest.mark.parametrize("call", CALLS)
def test_a_call_that_keeps_failing_says_it_was_retried(url, api, call):
    args = dict(arguments(url, api, call), aws_config=SHORT_BUDGET)
    operation = OPERATIONS[api][call]
    fault(url, operation, code="InternalException", count=99)
    run = run_module(CALLS[call][0], args)
    assert run.failed and run.msg.startswith(CALLS[call][2]), run.output
    assert "AWS kept failing with an internal error (HTTP 500, 2 attempts)" in run.msg
    assert take_calls(url).count(operation) == 2
