"""Findings as AWS Security Hub takes them (ASFF, validated against botocore's model by its Stubber), what is archived,
and what is refused before any call."""

from __future__ import annotations

import boto3
import pytest
from botocore.stub import Stubber

from ansible_collections.aws_search.cross_cluster.plugins.module_utils.security_hub import SecurityHub
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.security_hub import SecurityHubError
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.security_hub import archived
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.security_hub import asff
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.security_hub import findings_problem
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.security_hub import plan

OWNER = "111111111111"
ARN = f"arn:aws:es:eu-west-1:{OWNER}:domain/secret-logs"
NOW, BEFORE = "2026-12-07T08:00:00.000Z", "2026-12-01T08:00:00.000Z"


def finding(number=0, **more):
    return dict(
        {
            "id": f"aws_search.cross_cluster/{OWNER}/eu-west-1/secret-logs/access_policy/{number:016d}",
            "severity": "high",
            "account_id": OWNER,
            "region": "eu-west-1",
            "domain_name": "secret-logs",
            "path": "access_policy",
            "principal": "arn:aws:iam::333333333333:root",
            "grant_account_id": "333333333333",
            "message": "account 111111111111, eu-west-1, domain secret-logs: statement 0 lets account 333333333333 in",
            "fix": "take account 333333333333 out of statement 0",
        },
        **more,
    )


def hub_client():
    client = boto3.client("securityhub", region_name="eu-west-1", aws_access_key_id="a", aws_secret_access_key="b")
    return client, Stubber(client)


def test_a_finding_in_asff_is_what_botocores_model_and_aws_documentation_ask_for():
    item = asff(finding(), ARN, NOW)
    assert item["ProductArn"] == f"arn:aws:securityhub:eu-west-1:{OWNER}:product/{OWNER}/default"
    assert item["AwsAccountId"] == OWNER and item["GeneratorId"].startswith("aws_search.cross_cluster")
    assert item["Severity"] == {"Label": "HIGH"} and item["Compliance"] == {"Status": "FAILED"}
    assert item["Resources"] == [
        {"Type": "AwsOpenSearchServiceDomain", "Id": ARN, "Partition": "aws", "Region": "eu-west-1"}
    ]
    assert item["Remediation"]["Recommendation"]["Text"] == "take account 333333333333 out of statement 0"
    assert not {"Workflow", "Note", "UserDefinedFields", "VerificationState"} & set(item)
    client, stubber = hub_client()
    stubber.add_response("batch_import_findings", {"FailedCount": 0, "SuccessCount": 2, "FailedFindings": []})
    with stubber:
        client.batch_import_findings(Findings=[item, archived(item, NOW)])  # the Stubber validates the parameters
    stubber.assert_no_pending_responses()


def test_a_finding_imported_before_keeps_its_creation_time_and_one_that_no_longer_holds_is_archived():
    earlier = [asff(finding(0), ARN, BEFORE), asff(finding(1), ARN, BEFORE)]
    current, stale = plan([finding(0)], {"secret-logs": ARN}, earlier, NOW)
    assert [(item["Id"], item["CreatedAt"], item["UpdatedAt"]) for item in current] == [(finding(0)["id"], BEFORE, NOW)]
    assert [(item["Id"], item["RecordState"], item["Compliance"], item["UpdatedAt"]) for item in stale] == [
        (finding(1)["id"], "ARCHIVED", {"Status": "PASSED"}, NOW)
    ]


def test_findings_of_earlier_runs_are_read_filtered_and_checked_here_too():
    client, stubber = hub_client()
    ours = asff(finding(0), ARN, BEFORE)
    theirs = dict(ours, Id="x", GeneratorId="prowler-check")
    other_domain = dict(ours, Id="y", Resources=[dict(ours["Resources"][0], Id=ARN + "-other")])
    stubber.add_response("get_findings", {"Findings": [ours, theirs], "NextToken": "2"})
    stubber.add_response("get_findings", {"Findings": [other_domain]})
    with stubber:
        found = SecurityHub(client, OWNER, "eu-west-1").earlier([ARN])
    assert [item["Id"] for item in found] == [ours["Id"]]


def test_a_region_without_security_hub_is_named_with_what_to_do():
    client, stubber = hub_client()
    stubber.add_client_error("get_findings", "InvalidAccessException", "Account is not subscribed", 401)
    with stubber, pytest.raises(SecurityHubError) as refused:
        SecurityHub(client, OWNER, "eu-west-1").earlier([ARN])
    assert str(refused.value).startswith(
        f"GetFindings failed in account {OWNER}, eu-west-1: AWS Security Hub is not enabled there; enable it"
    )


