"""Every path to a domain judged against the allowlist: on AWS's documented access policy examples (the domain's own
account, an IP-restricted policy, one account's role), VPC endpoint access, anonymous auth and connections."""

from __future__ import annotations

import json

import pytest

from ansible_collections.aws_search.cross_cluster.plugins.module_utils.access_allowlist import connection_grants
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.access_allowlist import finding
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.access_allowlist import judged
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.access_allowlist import reach
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.api_differences import APIS
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.domain_access import domain_access
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.policy import Rule

OWNER, PARTNER, STRANGER = "111111111111", "222222222222", "333333333333"
ARN = f"arn:aws:es:us-west-1:{OWNER}:domain/test-domain"
RULES = (
    Rule.from_entry({"owner_id": PARTNER, "domain_name": "partner-*", "region": "eu-*"}),
    Rule.from_entry({"organization_id": "o-a1b2c3d4e5", "destination_domain_name": "test-*"}),
    Rule.from_entry({"owner_id": STRANGER, "destination_domain_name": "other-*"}),
)


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


def entry(statements=(), principals=None, anonymous=False, name="test-domain"):
    status = {"DomainName": name, "ARN": ARN.replace("test-domain", name), "VPCOptions": {"VPCId": "vpc-1"}}
    status["AccessPolicies"] = json.dumps({"Version": "2012-10-17", "Statement": list(statements)})
    status["AdvancedSecurityOptions"] = {"Enabled": anonymous, "AnonymousAuthEnabled": anonymous}
    return domain_access(status, "us-west-1", principals, [], APIS["opensearch"])


def outcomes(domain, revoke=False):
    found = [judged(g, OWNER, domain["domain_name"], RULES, revoke) for g in domain["grants"]]
    return [(g["path"], g["scope"], g["account_id"], g["allowed"], g["rule"], g["outcome"]) for g in found]


def test_the_domains_own_account_is_always_allowed():
    # AWS's example "Resource-based policies": one role of the domain's own account.
    domain = entry([statement({"AWS": [f"arn:aws:iam::{OWNER}:role/test-role"]})])
    assert outcomes(domain, True) == [("access_policy", "account", OWNER, True, None, "allowed")]


def test_an_account_is_allowed_by_an_entry_naming_it_whose_destination_covers_the_domain():
    # The partner's entry has source-domain patterns: they are about connections, not about this grant.
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


def test_the_scopes_shown_are_not_judged_and_open_ones_are_always_findings():
    # AWS's example "IP-based policies", a service, and "*" with a condition the analysis does not read.
    addresses = statement("*", {"IpAddress": {"aws:SourceIp": ["192.0.2.0/24"]}})
    service = statement({"Service": "application.opensearchservice.amazonaws.com"})
    unread = statement("*", {"StringLike": {"aws:userid": "AIDA*"}})
    assert [row[1:] for row in outcomes(entry([addresses, service, unread, statement("*")]))] == [
        ("ip_restricted", None, None, None, "shown"),
        ("service", None, None, None, "shown"),
        ("conditional", None, False, None, "finding"),
        ("everyone", None, False, None, "finding"),
    ]


def test_anonymous_auth_is_a_finding_whatever_the_allowlist():
    assert outcomes(entry(anonymous=True)) == [("anonymous", "everyone", None, False, None, "finding")]


def test_vpc_endpoint_access_nobody_allowed_is_revoked_with_revoke_and_a_finding_without():
    principals = [
        {"PrincipalType": "AWS_ACCOUNT", "Principal": PARTNER},
        {"PrincipalType": "AWS_ACCOUNT", "Principal": STRANGER},
        {"PrincipalType": "SOMETHING_NEW", "Principal": "who"},
    ]
    domain = entry(principals=principals)
    assert [row[-1] for row in outcomes(domain, revoke=True)] == ["allowed", "revoked", "finding"]
    assert [row[-1] for row in outcomes(domain, revoke=False)] == ["allowed", "finding", "finding"]


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
    }


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
