"""Every path to a domain judged against the allowlist: on AWS's documented access policy examples (the domain's own
account, an IP-restricted policy, one account's role, a service principal with the confused-deputy condition, an open
policy under fine-grained access control), VPC endpoint access, anonymous auth and connections. Every grant gets a
verdict: allowed by an entry that names it, or a finding (or revoked)."""

from __future__ import annotations

import datetime
import json

import pytest

from ansible_collections.aws_search.cross_cluster.plugins.module_utils.access_allowlist import connection_grants
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.access_allowlist import finding
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.access_allowlist import judged
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.access_allowlist import matched_entries
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.access_allowlist import reach
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.access_allowlist import severity_of
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.api_differences import APIS
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.domain_access import domain_access
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.policy import Rule

OWNER, PARTNER, STRANGER = "111111111111", "222222222222", "333333333333"
ARN = f"arn:aws:es:us-west-1:{OWNER}:domain/test-domain"
RULES = (
    Rule.from_entry({"owner_id": PARTNER}),
    Rule.from_entry({"organization_id": "o-a1b2c3d4e5", "destination_domain_name": "test-*"}),
    Rule.from_entry({"owner_id": STRANGER, "destination_domain_name": "other-*"}),
)
OFFICE = "203.0.113.0/24"
FIREHOSE = "firehose.amazonaws.com"


def statement(principal, condition=None, sid=None):
    found = {
        "Effect": "Allow",
        "Principal": principal,
        "Action": "es:ESHttp*",
        "Resource": f"arn:aws:es:us-west-1:{OWNER}:domain/*",
    }
    if condition:
        found["Condition"] = condition
    if sid:
        found["Sid"] = sid
    return found


def entry(statements=(), principals=None, anonymous=False, name="test-domain", fine_grained=None):
    status = {"DomainName": name, "ARN": ARN.replace("test-domain", name), "VPCOptions": {"VPCId": "vpc-1"}}
    status["AccessPolicies"] = json.dumps({"Version": "2012-10-17", "Statement": list(statements)})
    enabled = anonymous if fine_grained is None else fine_grained
    status["AdvancedSecurityOptions"] = {"Enabled": enabled, "AnonymousAuthEnabled": anonymous}
    return domain_access(status, "us-west-1", principals, [], APIS["opensearch"])


def outcomes(domain, revoke=False, rules=RULES):
    found = [judged(g, OWNER, domain["domain_name"], rules, revoke) for g in domain["grants"]]
    return [(g["path"], g["scope"], g["account_id"], g["allowed"], g["rule"], g["outcome"]) for g in found]


def test_the_domains_own_account_is_always_allowed():
    # AWS's example "Resource-based policies": one role of the domain's own account.
    domain = entry([statement({"AWS": [f"arn:aws:iam::{OWNER}:role/test-role"]})])
    assert outcomes(domain, True) == [("access_policy", "account", OWNER, True, None, "allowed")]


def test_an_account_is_allowed_by_an_entry_naming_it_whose_destination_covers_the_domain():
    domain = entry([statement({"AWS": f"arn:aws:iam::{PARTNER}:root"}), statement({"AWS": STRANGER}, sid="x")])
    assert outcomes(domain) == [
        ("access_policy", "account", PARTNER, True, 0, "allowed"),
        ("access_policy", "account", STRANGER, False, None, "finding"),
    ]
    assert outcomes(entry([statement({"AWS": STRANGER})], name="other-logs"))[0][3:] == (True, 2, "allowed")


def test_an_organization_is_allowed_only_by_its_own_entry_and_only_where_the_entry_reaches():
    allowed = statement("*", {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}})
    other = statement("*", {"StringEquals": {"aws:PrincipalOrgID": ["o-a1b2c3d4e5", "o-zzzzzzzzzz"]}})
    assert [row[3:] for row in outcomes(entry([allowed, other]))] == [(True, 1, "allowed"), (False, None, "finding")]
    assert outcomes(entry([allowed], name="prod-logs"))[0][3:] == (False, None, "finding")


