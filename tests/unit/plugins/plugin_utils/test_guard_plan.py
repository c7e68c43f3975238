"""The guard's plan: settings from group_vars win over -e ones, one run per account, region, role and settings,
and every domain without an allowlist or unreadable host is not governed, with the reason."""

from __future__ import annotations

import pytest

from ansible_collections.aws_search.cross_cluster.plugins.plugin_utils.guard_plan import NO_ALLOWLIST
from ansible_collections.aws_search.cross_cluster.plugins.plugin_utils.guard_plan import build_plan
from ansible_collections.aws_search.cross_cluster.plugins.plugin_utils.guard_plan import edits
from ansible_collections.aws_search.cross_cluster.plugins.plugin_utils.guard_plan import is_domains_source
from ansible_collections.aws_search.cross_cluster.plugins.plugin_utils.guard_plan import meant_setting
from ansible_collections.aws_search.cross_cluster.plugins.plugin_utils.guard_plan import misnamed_vars
from ansible_collections.aws_search.cross_cluster.plugins.plugin_utils.guard_plan import settings_of


def host(name, region="eu-west-1", account="111111111111", **extra):
    return dict(domain_name=name, domain_region=region, account_id=account, group_names=["aws_search_domains"], **extra)


def test_group_vars_settings_win_over_estate_wide_ones_and_defaults_fill_the_rest():
    settings, problem = settings_of({"allow": [{"owner_id": "222222222222"}], "guard_allow": [], "revoke": True})
    assert problem is None and settings == {
        "allow": [],
        "allowed": "leave",
        "unlisted": "reject",
        "revoke": True,
        "api": "es",
        "findings": "fail",
        "security_hub": False,
        "fix_policy": False,
    }
    assert settings_of({"allow": [], "guard_fix_policy": "yes"})[0]["fix_policy"] is True
    assert settings_of({}) == (None, NO_ALLOWLIST)
    assert settings_of({"allow": [], "security_hub": "true"})[0]["security_hub"] is True
    assert settings_of({"allow": [], "guard_security_hub": "ture"}) == (
        None,
        "security_hub (or guard_security_hub) is 'ture': give true or false",
    )


def test_findings_fail_the_run_by_default_report_only_when_asked_and_anything_else_is_refused():
    allow = {"allow": []}
    assert settings_of(dict(allow, findings="report", guard_findings="fail"))[0]["findings"] == "fail"
    assert settings_of(dict(allow, findings="report"))[0]["findings"] == "report"
    settings, problem = settings_of(dict(allow, guard_findings="warn"))
    assert settings is None and problem.startswith("findings (or guard_findings) is 'warn': give fail")


def test_one_run_per_account_region_and_settings_in_a_stable_order():
    hostvars = {
        "a": host("a", allow=[]),
        "b": host("b", allow=[]),
        "c": host("c", guard_allow=[{"owner_id": "222222222222"}], allow=[]),
        "d": host("d", region="us-east-1", allow=[]),
        "e": host("e"),
        "x": {"account_id": "9", "domain_region": "eu-west-1", "unreadable_reason": "denied"},
    }
    plan = build_plan(hostvars, ["e", "d", "c", "b", "a"], ["x"], "20261202T080000Z")
    assert [run["domain_names"] for run in plan["runs"]] == [["a", "b"], ["c"], ["d"]]
    assert len({run["name"] for run in plan["runs"]}) == 3
    assert {run["role_session_name"] for run in plan["runs"]} == {"aws-search-guard-20261202T080000Z"}
    assert [(item["host"], item["reason"]) for item in plan["not_governed"]] == [("x", "denied"), ("e", NO_ALLOWLIST)]
    assert {domain["host"]: domain["run"] for domain in plan["domains"]}["b"] == plan["runs"][0]["name"]


def test_a_host_both_listed_and_unreadable_is_not_governed():
    hostvars = {"a": host("a", allow=[], unreadable_reason="tags")}
    plan = build_plan(hostvars, ["a"], ["a"], "t")
    assert plan["runs"] == [] and plan["not_governed"][0]["reason"] == "tags"


