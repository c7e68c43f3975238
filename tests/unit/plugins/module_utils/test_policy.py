from __future__ import annotations

import copy
import datetime
import itertools

import pytest

from ansible_collections.aws_search.cross_cluster.plugins.module_utils.api_calls import Connections
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.api_differences import ES
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.api_differences import OPENSEARCH
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.policy import PolicyRequest
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.policy import Rule
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.policy import decide
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.policy import first_match
from ansible_collections.aws_search.cross_cluster.tests.unit.stubbed_api import DOMAINS
from ansible_collections.aws_search.cross_cluster.tests.unit.stubbed_api import wire_connection

PARTNER = {"owner_id": "222222222222", "domain_name": "partner-logs", "region": "us-east-1"}


@pytest.mark.parametrize(
    "rule,matches",
    [
        (Rule("222222222222"), True),
        (Rule("333333333333"), False),
        (Rule("222222222222", domain_name="partner-*"), True),
        (Rule("222222222222", domain_name="partner-?ogs"), True),
        (Rule("222222222222", domain_name="[pq]artner-logs"), True),
        (Rule("222222222222", domain_name="[!p]artner-logs"), False),
        (Rule("222222222222", domain_name="partner"), False),
        (Rule("222222222222", region="us-*"), True),
        (Rule("222222222222", region="eu-*"), False),
        (Rule("222222222222", destination_domain_name="my-*"), True),
        (Rule("222222222222", destination_domain_name="shared-logs"), False),
        (Rule("222222222222", "partner-logs", "us-east-1", "my-logs"), True),
    ],
)
def test_a_rule_matches_owner_and_every_glob(rule, matches):
    assert rule.matches(PARTNER, "my-logs") is matches


def test_globs_are_case_sensitive_like_domain_names():
    assert not Rule("222222222222", domain_name="PARTNER-*").matches(PARTNER, "my-logs")


def test_first_match_wins():
    rules = (Rule("333333333333"), Rule("222222222222", domain_name="other"), Rule("222222222222"), Rule("2" * 12))
    assert first_match(rules, PARTNER, "my-logs") == 2
    assert first_match((), PARTNER, "my-logs") is None


def test_rule_from_an_entry_leaves_out_what_is_not_given():
    assert Rule.from_entry({"owner_id": "222222222222", "region": None}) == Rule("222222222222")


def test_an_organization_entry_allows_no_connection():
    rule = Rule.from_entry({"organization_id": "o-a1b2c3d4e5"})
    assert rule == Rule(frozenset(), organization_id="o-a1b2c3d4e5") and not rule.matches(PARTNER, "my-logs")


STATUSES = [
    "PENDING_ACCEPTANCE",
    "APPROVED",
    "PROVISIONING",
    "ACTIVE",
    "REJECTING",
    "REJECTED",
    "DELETING",
    "DELETED",
    "SOMETHING_NEW",
]
ACCEPTED = ("APPROVED", "PROVISIONING", "ACTIVE")


def expected_action(status, allowed, options):
    """The decision table, written out independently of the module's code."""
    if status == "PENDING_ACCEPTANCE" and allowed:
        return {"leave": "none", "accept": "accept"}[options["allowed"]]
    if status == "PENDING_ACCEPTANCE":
        return {"reject": "reject", "leave": "none"}[options["unlisted"]]
    if status in ACCEPTED and not allowed and options["revoke"]:
        return "delete"
    return "none"


OPTIONS = [
    dict(zip(("allowed", "unlisted", "revoke"), values))
    for values in itertools.product(["leave", "accept"], ["reject", "leave"], [False, True])
]
CASES = list(itertools.product(STATUSES, [True, False], OPTIONS))