def test_every_scope_nobody_allowed_is_a_finding_and_open_ones_always_are():
    # AWS's example "IP-based policies", a service, and "*" with a condition the analysis does not read: no entry of
    # RULES allows addresses or services, so each gets a verdict, a finding (0.5.0 showed the first two unjudged).
    addresses = statement("*", {"IpAddress": {"aws:SourceIp": ["192.0.2.0/24"]}})
    service = statement({"Service": "application.opensearchservice.amazonaws.com"})
    unread = statement("*", {"StringLike": {"aws:userid": "AIDA*"}})
    assert [row[1:] for row in outcomes(entry([addresses, service, unread, statement("*")]))] == [
        ("ip_restricted", None, False, None, "finding"),
        ("service", None, False, None, "finding"),
        ("conditional", None, False, None, "finding"),
        ("everyone", None, False, None, "finding"),
    ]
    everything = RULES + (
        Rule.from_entry({"source_ips": ["0.0.0.0/1", "128.0.0.0/1"]}),
        Rule.from_entry({"authenticated": True}),
    )
    assert [row[-1] for row in outcomes(entry([unread, statement("*")]), rules=everything)] == ["finding", "finding"]


def addresses_policy(*ranges):
    return entry([statement("*", {"IpAddress": {"aws:SourceIp": list(ranges)}})])


@pytest.mark.parametrize(
    "ranges,allowed",
    [
        ([OFFICE], True),
        (["203.0.113.0/25", "203.0.113.7"], True),
        (["203.0.112.0/23"], False),
        ([OFFICE, "198.51.100.0/24"], False),
        (["0.0.0.0/1"], False),
        (["2001:db8::/64"], False),
    ],
)
def test_an_address_range_is_allowed_when_it_lies_inside_an_entrys_source_ips(ranges, allowed):
    rules = (Rule.from_entry({"source_ips": [OFFICE, "2001:db8:1::/48"]}),)
    [row] = outcomes(addresses_policy(*ranges), rules=rules)
    assert row[3:] == ((True, 0, "allowed") if allowed else (False, None, "finding"))


def test_address_ranges_may_be_allowed_by_different_entries_each_inside_one():
    rules = (Rule.from_entry({"source_ips": [OFFICE]}), Rule.from_entry({"source_ips": ["198.51.100.0/24"]}))
    assert outcomes(addresses_policy(OFFICE, "198.51.100.0/24"), rules=rules)[0][3:] == (True, 0, "allowed")
    narrowed = (Rule.from_entry({"source_ips": [OFFICE], "destination_domain_name": "other-*"}),)
    assert outcomes(addresses_policy(OFFICE), rules=narrowed)[0][3:] == (False, None, "finding")


def firehose(condition=None):
    # The developer guide's "Grant Firehose access to a domain" statement, with or without aws:SourceAccount.
    return statement({"Service": FIREHOSE}, condition)


@pytest.mark.parametrize(
    "condition,named,allowed",
    [
        ({"StringEquals": {"aws:SourceAccount": OWNER}}, True, True),
        ({"ArnLike": {"aws:SourceArn": f"arn:aws:firehose:us-west-1:{OWNER}:deliverystream/logs"}}, True, True),
        ({"StringEquals": {"aws:SourceAccount": OWNER}}, False, False),
        (None, True, False),
        ({"StringEquals": {"aws:SourceAccount": PARTNER}}, True, False),
        ({"StringEquals": {"aws:SourceAccount": [OWNER, PARTNER]}}, True, False),
    ],
)
def test_a_service_is_allowed_only_when_named_and_pinned_to_the_domains_own_account(condition, named, allowed):
    rules = (Rule.from_entry({"service": FIREHOSE if named else "es.amazonaws.com"}),)
    [row] = outcomes(entry([firehose(condition)]), rules=rules)
    assert row[1:] == (("service", None, True, 0, "allowed") if allowed else ("service", None, False, None, "finding"))


def test_an_unpinned_service_finding_names_the_condition_to_add():
    domain = entry([firehose()])
    [found] = [
        judged(g, OWNER, "test-domain", (Rule.from_entry({"service": FIREHOSE}),), False) for g in domain["grants"]
    ]
    named = finding(domain, found, APIS["opensearch"])
    assert "without a condition that pins its caller to the domain's own account" in named["message"]
    assert f"add the condition StringEquals aws:SourceAccount {OWNER} to statement 0" in named["fix"]


