# -*- coding: utf-8 -*-

# Copyright: Contributors to the aws_search.cross_cluster project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""How connections in one direction move from status to status, and what a state asks of each status."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable
from typing import Dict
from typing import Optional
from typing import Tuple

from ansible_collections.aws_search.cross_cluster.plugins.module_utils.connection_api import ConnectionApi


@dataclass(frozen=True)
class Plan:
    """action: the API action to take (None: nothing to do); failure: why the state cannot be reached."""

    action: Optional[str] = None
    failure: Optional[str] = None
    warning: Optional[str] = None


@dataclass(frozen=True)
class Lifecycle:
    """plan: the decision table; paths: for each state, the statuses a connection passes on its way there;
    settled: the status each state ends in on an API; status_after: the status each action answers with."""

    plan: Callable[[str, Optional[str]], Plan]
    paths: Dict[str, Tuple[str, ...]]
    settled: Callable[[str, ConnectionApi], str]
    status_after: Dict[str, str]

    def in_transit(self, state: str, status: Optional[str], api: ConnectionApi) -> bool:
        """True when status is on its way to the settled status of state and will move on by itself."""
        path = self.paths[state]
        settled = self.settled(state, api)
        return status in path and path.index(status) < path.index(settled)

    def predicted_status(
        self, state: str, found: Optional[str], plan: Plan, api: ConnectionApi, wait: bool
    ) -> Optional[str]:
        """The status a real run reports, for check mode and diff."""
        moving = plan.action is not None or self.in_transit(state, found, api)
        if wait and moving:
            return self.settled(state, api)
        if plan.action:
            return self.status_after[plan.action]
        return found
