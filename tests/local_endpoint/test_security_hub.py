"""AWS Security Hub on the local endpoint, driven by unmodified boto3 over HTTP: only where the account enabled it,
only findings of the calling account with its default product, customers' fields kept, filters and pages."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from .model_check import problems
from .test_endpoint import OWNER_A
from .test_endpoint import OWNER_B
from .test_endpoint import client
from .test_endpoint import control
from .test_endpoint import fixture_clock  # noqa: F401 pylint: disable=unused-import
from .test_endpoint import fixture_server  # noqa: F401 pylint: disable=unused-import

ARN = f"arn:aws:es:eu-west-1:{OWNER_A.account}:domain/logs"


def finding(number=0, account=OWNER_A.account, region="eu-west-1", **more):
    return dict(
        {
            "SchemaVersion": "2018-10-08",
            "Id": f"aws_search.cross_cluster/{account}/{region}/logs/access_policy/{number:016d}",
            "ProductArn": f"arn:aws:securityhub:{region}:{account}:product/{account}/default",
            "GeneratorId": "aws_search.cross_cluster/access_policy",
            "AwsAccountId": account,
            "Types": ["Effects/Data Exposure"],
            "CreatedAt": "2026-12-07T00:00:00Z",
            "UpdatedAt": "2026-12-07T00:00:00Z",
            "Severity": {"Label": "HIGH"},
            "Title": "t",
            "Description": "d",
            "Resources": [{"Type": "AwsOpenSearchServiceDomain", "Id": ARN, "Region": region, "Partition": "aws"}],
        },
        **more,
    )


def hub(server, region="eu-west-1", key=OWNER_A):
    return client(server, "securityhub", key=key, region=region)


def test_a_region_where_security_hub_is_not_enabled_refuses_both_operations(server):
    for call in (lambda: hub(server).get_findings(), lambda: hub(server).batch_import_findings(Findings=[finding()])):
        with pytest.raises(ClientError) as refused:
            call()
        assert refused.value.response["Error"]["Code"] == "InvalidAccessException"
        assert refused.value.response["ResponseMetadata"]["HTTPStatusCode"] == 401


def test_only_the_calling_accounts_findings_with_its_default_product_are_imported(server):
    control(server, "POST", "security_hub", {"account_id": OWNER_A.account, "region": "eu-west-1"})
    other = finding(1, account=OWNER_B.account)
    wrong_region = finding(2, ProductArn=f"arn:aws:securityhub:us-east-1:{OWNER_A.account}:product/x/default")
    no_severity = {key: value for key, value in finding(3).items() if key != "Severity"}
    answer = hub(server).batch_import_findings(Findings=[finding(), other, wrong_region, no_severity])
    assert (answer["SuccessCount"], answer["FailedCount"]) == (1, 3)
    assert [item["ErrorCode"] for item in answer["FailedFindings"]] == [
        "AccessDeniedException",
        "AccessDeniedException",
        "InvalidInput",
    ]
    model = hub(server).meta.service_model.operation_model("BatchImportFindings").output_shape
    answer.pop("ResponseMetadata")
    assert problems(answer, model) == []


def test_an_update_keeps_what_customers_own_and_get_findings_filters_and_pages(server):
    control(server, "POST", "security_hub", {"account_id": OWNER_A.account, "region": "eu-west-1"})
    client_ = hub(server)
    client_.batch_import_findings(Findings=[finding(number) for number in range(5)])
    client_.batch_import_findings(Findings=[finding(0, Workflow={"Status": "RESOLVED"}, RecordState="ARCHIVED")])
    filters = {"GeneratorId": [{"Value": "aws_search.cross_cluster", "Comparison": "PREFIX"}]}
    first = client_.get_findings(Filters=filters, MaxResults=3)
    second = client_.get_findings(Filters=filters, MaxResults=3, NextToken=first["NextToken"])
    found = first["Findings"] + second["Findings"]
    assert len(found) == 5 and "NextToken" not in second
    assert found[0]["Workflow"] == {"Status": "NEW"} and found[0]["RecordState"] == "ARCHIVED"
    active = client_.get_findings(Filters=dict(filters, RecordState=[{"Value": "ACTIVE", "Comparison": "EQUALS"}]))
    assert len(active["Findings"]) == 4
    other_domain = {"ResourceId": [{"Value": ARN + "x", "Comparison": "EQUALS"}]}
    assert client_.get_findings(Filters=other_domain)["Findings"] == []
