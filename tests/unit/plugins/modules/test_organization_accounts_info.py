from __future__ import annotations

import json

import boto3
import pytest
import yaml
from botocore.stub import Stubber

from ansible_collections.aws_search.cross_cluster.plugins.modules import organization_accounts_info
from ansible_collections.aws_search.cross_cluster.tests.unit.module_docs import assert_documented
from ansible_collections.aws_search.cross_cluster.tests.unit.module_docs import patch_module_args

OU = "ou-ab12-00000001"


def run(capsys, monkeypatch, client, **args) -> dict:
    monkeypatch.setattr(organization_accounts_info, "aws_client", lambda module, service: client)
    with patch_module_args(args), pytest.raises(SystemExit):
        organization_accounts_info.main()
    return json.loads(capsys.readouterr().out)


def test_accounts_in_the_states_asked_for_every_key_documented(capsys, monkeypatch):
    client = boto3.client(
        "organizations", region_name="us-east-1", aws_access_key_id="AKIDTEST", aws_secret_access_key="x"
    )
    with Stubber(client) as stubber:
        accounts = [
            {"Id": "000000000002", "Name": "two", "Status": "ACTIVE", "Email": "two@example.com"},
            {"Id": "000000000001", "Name": "one", "Status": "SUSPENDED", "Email": "one@example.com"},
        ]
        stubber.add_response("list_accounts_for_parent", {"Accounts": accounts}, {"ParentId": OU, "MaxResults": 20})
        stubber.add_response(
            "list_organizational_units_for_parent", {"OrganizationalUnits": []}, {"ParentId": OU, "MaxResults": 20}
        )
        result = run(capsys, monkeypatch, client, organizational_unit_ids=[OU], states=["ACTIVE"])
    assert result["changed"] is False
    assert result["account_ids"] == ["000000000002"]
    assert result["accounts"] == [
        {"account_id": "000000000002", "name": "two", "state": "ACTIVE", "organizational_unit_id": OU}
    ]
    assert "example.com" not in json.dumps(result)
    doc = yaml.safe_load(organization_accounts_info.RETURN)
    assert_documented(result, doc, "es")
    assert_documented(result["accounts"][0], doc["accounts"]["contains"], "es")


def test_a_bad_ou_id_fails_before_any_call(capsys, monkeypatch):
    result = run(capsys, monkeypatch, None, organizational_unit_ids=["ou-typo"])
    assert result["failed"] and "organizational_unit_ids[0] must be an organizational unit id" in result["msg"]