@pytest.mark.parametrize(
    "first,second,count",
    [("revok", "revoke", 1), ("revkoe", "revoke", 1), ("alow", "allow", 1), ("unlsited", "unlisted", 1)]
    + [("guard_alow", "guard_allow", 1), ("allowd", "allowed", 1), ("revoke", "revoke", 0), ("", "api", 3)]
    + [("domain_name", "domain_region", 6), ("abc", "cba", 2)],
)
def test_edits_counts_insertions_deletions_substitutions_and_swaps(first, second, count):
    backwards = {"first": second, "second": first}
    assert edits(first, second) == count == edits(**backwards)


@pytest.mark.parametrize(
    "name,meant",
    [
        ("revok", "revoke"),
        ("guard_revok", "guard_revoke"),
        ("alowed", "allowed"),
        ("guard_apj", "guard_api"),
        ("unlistd", "unlisted"),
    ]
    + [
        ("guard_host", "guard_hosts"),
        ("report_dri", "report_dir"),
        ("allow", None),
        ("ip", None),
        ("app", None),
        ("ami", None),
        ("apj", None),
        ("account_id", None),
    ]
    + [("domain_region", None), ("inventory_file", None), ("group_names", None), ("ansible_run_tags", None)],
)
def test_a_variable_one_or_two_edits_from_a_guard_setting_is_taken_for_a_typo(name, meant):
    assert meant_setting(name) == meant


def test_a_misspelled_setting_leaves_every_domain_not_governed_naming_it_and_the_setting_meant():
    hostvars = {"a": host("a", allow=[], revok=True), "b": host("b", guard_allow=[], guard_revok=True, alowed=1)}
    plan = build_plan(hostvars, ["a", "b"], [], "t")
    reasons = {item["host"]: item["reason"] for item in plan["not_governed"]}
    assert plan["runs"] == [] and "revok (did you mean revoke?) is not a guard setting" in reasons["a"], reasons
    assert "alowed (did you mean allowed?), guard_revok (did you mean guard_revoke?)" in reasons["b"], reasons


def test_a_domain_host_without_its_account_or_region_is_not_governed_and_the_others_are():
    hostvars = {
        "a": host("a", allow=[]),
        "b": {"domain_name": "b", "allow": []},
        "c": host("c", account=None, allow=[]),
    }
    plan = build_plan(hostvars, ["a", "b", "c"], [], "t")
    reasons = {item["host"]: item["reason"] for item in plan["not_governed"]}
    assert [run["domain_names"] for run in plan["runs"]] == [["a"]]
    assert reasons["b"].startswith("it has no account_id, domain_region (as text): the guard governs the hosts of")
    assert reasons["c"].startswith("it has no account_id (as text):"), reasons


@pytest.mark.parametrize(
    "name,text,expected",
    [
        ("a.domains.aws_search.yml", "", True),
        ("org.yml", "plugin: aws_search.cross_cluster.domains\nregions: all\n", True),
        ("org.yaml", '{"plugin": "aws_search.cross_cluster.domains"}', True),
        ("ec2.aws_ec2.yml", "plugin: amazon.aws.aws_ec2\n", False),
        ("hosts.ini", "plugin: aws_search.cross_cluster.domains\n", False),
    ],
)
def test_a_domains_source_is_known_by_its_name_or_the_plugin_it_names(name, text, expected):
    assert is_domains_source(name, text) is expected


def test_a_domains_source_given_and_not_read_is_not_governed_and_group_vars_are_no_source(tmp_path):
    (tmp_path / "group_vars").mkdir()
    (tmp_path / "group_vars" / "x.domains.aws_search.yml").write_text("guard_allow: []\n")
    (tmp_path / "read.domains.aws_search.yml").write_text("plugin: aws_search.cross_cluster.domains\n")
    (tmp_path / "broken.yml").write_text("plugin: aws_search.cross_cluster.domains\nregions: [oops\n")
    read = [{"source": str(tmp_path / "read.domains.aws_search.yml"), "from_cache": False}]
    plan = build_plan({}, [], [], "t", {"given": [str(tmp_path)], "read": read})
    [refused] = plan["not_governed"]
    assert refused["host"] == "inventory" and refused["source"] == str(tmp_path / "broken.yml"), refused
    assert "is one of the domains inventory's, and was not read" in refused["reason"]
    assert plan["inventories"] == read


