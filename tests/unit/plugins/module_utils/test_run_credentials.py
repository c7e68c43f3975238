"""Whose credentials a guard run may use: the domains' account's only, with a sentence that says what to fix."""

from __future__ import annotations

from ansible_collections.aws_search.cross_cluster.plugins.module_utils.run_credentials import wrong_account

ROLE = "arn:aws:iam::999999999999:role/search-guard"


def test_the_domains_own_account_is_never_refused():
    assert wrong_account("111111111111", "111111111111", ROLE) is None
    assert wrong_account("111111111111", "111111111111", None) is None


def test_another_accounts_role_names_the_inventorys_role_and_the_cache():
    said = wrong_account("111111111111", "999999999999", ROLE)
    assert said.startswith(f"The role {ROLE} is in account 999999999999, not in the domains' account 111111111111")
    assert "iam_role_arn" in said and "--flush-cache" in said


def test_the_plays_own_credentials_of_another_account_ask_for_a_role():
    said = wrong_account("111111111111", "999999999999", None)
    assert "without iam_role_arn" in said and "account 999999999999's" in said
