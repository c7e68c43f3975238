"""The policy editor, as a pure function over a policy document and its judged grants: on the developer guide's
resource-based and IP-based policies and the review's cases (principal lists, "*" with conditions, Deny kept, Sids and
order kept, an empty result)."""

from __future__ import annotations

import json

from ansible_collections.aws_search.cross_cluster.plugins.module_utils.access_allowlist import judged
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.access_policy import Domain
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.access_policy import parse
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.access_policy import policy_grants
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.policy import Rule
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.policy_fix import fixed_document
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.policy_fix import removed_grants

OWNER, PARTNER, STRANGER = "111111111111", "222222222222", "333333333333"
ARN = f"arn:aws:es:us-west-1:{OWNER}:domain/test-domain"
RULES = (Rule.from_entry({"owner_id": PARTNER}), Rule.from_entry({"source_ips": ["192.0.2.0/24"]}))


def statement(principal, sid=None, effect="Allow", **more):
    found = dict({"Effect": effect, "Principal": principal, "Action": "es:ESHttp*", "Resource": f"{ARN}/*"}, **more)
    if sid:
        found["Sid"] = sid
    return found


def fix(*statements, fine_grained=False):
    document = parse(json.dumps({"Version": "2012-10-17", "Statement": list(statements)}))
    domain = Domain(ARN, OWNER, fine_grained)
    grants = [judged(grant, OWNER, "test-domain", RULES, False) for grant in policy_grants(document, domain)]
    fixed, stuck = fixed_document(document, grants, OWNER)
    return fixed, stuck, removed_grants(grants)


def test_a_stranger_leaves_the_principal_list_and_the_owner_and_partner_stay_in_order():
    # The developer guide's resource-based policy, with three accounts in one statement.
    principals = {"AWS": [f"arn:aws:iam::{OWNER}:role/test-role", f"arn:aws:iam::{PARTNER}:root", STRANGER]}
    fixed, stuck, removed = fix(statement(principals, sid="shared"))
    assert stuck == [] and [grant["principal"] for grant in removed] == [STRANGER]
    assert fixed == {
        "Version": "2012-10-17",
        "Statement": [
            statement({"AWS": [f"arn:aws:iam::{OWNER}:role/test-role", f"arn:aws:iam::{PARTNER}:root"]}, sid="shared")
        ],
    }


def test_statements_whose_grants_are_all_not_allowed_go_and_deny_sids_and_order_stay():
    deny = statement({"AWS": STRANGER}, sid="no-deletes", effect="Deny", Action="es:ESHttpDelete")
    everyone = statement("*", sid="open")
    unread = statement("*", sid="odd", Condition={"StringLike": {"aws:userid": "AIDA*"}})
    office = statement("*", sid="office", Condition={"IpAddress": {"aws:SourceIp": ["192.0.2.0/24"]}})
    wide = statement("*", sid="wide", Condition={"IpAddress": {"aws:SourceIp": ["192.0.0.0/16"]}})
    org = statement("*", sid="org", Condition={"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}})
    service = statement({"Service": "firehose.amazonaws.com"}, sid="firehose")
    partner = statement({"AWS": PARTNER}, sid="partner")
    fixed, stuck, removed = fix(deny, everyone, unread, office, wide, org, service, partner)
    assert stuck == [] and [item["Sid"] for item in fixed["Statement"]] == ["no-deletes", "office", "partner"]
    assert fixed["Statement"][0] == deny and [grant["statement"] for grant in removed] == [
        "open",
        "odd",
        "wide",
        "org",
        "firehose",
    ]


def test_a_service_beside_an_allowed_account_leaves_the_service_list_only():
    both = statement({"AWS": PARTNER, "Service": ["firehose.amazonaws.com", "es.amazonaws.com"]}, sid="mixed")
    fixed, stuck, _removed = fix(both)
    assert stuck == [] and fixed["Statement"][0]["Principal"] == {"AWS": PARTNER}


def test_a_star_limited_to_an_allowed_and_a_stranger_account_cannot_be_fixed_alone():
    limited = statement("*", sid="two", Condition={"StringEquals": {"aws:SourceAccount": [PARTNER, STRANGER]}})
    fixed, stuck, removed = fix(limited)
    assert stuck == ["two"] and fixed["Statement"] == [limited] and len(removed) == 1


def test_a_policy_left_with_no_statement_is_sent_with_an_empty_statement_list():
    fixed, stuck, _removed = fix(statement("*", sid="open"))
    assert fixed == {"Version": "2012-10-17", "Statement": []} and stuck == []


def test_an_fgac_open_policy_nobody_allowed_goes_and_a_clean_policy_is_left_as_it_is():
    fixed, _stuck, removed = fix(statement("*"), fine_grained=True)
    assert fixed["Statement"] == [] and removed[0]["scope"] == "authenticated"
    clean = statement({"AWS": [OWNER, PARTNER]})
    fixed, stuck, removed = fix(clean)
    assert fixed["Statement"] == [clean] and removed == [] and stuck == []


def test_a_statement_of_the_domains_own_account_is_never_removed_even_when_not_understood():
    # NotAction makes the grant one the analysis does not understand: the own account's access is not the guard's to
    # take, so nothing of the statement is removed, and the fix is refused.
    own = statement({"AWS": [f"arn:aws:iam::{OWNER}:root", PARTNER]}, sid="own", NotAction="es:ESHttpDelete")
    own.pop("Action")
    fixed, stuck, _removed = fix(own)
    assert stuck == ["own"] and fixed["Statement"] == [own]


def test_a_deny_sharing_a_sid_with_an_open_allow_stays_and_nothing_is_fixed():
    deny = statement({"AWS": STRANGER}, sid="A", effect="Deny")
    fixed, stuck, _removed = fix(deny, statement("*", sid="A"))
    assert stuck == ["A (two statements are named A)"] and fixed["Statement"][0] == deny
    numbered = statement("*", sid="1")
    fixed, stuck, _removed = fix(numbered, statement({"AWS": PARTNER}))
    assert stuck == ["1 (two statements are named 1)"] and len(fixed["Statement"]) == 2


def test_an_effect_that_is_not_plainly_allow_is_not_edited():
    odd = statement("*", sid="odd", effect="allow")
    fixed, stuck, removed = fix(odd)
    assert stuck == ["odd"] and fixed["Statement"] == [odd] and len(removed) == 1


def test_anonymous_access_is_no_policy_grant_to_take_out():
    grants = [{"path": "anonymous", "scope": "everyone", "allowed": False, "principal": "anonymous"}]
    assert removed_grants(grants) == []
