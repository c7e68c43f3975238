# -*- coding: utf-8 -*-

# Copyright: Contributors to the aws_search.cross_cluster project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""What a connection module reports: its result, or why the state asked for cannot be reached."""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field
from typing import List
from typing import Optional


class ConnectionStateError(Exception):
    """The state asked for cannot be reached; the message says why and what to do."""


@dataclass
class ConnectionResult:
    """What a connection module did: changed, the status before and after, the connection, warnings."""

    changed: bool
    previous_status: Optional[str]
    status: Optional[str]
    connection: dict
    warnings: List[str] = field(default_factory=list)
