"""The guard with the run laid out as before guard_run (three_processes.yml): a copy of the installed guard.yml whose
second play runs sts_assume_role, inbound_connection_policy, domain_access_policy and security_hub_findings."""

import os
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent


def installed_guard():
    """guard.yml of the collection on ANSIBLE_COLLECTIONS_PATH (ansible-test's, or make's staged copy)."""
    for root in os.environ["ANSIBLE_COLLECTIONS_PATH"].split(os.pathsep):
        playbook = Path(root) / "ansible_collections" / "aws_search" / "cross_cluster" / "playbooks" / "guard.yml"
        if playbook.exists():
            return playbook
    raise FileNotFoundError("aws_search.cross_cluster is not on ANSIBLE_COLLECTIONS_PATH")


def three_process_guard(folder, guard=None):
    """The copy, written in folder; its path."""
    plays = yaml.safe_load((guard or installed_guard()).read_text())
    [run] = plays[1]["tasks"]
    assert "aws_search.cross_cluster.guard_run" in run["block"][0], "guard.yml's run is no longer guard_run"
    plays[1]["tasks"] = yaml.safe_load((HERE / "three_processes.yml").read_text())
    copy = Path(folder) / "guard-three-processes.yml"
    copy.write_text(yaml.safe_dump(plays, sort_keys=False, width=1000))
    return copy
