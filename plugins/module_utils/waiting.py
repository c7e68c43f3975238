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

FIRST_DELAY = 0.2
MAX_DELAY = 10.0


def wait_timeout_problem(wait_timeout: int) -> Optional[str]:
    if wait_timeout < 1:
        return f"wait_timeout must be at least 1 second, got {wait_timeout}"
    return None


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
