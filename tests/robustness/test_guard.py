"""The guard playbook when a part of the estate fails: the other parts are decided, the report names the failure,
and the run fails."""

from __future__ import annotations

import json
import os
import subprocess

from local_endpoint.client import control
from local_endpoint.client import seed

from .harness import OWNER_A
from .harness import fault

ACCOUNT = "444444444444"


def test_a_failed_policy_run_is_in_the_report_and_fails_the_run(url, tmp_path):
    control(url, "accounts", {"account_id": ACCOUNT})
    for region in ("us-east-1", "eu-west-1"):
        control(url, "hosted_domains", {"owner_id": ACCOUNT, "region": region, "domain_names": ["shared-logs"]})
        destination = {"owner_id": ACCOUNT, "region": region, "domain_name": "shared-logs"}
        seed(url, source={"owner_id": "333333333333"}, destination=destination)
    source = {"plugin": "aws_search.cross_cluster.domains", "regions": ["us-east-1", "eu-west-1"], "endpoint_url": url}
    source["iam_role_arn"] = f"arn:aws:iam::{ACCOUNT}:role/search-guard"
    (tmp_path / "a.domains.aws_search.yml").write_text(json.dumps(source))
    fault(url, "DescribeInboundCrossClusterSearchConnections", code="AccessDeniedException")
    extra = json.dumps({"allow": [], "report_dir": str(tmp_path / "report")})
    environment = dict(
        os.environ,
        AWS_ACCESS_KEY_ID=OWNER_A.access_key,
        AWS_SECRET_ACCESS_KEY=OWNER_A.secret_key,
        AWS_ENDPOINT_URL=url,
        ANSIBLE_LOCALHOST_WARNING="false",
    )
    command = ["ansible-playbook", "aws_search.cross_cluster.guard", "-i", str(tmp_path), "-e", extra]
    done = subprocess.run(command, capture_output=True, text=True, env=environment, timeout=300, check=False)
    assert done.returncode != 0 and "es:DescribeInboundConnections" in done.stdout, done.stdout
    report = json.loads((tmp_path / "report" / "report.json").read_text())
    regions = report["accounts"][0]["regions"]
    failed = [region for region in regions if region["failures"]]
    decided = [region for region in regions if not region["failures"]]
    assert len(failed) == 1 and "es:DescribeInboundConnections" in failed[0]["failures"][0], regions
    assert [row["outcome"] for row in decided[0]["domains"][0]["connections"]] == ["rejected"]
    assert report["summary"]["failures"] == 1 and report["summary"]["rejected"] == 1