def test_findings_aws_did_not_take_fail_naming_each():
    client, stubber = hub_client()
    failed = [{"Id": "a", "ErrorCode": "AccessDeniedException", "ErrorMessage": "no"}]
    stubber.add_response("batch_import_findings", {"FailedCount": 1, "SuccessCount": 0, "FailedFindings": failed})
    with stubber, pytest.raises(SecurityHubError, match="did not take 1 findings in account 111111111111, eu-west-1"):
        SecurityHub(client, OWNER, "eu-west-1").put([asff(finding(), ARN, NOW)])


def test_more_than_a_hundred_findings_go_in_a_call_per_hundred():
    client, stubber = hub_client()
    for count in (100, 100, 5):
        stubber.add_response("batch_import_findings", {"FailedCount": 0, "SuccessCount": count, "FailedFindings": []})
    with stubber:
        SecurityHub(client, OWNER, "eu-west-1").put([asff(finding(n), ARN, NOW) for n in range(205)])
    stubber.assert_no_pending_responses()


@pytest.mark.parametrize(
    "params,problem",
    [
        ({"domain_arns": [ARN.replace("eu-west-1", "us-east-1")], "findings": []}, "domain_arns must name the domains"),
        ({"domain_arns": [ARN], "findings": [finding(severity="urgent")]}, "findings[0] is not a finding of"),
        ({"domain_arns": [ARN], "findings": [finding(domain_name="other")]}, "findings[0] is not a finding of"),
        ({"domain_arns": [ARN], "findings": [{"id": "x"}]}, "it lacks severity, path, message, fix, domain_name"),
    ],
)
def test_findings_of_another_region_or_domain_are_refused_before_any_call(params, problem):
    assert problem in findings_problem(params, "eu-west-1")


def test_more_than_twenty_domains_are_read_twenty_a_call_as_aws_takes_them():
    client, stubber = hub_client()
    arns = [ARN.replace("secret-logs", f"logs-{number:02d}") for number in range(21)]
    for part in (arns[:20], arns[20:]):
        expected = {
            "Filters": {
                "GeneratorId": [{"Value": "aws_search.cross_cluster", "Comparison": "PREFIX"}],
                "AwsAccountId": [{"Value": OWNER, "Comparison": "EQUALS"}],
                "RecordState": [{"Value": "ACTIVE", "Comparison": "EQUALS"}],
                "ResourceId": [{"Value": arn, "Comparison": "EQUALS"} for arn in part],
            },
            "MaxResults": 100,
        }
        stubber.add_response("get_findings", {"Findings": []}, expected)
    with stubber:
        assert SecurityHub(client, OWNER, "eu-west-1").earlier(arns) == []
    stubber.assert_no_pending_responses()


def test_a_title_says_who_in_words():
    assert asff(finding(scope="account"), ARN, NOW)["Title"] == (
        "secret-logs: account 333333333333 can reach the data by its access policy"
    )
    assert asff(finding(scope="ip_restricted", principal="*"), ARN, NOW)["Title"] == (
        "secret-logs: some addresses can reach the data by its access policy"
    )


def test_domains_of_two_accounts_are_refused():
    other = ARN.replace(OWNER, "222222222222")
    assert "domain_arns must be of one account" in findings_problem(
        {"domain_arns": [ARN, other], "findings": []}, "eu-west-1"
    )


class Answering:
    """A client whose every call answers 200 with the same body: a proxy's, or a broken endpoint's."""

    def __init__(self, answer):
        self.answer = answer

    def __getattr__(self, _method):
        return lambda **_params: self.answer


@pytest.mark.parametrize(
    "answer", [{}, {"Findings": ["not a finding"]}, {"Findings": None}, {"SuccessCount": 1}, {"FailedCount": "0"}]
)
def test_an_answer_that_is_not_security_hubs_is_named_never_all_clear(answer):
    hub = SecurityHub(Answering(answer), OWNER, "eu-west-1")
    for call in (lambda: hub.earlier([ARN]), lambda: hub.put([asff(finding(), ARN, NOW)])):
        with pytest.raises(SecurityHubError, match="the answer could not be read as the API's JSON"):
            call()


def test_failures_counted_without_their_list_still_fail():
    client, stubber = hub_client()
    stubber.add_response("batch_import_findings", {"FailedCount": 2, "SuccessCount": 0, "FailedFindings": []})
    with stubber, pytest.raises(SecurityHubError, match="did not take 2 findings"):
        SecurityHub(client, OWNER, "eu-west-1").put([asff(finding(), ARN, NOW)])
