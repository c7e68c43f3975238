"""The domains inventory through ansible-inventory against the local endpoint: what a user meets besides the happy
path (the estate itself is the integration target guard_estate)."""

from __future__ import annotations

import json
import os
import subprocess

from local_endpoint.client import control

from .harness import OWNER_A
from .harness import fault
from .harness import take_calls

REGIONS = ["us-east-1", "eu-west-1", "ap-southeast-2"]


def inventory(path, url: str) -> subprocess.CompletedProcess:
    environment = dict(
        os.environ, AWS_ACCESS_KEY_ID=OWNER_A.access_key, AWS_SECRET_ACCESS_KEY=OWNER_A.secret_key, AWS_ENDPOINT_URL=url
    )
    command = ["ansible-inventory", "-i", str(path), "--list"]
    return subprocess.run(command, capture_output=True, text=True, env=environment, timeout=120, check=False)


def write(tmp_path, name: str, **options) -> object:
    path = tmp_path / name
    path.write_text(json.dumps({"plugin": "aws_search.cross_cluster.domains", "regions": REGIONS, **options}))
    return path


def estate(url: str) -> None:
    for region in REGIONS:
        control(url, "hosted_domains", {"owner_id": OWNER_A.account, "region": region, "domain_names": ["new-logs"]})
    control(
        url,
        "hosted_domains",
        {"owner_id": OWNER_A.account, "domain_names": ["old-logs"], "engine_type": "Elasticsearch"},
    )


def test_a_region_that_refuses_is_a_warning_naming_it_and_the_others_are_listed(url, tmp_path):
    estate(url)
    fault(url, "ListDomainNames", code="AccessDeniedException")
    done = inventory(write(tmp_path, "a.domains.aws_search.yml", engine_types=["OpenSearch"]), url)
    hosts = sorted(json.loads(done.stdout)["_meta"]["hostvars"])
    assert len(hosts) == 2 and all(host.startswith("new-logs.") for host in hosts), done.stdout
    refused = [region for region in REGIONS if f"new-logs.{region}.{OWNER_A.account}" not in hosts]
    assert f"could not list the domains of account {OWNER_A.account} in {refused[0]}" in done.stderr, done.stderr
    calls = take_calls(url)
    assert calls.count("ListDomainNames") == 3 and calls.count("GetCallerIdentity") == 1, calls


def test_engine_types_keep_only_the_engines_asked_for(url, tmp_path):
    estate(url)
    both = json.loads(inventory(write(tmp_path, "a.domains.aws_search.yml"), url).stdout)["_meta"]["hostvars"]
    only = json.loads(
        inventory(write(tmp_path, "b.domains.aws_search.yml", engine_types=["Elasticsearch"]), url).stdout
    )
    assert len(both) == 4 and list(only["_meta"]["hostvars"]) == [f"old-logs.us-east-1.{OWNER_A.account}"]


def test_bad_options_and_file_names_are_named(url, tmp_path):
    done = inventory(write(tmp_path, "a.domains.aws_search.yml", regions=["us-east-1", "europe"]), url)
    assert "regions[1] must be an AWS region name" in done.stderr, done.stderr
    done = inventory(write(tmp_path, "a.domains.aws_search.yml", regions=[]), url)
    assert "regions must name at least one region" in done.stderr, done.stderr
    done = inventory(write(tmp_path, "domains.yml"), url)
    assert "file name must end in domains.aws_search.yml or domains.aws_search.yaml" in done.stderr, done.stderr
    assert "Traceback" not in done.stderr
    assert take_calls(url) == []
