"""security_hub_findings' main() on a stubbed client: a read, then one import of the current and archived findings
(none in check mode), every returned key documented."""

from __future__ import annotations

import json

import boto3
import pytest
import yaml
from botocore.stub import Stubber

from ansible_collections.aws_search.cross_cluster.plugins.module_utils.security_hub import asff
from ansible_collections.aws_search.cross_cluster.plugins.modules import security_hub_findings
from ansible_collections.aws_search.cross_cluster.tests.unit.module_docs import assert_documented
from ansible_collections.aws_search.cross_cluster.tests.unit.module_docs import patch_module_args
from ansible_collections.aws_search.cross_cluster.tests.unit.plugins.module_utils.test_security_hub import ARN
from ansible_collections.aws_search.cross_cluster.tests.unit.plugins.module_utils.test_security_hub import BEFORE
from ansible_collections.aws_search.cross_cluster.tests.unit.plugins.module_utils.test_security_hub import finding

MODULE_UTILS = "ansible_collections.aws_search.cross_cluster.plugins.module_utils.security_hub"


def run(capsys, monkeypatch, client, **args):
    monkeypatch.setattr(f"{MODULE_UTILS}.aws_client", lambda module, service: client)
    params = {"region": "eu-west-1", "domain_arns": [ARN], **args}
    with patch_module_args(params), pytest.raises(SystemExit):
        security_hub_findings.main()
    return json.loads(capsys.readouterr().out)


@pytest.mark.parametrize("check_mode", [True, False])
def test_imports_the_findings_and_archives_those_gone_in_one_call(capsys, monkeypatch, check_mode):
    client = boto3.client("securityhub", region_name="eu-west-1", aws_access_key_id="a", aws_secret_access_key="b")
    stubber = Stubber(client)
    stubber.add_response("get_findings", {"Findings": [asff(finding(1), ARN, BEFORE)]})
    if not check_mode:
        stubber.add_response("batch_import_findings", {"FailedCount": 0, "SuccessCount": 2, "FailedFindings": []})
    with stubber:
        result = run(capsys, monkeypatch, client, findings=[finding(0)], _ansible_check_mode=check_mode)
    stubber.assert_no_pending_responses()
    assert result["changed"] and result["imported"] == [finding(0)["id"]] and result["archived"] == [finding(1)["id"]]
    assert_documented(result, yaml.safe_load(security_hub_findings.RETURN), "opensearch")


def test_a_finding_of_another_region_fails_before_any_call(capsys, monkeypatch):
    client = boto3.client("securityhub", region_name="eu-west-1", aws_access_key_id="a", aws_secret_access_key="b")
    with Stubber(client):
        result = run(capsys, monkeypatch, client, findings=[finding(0)], region="us-east-1")
    assert result["failed"] and "domain_arns must name the domains (their ARNs) of region us-east-1" in result["msg"]
