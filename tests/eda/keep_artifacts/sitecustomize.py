"""Loaded by the Python of an ansible-rulebook under test (on its PYTHONPATH): ansible-runner's private data dirs
under $EDA_KEEP_ARTIFACTS are not removed after each action, so the test can read every artifact it wrote."""

import os
import shutil

_rmtree = shutil.rmtree


def _rmtree_unless_kept(path, *args, **kwargs):
    kept = os.environ.get("EDA_KEEP_ARTIFACTS")
    if kept and os.path.abspath(str(path)).startswith(kept):
        return None
    return _rmtree(path, *args, **kwargs)


shutil.rmtree = _rmtree_unless_kept
