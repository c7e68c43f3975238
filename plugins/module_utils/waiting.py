# -*- coding: utf-8 -*-

# Copyright: Contributors to the aws_search.cross_cluster project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Poll a connection until its status stops moving, quickly at first and then less often."""

from __future__ import annotations

import time
from typing import Callable
from typing import Iterator
from typing import Optional
from typing import Tuple

from ansible_collections.aws_search.cross_cluster.plugins.module_utils.api_differences import connection_status
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.lifecycle import Lifecycle

FIRST_DELAY = 0.2
MAX_DELAY = 10.0


class WaitEnded(Exception):
    """Waiting did not end in a target status: timed_out, or the connection moved to status instead."""

    def __init__(self, status: Optional[str], timed_out: bool) -> None:
        super().__init__(status)
        self.status = status
        self.timed_out = timed_out


def poll_delays(first: float = FIRST_DELAY, cap: float = MAX_DELAY) -> Iterator[float]:
    delay = first
    while True:
        yield delay
        delay = min(delay * 2, cap)


def wait_while(
    connection: Optional[dict],
    read: Callable[[], Optional[dict]],
    keep_waiting: Callable[[Optional[dict]], bool],
    timeout: float,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> Tuple[Optional[dict], bool]:
    """Read again while keep_waiting(connection) holds, for at most timeout seconds.

    Returns the last connection read and whether it stopped moving (False: timed out).
    """
    deadline = clock() + timeout
    delays = poll_delays()
    while keep_waiting(connection):
        remaining = deadline - clock()
        if remaining <= 0:
            return connection, False
        sleep(min(next(delays), remaining))
        connection = read()
    return connection, True


def wait_until_settled(
    lifecycle: Lifecycle,
    read: Callable[[], Optional[dict]],
    connection: Optional[dict],
    timeout: float,
    left: Optional[str] = None,
) -> Optional[dict]:
    """Poll while the connection is in one of the lifecycle's pending statuses; WaitEnded unless it ends in a target.

    left is the status the module just moved the connection from: AWS's reads are eventually consistent, so a read
    that still shows it means "not yet", not that the connection went back.
    """

    def moving(current: Optional[dict]) -> bool:
        status = connection_status(current)
        return lifecycle.in_transit(status) or (left is not None and status == left)

    connection, stopped = wait_while(connection, read, moving, timeout)
    status = connection_status(connection)
    if not stopped or status not in lifecycle.target:
        raise WaitEnded(status, timed_out=not stopped)
    return connection