def vars_folder(tmp_path, *names):
    source = tmp_path / "estate.domains.aws_search.yml"
    source.write_text("plugin: aws_search.cross_cluster.domains\n")
    for name in names:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.mkdir() if name.endswith("/") else path.write_text("guard_allowed: accept\n")
    return str(source)


GROUPS = {
    "all": ["secret-logs.eu-west-1.111111111111", "public-logs.eu-west-1.111111111111"],
    "ungrouped": [],
    "aws_search_domains": ["secret-logs.eu-west-1.111111111111", "public-logs.eu-west-1.111111111111"],
    "classification_secret": ["secret-logs.eu-west-1.111111111111"],
    "classification_public": ["public-logs.eu-west-1.111111111111"],
}


def test_a_vars_file_two_edits_from_a_group_is_misnamed_and_one_far_from_every_name_is_a_warning(tmp_path):
    source = vars_folder(
        tmp_path,
        "group_vars/classification_secrets.yml",
        "group_vars/classification_public.yaml",
        "group_vars/all/",
        "group_vars/classification_confidential.yml",
        "group_vars/notes.txt",
        "host_vars/secret-logs.eu-west-1.111111111112",
        "host_vars/localhost.yml",
    )
    misnamed, warnings = misnamed_vars([source], GROUPS)
    assert [(item["kind"], item["name"], item["meant"]) for item in misnamed] == [
        ("group_vars", "classification_secrets", "classification_secret"),
        ("host_vars", "secret-logs.eu-west-1.111111111112", "secret-logs.eu-west-1.111111111111"),
    ]
    assert warnings == [
        f"{tmp_path}/group_vars/classification_confidential.yml names no group of the inventory"
        " (classification_confidential): its variables apply to nothing"
    ]


def test_the_domains_a_misnamed_vars_file_was_meant_for_are_not_governed_and_the_others_are(tmp_path):
    source = vars_folder(tmp_path, "group_vars/classification_secrets.yml")
    misnamed, _warnings = misnamed_vars([str(tmp_path)], GROUPS)
    secret = dict(host("secret-logs", allow=[]), group_names=["aws_search_domains", "classification_secret"])
    public = dict(host("public-logs", allow=[]), group_names=["aws_search_domains", "classification_public"])
    hostvars = {"s": secret, "p": public}
    plan = build_plan(
        hostvars, ["s", "p"], [], "t", {"given": [source], "read": [{"source": source}], "misnamed": misnamed}
    )
    [refused] = plan["not_governed"]
    assert refused["host"] == "s" and [run["domain_names"] for run in plan["runs"]] == [["public-logs"]]
    assert (
        "classification_secrets.yml names no group of the inventory, and classification_secrets is 1 edits from the group classification_secret"
        in refused["reason"]
    )


def test_a_misnamed_vars_file_meant_for_a_group_without_domains_still_fails_the_run(tmp_path):
    source = vars_folder(tmp_path, "group_vars/classification_publik.yml")
    misnamed, _warnings = misnamed_vars([source], dict(GROUPS, classification_public=[]))
    plan = build_plan({}, [], [], "t", {"misnamed": misnamed})
    [refused] = plan["not_governed"]
    assert refused["host"] == "inventory" and refused["source"].endswith("group_vars/classification_publik.yml")


@pytest.mark.parametrize(
    "allow,reason",
    [
        ([{"owner_id": "222222222222", "expires": "2026-02-30"}], "allow[0].expires must be a date written YYYY-MM-DD"),
        ({"owner_id": "222222222222"}, "allow (or guard_allow) must be a list of entries, each beginning with '- '"),
        ([{"owner": "222222222222"}], "allow[0] has the unknown key 'owner'"),
    ],
)
def test_an_allowlist_its_modules_would_refuse_leaves_the_domain_not_governed_before_any_call(allow, reason):
    plan = build_plan({"a": host("a", guard_allow=allow), "b": host("b", allow=[])}, ["a", "b"], [], "t")
    [refused] = plan["not_governed"]
    assert refused["host"] == "a" and reason in refused["reason"], refused
    assert [run["domain_names"] for run in plan["runs"]] == [["b"]]