@pytest.mark.parametrize("api", [ES, OPENSEARCH])
@pytest.mark.parametrize("status,allowed,options", CASES)
def test_decision_table(api, status, allowed, options):
    owner = DOMAINS["source"]["OwnerId"] if allowed else "999999999999"
    request = PolicyRequest(allow=(Rule(owner),), **options)
    connections = Connections(None, api, "eu-west-1", "inbound")
    decision = decide(connections, wire_connection(api.name, status), request)
    assert (decision.rule is not None) is allowed
    assert (decision.action or "none") == expected_action(status, allowed, options)


def test_a_decision_names_the_source_and_destination():
    connections = Connections(None, OPENSEARCH, "eu-west-1", "inbound")
    decision = decide(connections, wire_connection("opensearch", "PENDING_ACCEPTANCE"), PolicyRequest(allow=()))
    assert decision.source == PARTNER
    assert decision.destination_domain_name == "my-logs"
    assert (decision.rule, decision.state) == (None, "rejected")


def test_an_entry_with_owner_ids_matches_any_of_them():
    rule = Rule.from_entry({"owner_ids": ["111111111111", "222222222222"], "domain_name": "partner-*"})
    assert rule.matches(PARTNER, "my-logs")
    assert not rule.matches(dict(PARTNER, owner_id="333333333333"), "my-logs")
    assert not rule.matches(dict(PARTNER, domain_name="other-logs"), "my-logs")


def test_first_match_with_thousands_of_ids():
    owners = [f"{number:012d}" for number in range(5000)]
    rules = (Rule.from_entry({"owner_ids": owners}), Rule.from_entry({"owner_id": "222222222222"}))
    assert first_match(rules, dict(PARTNER, owner_id=owners[-1]), "my-logs") == 0
    assert first_match(rules, PARTNER, "my-logs") == 1
    assert first_match(rules, dict(PARTNER, owner_id="999999999999"), "my-logs") is None


def own_account_connection(api, status):
    """A connection whose source is a domain of the destination's own account."""
    connection = copy.deepcopy(wire_connection(api.name, status))
    source = connection.get("SourceDomainInfo") or connection["LocalDomainInfo"]["AWSDomainInformation"]
    source["OwnerId"] = DOMAINS["destination"]["OwnerId"]
    return connection


@pytest.mark.parametrize("api", [ES, OPENSEARCH])
@pytest.mark.parametrize("status", ["PENDING_ACCEPTANCE", "ACTIVE"])
def test_a_connection_from_the_domains_own_account_is_allowed_without_an_entry_never_rejected_or_revoked(api, status):
    request = PolicyRequest(allow=(Rule("999999999999"),), allowed="accept", unlisted="reject", revoke=True)
    connections = Connections(None, api, "eu-west-1", "inbound")
    decision = decide(connections, own_account_connection(api, status), request)
    assert (decision.allowed, decision.rule) == (True, None)
    assert decision.action == ("accept" if status == "PENDING_ACCEPTANCE" else None)


@pytest.mark.parametrize(
    "entry", [{"source_ips": ["203.0.113.0/24"]}, {"service": "firehose.amazonaws.com"}, {"authenticated": True}]
)
def test_an_entry_of_addresses_a_service_or_every_user_admits_no_connection(entry):
    rule = Rule.from_entry(entry)
    assert rule.owners == frozenset() and not rule.matches(PARTNER, "my-logs")
    assert not rule.matches({"owner_id": None, "domain_name": None, "region": None}, "my-logs")


def test_an_expired_exception_admits_no_connection_and_the_decision_names_it():
    entry = {"owner_id": DOMAINS["source"]["OwnerId"], "name": "vendor-x", "expires": "2026-11-30"}
    connections = Connections(None, OPENSEARCH, "eu-west-1", "inbound")
    for day, allowed in ((datetime.date(2026, 11, 30), True), (datetime.date(2026, 12, 1), False)):
        request = PolicyRequest(allow=(Rule.from_entry(entry, day),), revoke=True)
        decision = decide(connections, wire_connection("opensearch", "ACTIVE"), request)
        assert decision.allowed is allowed and decision.expired_rule == (None if allowed else 0)
        assert decision.action == (None if allowed else "delete")
