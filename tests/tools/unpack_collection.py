"""Unpack one collection from the `ansible` package's wheel into a collections path, without installing ansible.

python tests/tools/unpack_collection.py WHEEL amazon.aws COLLECTIONS_PATH
"""

from __future__ import annotations

import sys
import zipfile


def unpack(wheel: str, collection: str, destination: str) -> int:
    prefix = "ansible_collections/" + collection.replace(".", "/") + "/"
    with zipfile.ZipFile(wheel) as archive:
        members = [name for name in archive.namelist() if name.startswith(prefix)]
        archive.extractall(destination, members)
    return len(members)


if __name__ == "__main__":
    if unpack(*sys.argv[1:4]) == 0:
        sys.exit(f"{sys.argv[2]} is not in {sys.argv[1]}")
