# -*- coding: utf-8 -*-

# Copyright: Contributors to the aws_search.cross_cluster project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""What a connection module returns to Ansible."""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field
from typing import Any
from typing import Dict
from typing import List
from typing import Optional

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict


@dataclass
class ConnectionResult:
    """What a connection module did: changed, the status before and after, the connection, warnings."""

    changed: bool
    previous_status: Optional[str]
    status: Optional[str]
    connection: dict
    warnings: List[str] = field(default_factory=list)


def module_output(result: ConnectionResult, connection_id: Optional[str], fact_name: str) -> Dict[str, Any]:
    connection = camel_dict_to_snake_dict(result.connection)
    return {
        "changed": result.changed,
        "connection_id": connection_id,
        "status": result.status,
        "previous_status": result.previous_status,
        "connection": connection,
        "ansible_facts": {fact_name: connection},
        "diff": {"before": {"status": result.previous_status}, "after": {"status": result.status}},
    }