def test_a_vpc_endpoint_service_is_allowed_by_an_entry_naming_it():
    principals = [{"PrincipalType": "AWS_SERVICE", "Principal": "application.opensearchservice.amazonaws.com"}]
    rules = (Rule.from_entry({"service": "application.opensearchservice.amazonaws.com"}),)
    assert [row[-1] for row in outcomes(entry(principals=principals), True, rules)] == ["allowed"]
    assert [row[-1] for row in outcomes(entry(principals=principals), True)] == ["finding"]


def test_every_user_who_signs_in_is_allowed_only_by_authenticated_true():
    # The developer guide's fine-grained access control example: an open policy, every user signs in.
    domain = entry([statement("*")], fine_grained=True)
    assert outcomes(domain, rules=(Rule.from_entry({"authenticated": True}),)) == [
        ("access_policy", "authenticated", None, True, 0, "allowed")
    ]
    assert outcomes(domain)[0][3:] == (False, None, "finding")
    assert (
        "with an entry authenticated: true"
        in finding(domain, judged(domain["grants"][0], OWNER, "test-domain", RULES, False), APIS["es"])["fix"]
    )


def test_an_entry_narrowed_to_a_source_domain_allows_that_accounts_connections_only():
    rules = (Rule.from_entry({"owner_id": PARTNER, "domain_name": "partner-*"}),)
    principals = [{"PrincipalType": "AWS_ACCOUNT", "Principal": PARTNER}]
    domain = entry([statement({"AWS": PARTNER})], principals=principals)
    assert [row[-1] for row in outcomes(domain, True, rules)] == ["finding", "revoked"]
    assert (
        "take account 222222222222 (principal 222222222222) out of statement 0"
        in finding(domain, judged(domain["grants"][0], OWNER, "test-domain", rules, True), APIS["es"])["fix"]
    )


def test_entries_that_allow_a_grant_are_matched_first_or_not_and_the_others_are_not():
    rules = (
        Rule.from_entry({"owner_id": PARTNER}),
        Rule.from_entry({"owner_ids": [PARTNER, STRANGER]}),
        Rule.from_entry({"source_ips": [OFFICE]}),
        Rule.from_entry({"owner_id": "444444444444"}),
        Rule.from_entry({"owner_id": PARTNER, "domain_name": "partner-*"}),
    )
    domain = entry([statement({"AWS": PARTNER})])
    assert matched_entries(domain["grants"], "test-domain", rules) == {0, 1}


def test_anonymous_auth_is_a_finding_whatever_the_allowlist():
    assert outcomes(entry(anonymous=True)) == [("anonymous", "everyone", None, False, None, "finding")]


def test_vpc_endpoint_access_nobody_allowed_is_revoked_with_revoke_and_a_finding_without():
    principals = [
        {"PrincipalType": "AWS_ACCOUNT", "Principal": PARTNER},
        {"PrincipalType": "AWS_ACCOUNT", "Principal": STRANGER},
        {"PrincipalType": "SOMETHING_NEW", "Principal": "who"},
        {"PrincipalType": "AWS_ACCOUNT", "Principal": OWNER},
    ]
    domain = entry(principals=principals)
    assert [row[-1] for row in outcomes(domain, revoke=True)] == ["allowed", "revoked", "finding", "allowed"]
    assert [row[-1] for row in outcomes(domain, revoke=False)] == ["allowed", "finding", "finding", "allowed"]


def test_a_vpc_endpoint_principal_given_as_an_arn_counts_as_its_account():
    principals = [{"PrincipalType": "AWS_ACCOUNT", "Principal": f"arn:aws:iam::{STRANGER}:root"}]
    domain = entry(principals=principals)
    assert outcomes(domain, revoke=True) == [("vpc_endpoint", "account", STRANGER, False, None, "revoked")]
    assert domain["outside_accounts"] == [STRANGER] and domain["reachable_from_outside"] is True


def decision(owner, before, after, allowed, **more):
    found = {"connection_id": f"cc-{owner}", "source": {"owner_id": owner, "domain_name": "x", "region": "eu-west-1"}}
    return dict(found, previous_status=before, status=after, allowed=allowed, rule=0 if allowed else None, **more)


