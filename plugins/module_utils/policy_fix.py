# -*- coding: utf-8 -*-

# Copyright: Contributors to the aws_search.cross_cluster project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The smallest change to an access policy that takes out every grant nobody allowed (pure functions over the policy
document and its judged grants): a principal nobody allowed leaves its statement's principal list, a statement whose
grants are all not allowed goes; Deny statements, the domain's own account, every allowed grant, statement order,
Sids and the Version stay as they were."""

from __future__ import annotations

import copy
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


def fixed_document(document: Dict[str, Any], grants: List[Dict[str, Any]]) -> Tuple[Dict[str, Any], List[str]]:
    """(the policy without the grants nobody allowed, the statements that could not be fixed without taking an allowed
    grant too). The caller judges the result again before sending it."""
    written = document.get("Statement")
    statements = written if isinstance(written, list) else [written]
    labels = [statement_label(statement, index) for index, statement in enumerate(statements)]
    judged = _by_statement(grants)
    kept, stuck = [], []
    for label, statement in zip(labels, statements):
        found = judged.get(label, [])
        removed = [grant for grant in found if not _kept(grant)]
        if not removed:
            kept.append(statement)
        elif len(removed) < len(found):
            edited = _without_principals(statement, removed)
            kept.append(edited if edited is not None else statement)
            stuck += [] if edited is not None else [label]
    if len(set(labels)) < len(labels) and any(label in judged for label in labels):
        stuck.append("(two statements share a Sid)")
    shaped: Any = kept if isinstance(written, list) or not kept else kept[0]
    return dict(document, Statement=shaped if kept else []), stuck


def removed_grants(grants: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """The access policy grants a fix takes out."""
    return [grant for grant in grants if grant.get("path") == "access_policy" and not _kept(grant)]
