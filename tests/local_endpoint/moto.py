"""moto's server, for the AWS services it fakes faithfully (AWS Organizations, STS), on a free loopback port."""

from __future__ import annotations

import contextlib
import logging
import urllib.request
from typing import Iterator


@contextlib.contextmanager
def moto_server() -> Iterator[str]:
    """moto's server while the block runs; its URL."""
    from moto.server import ThreadedMotoServer  # pylint: disable=import-outside-toplevel

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    moto = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    moto.start()
    url = f"http://127.0.0.1:{moto._server.server_port}"  # pylint: disable=protected-access
    try:
        yield url
    finally:
        # moto keeps its state per process, not per server: forget it for the next server of this process.
        urllib.request.urlopen(urllib.request.Request(f"{url}/moto-api/reset", method="POST"))  # nosec B310
        moto.stop()