def test_connections_are_judged_as_the_policy_decided_them_with_their_status_after_the_run():
    decisions = [
        decision(PARTNER, "PENDING_ACCEPTANCE", "APPROVED", True),
        decision(STRANGER, "ACTIVE", "DELETING", False),
        decision("444444444444", "ACTIVE", "ACTIVE", False),
        decision("555555555555", "ACTIVE", None, False, failure="refused"),
        decision("666666666666", "PENDING_ACCEPTANCE", "REJECTING", False),
    ]
    found = connection_grants(decisions)
    assert [(g["account_id"], g["allowed"], g["outcome"]) for g in found] == [
        (PARTNER, True, "allowed"),
        (STRANGER, False, "revoked"),
        ("444444444444", False, "finding"),
        ("555555555555", False, "finding"),
    ]
    assert found[0]["principal"] == f"arn:aws:es:eu-west-1:{PARTNER}:domain/x" and found[0]["path"] == "connection"
    assert reach(found, OWNER) == {
        "outside_accounts": [PARTNER, "444444444444", "555555555555"],
        "open_to_everyone": False,
        "reachable_from_outside": True,
    }


def test_a_connection_from_the_domains_own_account_is_kept_and_reaches_from_nowhere_outside():
    [found] = connection_grants([dict(decision(OWNER, "ACTIVE", "ACTIVE", True), rule=None)])
    assert (found["allowed"], found["outcome"]) == (True, "allowed")
    assert reach([found], OWNER) == {
        "outside_accounts": [],
        "open_to_everyone": False,
        "reachable_from_outside": False,
    }


def test_a_revocation_that_failed_leaves_the_account_among_those_that_can_reach_the_domain():
    principals = [{"PrincipalType": "AWS_ACCOUNT", "Principal": STRANGER}]
    [found] = [judged(g, OWNER, "test-domain", RULES, True) for g in entry(principals=principals)["grants"]]
    assert reach([found], OWNER)["outside_accounts"] == []
    found.update(outcome="failed", failure="refused")
    assert reach([found], OWNER)["outside_accounts"] == [STRANGER]


@pytest.mark.parametrize(
    "api,grants,fix",
    [
        (
            "opensearch",
            {"principals": [{"Principal": STRANGER}]},
            "revoke-vpc-endpoint-access --domain-name test-domain --account 333333333333",
        ),
        (
            "es",
            {"statements": [statement("*", sid="open")]},
            "aws es update-elasticsearch-domain-config --domain-name test-domain --access-policies",
        ),
        (
            "opensearch",
            {"anonymous": True},
            "--advanced-security-options AnonymousAuthEnabled=false --region us-west-1",
        ),
    ],
)
def test_each_finding_names_where_what_and_the_cli_command_that_fixes_it(api, grants, fix):
    domain = entry(**grants)
    [found] = [judged(g, OWNER, "test-domain", RULES, False) for g in domain["grants"]]
    named = finding(domain, found, APIS[api])
    assert named["account_id"] == OWNER and named["region"] == "us-west-1" and named["domain_name"] == "test-domain"
    assert named["message"].startswith("account 111111111111, us-west-1, domain test-domain: ") and fix in named["fix"]


def test_a_connection_finding_says_how_to_delete_it_on_each_api():
    [found] = connection_grants([decision(STRANGER, "ACTIVE", "ACTIVE", False)])
    domain = {"owner_id": OWNER, "region": "us-west-1", "domain_name": "test-domain"}
    assert (
        "delete-inbound-connection --connection-id cc-333333333333" in finding(domain, found, APIS["opensearch"])["fix"]
    )
    es_fix = finding(domain, found, APIS["es"])["fix"]
    assert "aws es delete-inbound-cross-cluster-search-connection --cross-cluster-search-connection-id" in es_fix


