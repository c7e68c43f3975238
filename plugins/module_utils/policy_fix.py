# -*- coding: utf-8 -*-

# Copyright: Contributors to the aws_search.cross_cluster project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The smallest change to an access policy that takes out every grant nobody allowed (pure functions over the policy
document and its judged grants): a principal nobody allowed leaves its statement's principal list, a statement whose
grants are all not allowed goes; Deny statements, the domain's own account, every allowed grant, statement order,
Sids and the Version stay as they were."""

from __future__ import annotations

import copy
import json
from typing import Any
from typing import Dict
from typing import List
from typing import Optional
from typing import Tuple

# The principal kinds a grant can be taken out of one by one: an account (or an IAM principal of one), a service.
REMOVABLE = {"account": "AWS", "service": "Service"}


def statement_label(statement: Any, index: int) -> str:
    """How the analysis names a statement (access_policy.policy_grants): its Sid, else its index."""
    sid = statement.get("Sid") if isinstance(statement, dict) else None
    return sid if isinstance(sid, str) else str(index)


def _by_statement(grants: List[Dict[str, Any]]) -> Dict[str, List[Dict[str, Any]]]:
    found: Dict[str, List[Dict[str, Any]]] = {}
    for grant in grants:
        if grant.get("path") == "access_policy":
            found.setdefault(str(grant.get("statement")), []).append(grant)
    return found


def _kept(grant: Dict[str, Any]) -> bool:
    return bool(grant.get("allowed"))


def _without_principals(statement: Dict[str, Any], removed: List[Dict[str, Any]]) -> Optional[Dict[str, Any]]:
    """The statement with the principals of removed taken out of its Principal; None when one of them cannot be
    taken out alone (a "*", a principal of a kind not understood)."""
    principal = copy.deepcopy(statement.get("Principal"))
    if not isinstance(principal, dict):
        return None
    for grant in removed:
        kind = REMOVABLE.get(str(grant.get("scope")))
        written = principal.get(kind) if kind else None
        values = written if isinstance(written, list) else [written]
        if kind is None or grant.get("principal") == "*" or grant.get("principal") not in values:
            return None
        left = [value for value in values if value != grant["principal"]]
        if left:
            principal[kind] = left if isinstance(written, list) else left[0]
        else:
            principal.pop(kind)
    return dict(statement, Principal=principal) if principal else None


def fixed_document(
    document: Dict[str, Any], grants: List[Dict[str, Any]], owner_id: str
) -> Tuple[Dict[str, Any], List[str]]:
    """(the policy without the grants nobody allowed, the statements that could not be fixed without taking an allowed
    grant, the domain's own account or a statement not plainly an Allow too). The caller judges the result again
    before sending it, and sends nothing while a statement is stuck."""
    written = document.get("Statement")
    statements = written if isinstance(written, list) else [written]
    labels = [statement_label(statement, index) for index, statement in enumerate(statements)]
    judged = _by_statement(grants)
    twice = sorted({label for label in labels if labels.count(label) > 1 and label in judged})
    if twice:
        return document, [f"{label} (two statements are named {label})" for label in twice]
    kept, stuck = [], []
    for label, statement in zip(labels, statements):
        removed = [grant for grant in judged.get(label, []) if not _kept(grant)]
        edited = _fixed_statement(statement, judged.get(label, []), removed, owner_id)
        if edited is STUCK:
            stuck.append(label)
        if edited is not None:
            kept.append(statement if edited is STUCK else edited)
    shaped: Any = kept if isinstance(written, list) or not kept else kept[0]
    return dict(document, Statement=shaped if kept else []), stuck


STUCK: Dict[str, Any] = {}


def _fixed_statement(
    statement: Any, found: List[Dict[str, Any]], removed: List[Dict[str, Any]], owner_id: str
) -> Optional[Dict[str, Any]]:
    """The statement as it stays (None: it goes; STUCK: it cannot be changed alone). Only a plain Allow is changed,
    and never one that names the domain's own account among the grants it would lose."""
    if not removed:
        return statement
    names_owner = isinstance(statement, dict) and owner_id in json.dumps(statement.get("Principal"))
    if not isinstance(statement, dict) or statement.get("Effect") != "Allow" or names_owner:
        return _only_principals(statement, removed, owner_id)
    if len(removed) == len(found):
        return None
    edited = _without_principals(statement, removed)
    return STUCK if edited is None else edited


def _only_principals(statement: Any, removed: List[Dict[str, Any]], owner_id: str) -> Dict[str, Any]:
    """A statement that names the own account (or is not plainly an Allow): only principals of other accounts or
    services, taken out one by one, may leave it."""
    if not isinstance(statement, dict) or statement.get("Effect") != "Allow":
        return STUCK
    if any(owner_id in str(grant.get("principal")) or grant.get("scope") not in REMOVABLE for grant in removed):
        return STUCK
    edited = _without_principals(statement, removed)
    return STUCK if edited is None else edited


def removed_grants(grants: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """The access policy grants a fix takes out."""
    return [grant for grant in grants if grant.get("path") == "access_policy" and not _kept(grant)]