def test_an_expired_exception_allows_nothing_and_its_grant_is_a_high_finding_naming_it_and_its_date():
    entries = [{"owner_id": PARTNER, "name": "vendor-x", "reason": "migration", "expires": "2026-11-30"}]
    day = datetime.date(2026, 11, 30)
    domain = entry([statement({"AWS": PARTNER})])
    on_the_day = outcomes(domain, rules=(Rule.from_entry(entries[0], day),))
    assert on_the_day[0][3:] == (True, 0, "allowed")
    after = [
        judged(g, OWNER, "test-domain", (Rule.from_entry(entries[0], day + datetime.timedelta(1)),), False)
        for g in domain["grants"]
    ]
    assert (after[0]["allowed"], after[0]["outcome"], after[0]["expired_rule"]) == (False, "finding", 0)
    named = finding(domain, after[0], APIS["es"], entries)
    assert named["severity"] == severity_of(after[0]) == "high" and named["expired_entry"] == "vendor-x"
    assert "(the exception vendor-x allowed it until 2026-11-30, and has expired)" in named["message"]


@pytest.mark.parametrize(
    "grants,severity",
    [
        ({"statements": [statement("*")]}, "critical"),
        ({"anonymous": True}, "critical"),
        ({"statements": [statement({"AWS": STRANGER})]}, "high"),
        ({"statements": [statement("*", {"StringLike": {"aws:userid": "AIDA*"}})]}, "high"),
        ({"statements": [statement("*", {"StringEquals": {"aws:PrincipalOrgID": "o-zzzzzzzzzz"}})]}, "high"),
        ({"statements": [statement("*", {"IpAddress": {"aws:SourceIp": ["192.0.2.0/24"]}})]}, "medium"),
        ({"statements": [statement({"Service": FIREHOSE})]}, "medium"),
        ({"statements": [statement("*")], "fine_grained": True}, "medium"),
    ],
)
def test_each_finding_has_the_severity_of_its_scope(grants, severity):
    domain = entry(**grants)
    [found] = [judged(g, OWNER, "test-domain", RULES, False) for g in domain["grants"]]
    assert finding(domain, found, APIS["es"])["severity"] == severity


def test_a_findings_id_is_the_same_across_runs_and_tells_principals_and_paths_apart():
    first = entry([statement({"AWS": STRANGER}, sid="a"), statement({"AWS": "444444444444"}, sid="b")])
    again = entry([statement({"AWS": STRANGER}, sid="a"), statement({"AWS": "444444444444"}, sid="b")])
    ids = [finding(first, judged(g, OWNER, "test-domain", RULES, False), APIS["es"])["id"] for g in first["grants"]]
    same = [finding(again, judged(g, OWNER, "test-domain", RULES, False), APIS["es"])["id"] for g in again["grants"]]
    assert ids == same and len(set(ids)) == 2
    assert ids[0].startswith(f"aws_search.cross_cluster/{OWNER}/us-west-1/test-domain/access_policy/")


def test_two_accounts_of_one_star_statement_are_two_findings_with_two_ids():
    domain = entry([statement("*", {"StringEquals": {"aws:PrincipalAccount": [STRANGER, "444444444444"]}})])
    found = [judged(g, OWNER, "test-domain", RULES, False) for g in domain["grants"]]
    assert len({finding(domain, g, APIS["es"])["id"] for g in found}) == 2


def test_an_expired_exception_is_named_only_when_it_is_the_one_that_would_allow_the_grant():
    day = datetime.date(2026, 12, 1)
    entries = [
        {"source_ips": ["10.0.0.0/24"]},
        {"source_ips": ["10.1.0.0/24"], "name": "old-office", "expires": "2026-11-30"},
    ]
    rules = tuple(Rule.from_entry(item, day) for item in entries)
    domain = entry([statement("*", {"IpAddress": {"aws:SourceIp": ["10.0.0.0/24", "10.1.0.0/24"]}})])
    [found] = [judged(g, OWNER, "test-domain", rules, False) for g in domain["grants"]]
    assert (found["outcome"], found["expired_rule"]) == ("finding", 1)
    assert (
        "(the exception old-office allowed it until 2026-11-30, and has expired)"
        in finding(domain, found, APIS["es"], entries)["message"]
    )
    # An expired exception matched a grant: it is named as expired, never as an entry that matched nothing.
    assert matched_entries([found], "test-domain", rules) == {0, 1}
