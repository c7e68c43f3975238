"""The calls on domains, against botocore's Stubber (every request and answer checked against the models): five names
a describe, every page of VPC endpoint access (the last page's NextToken is empty), a name AWS did not describe, and
each failure named with its IAM action."""

from __future__ import annotations

import pytest

from ansible_collections.aws_search.cross_cluster.plugins.module_utils import domain_reads
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.api_differences import APIS
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.domain_reads import DomainAccessError
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.domain_reads import DomainReads


def described(name):
    return {
        "DomainId": f"111111111111/{name}",
        "DomainName": name,
        "ARN": f"arn:aws:es:eu-west-1:111111111111:domain/{name}",
    }


def with_config(api_name, found):
    key = "ClusterConfig" if api_name == "opensearch" else "ElasticsearchClusterConfig"
    return dict(found, **{key: {}})


def test_domains_are_described_five_a_call_in_the_order_asked(stubbed, monkeypatch):
    # One call at a time: the Stubber answers in the order its answers were added.
    monkeypatch.setattr(domain_reads, "MAX_CALLS_AT_ONCE", 1)
    names = [f"logs-{number:02d}" for number in range(12)]
    method = stubbed.api.describe_domains_method
    for start in (0, 5, 10):
        batch = names[start : start + 5]
        answer = {"DomainStatusList": [with_config(stubbed.api.name, described(name)) for name in reversed(batch)]}
        stubbed.stubber.add_response(method, answer, {"DomainNames": batch})
    found = DomainReads(stubbed.client, stubbed.api, "eu-west-1").describe(names)
    assert [status["DomainName"] for status in found] == names


def test_a_name_aws_did_not_describe_is_named(stubbed):
    answer = {"DomainStatusList": [with_config(stubbed.api.name, described("logs-00"))]}
    stubbed.stubber.add_response(stubbed.api.describe_domains_method, answer, {"DomainNames": ["logs-00", "gone"]})
    with pytest.raises(
        DomainAccessError, match=r"No domain named gone \(api=.*, region=eu-west-1\): check domain_names"
    ):
        DomainReads(stubbed.client, stubbed.api, "eu-west-1").describe(["logs-00", "gone"])


def test_every_page_of_vpc_endpoint_access_is_read_until_the_token_is_empty(stubbed):
    pages = [["222222222201", "222222222202"], ["222222222203"]]
    for number, accounts in enumerate(pages):
        principals = [{"PrincipalType": "AWS_ACCOUNT", "Principal": account} for account in accounts]
        token = "more" if number == 0 else ""
        expected = {"DomainName": "vpc-logs", **({"NextToken": "more"} if number else {})}
        answer = {"AuthorizedPrincipalList": principals, "NextToken": token}
        stubbed.stubber.add_response("list_vpc_endpoint_access", answer, expected)
    found = DomainReads(stubbed.client, stubbed.api, "eu-west-1").vpc_access("vpc-logs")
    assert [principal["Principal"] for principal in found] == ["222222222201", "222222222202", "222222222203"]


@pytest.mark.parametrize(
    "code,hint",
    [
        ("AccessDeniedException", "grant them the IAM action es:ListVpcEndpointAccess"),
        ("ResourceNotFoundException", "AWS knows no such domain"),
        ("ThrottlingException", "AWS kept throttling the requests"),
    ],
)
def test_a_failed_read_names_the_call_the_domain_and_what_to_do(stubbed, code, hint):
    stubbed.stubber.add_client_error("list_vpc_endpoint_access", code, "no", 400)
    with pytest.raises(DomainAccessError, match=f"ListVpcEndpointAccess of domain vpc-logs failed .*{hint}"):
        DomainReads(stubbed.client, stubbed.api, "eu-west-1").vpc_access("vpc-logs")


def test_a_revocation_someone_else_made_first_is_no_failure(stubbed):
    stubbed.stubber.add_client_error("revoke_vpc_endpoint_access", "ResourceNotFoundException", "gone", 409)
    assert DomainReads(stubbed.client, stubbed.api, "eu-west-1").revoke("vpc-logs", "222222222222") is False


def test_a_refused_describe_names_the_iam_action_of_its_api(stubbed):
    stubbed.stubber.add_client_error(stubbed.api.describe_domains_method, "AccessDeniedException", "no", 403)
    action = "es:DescribeDomains" if stubbed.api.name == "opensearch" else "es:DescribeElasticsearchDomains"
    with pytest.raises(DomainAccessError, match=f"grant them the IAM action {action}: "):
        DomainReads(stubbed.client, stubbed.api, "eu-west-1").describe(["my-logs"])


def test_awss_own_limit_on_authorizing_is_a_sentence(stubbed):
    stubbed.stubber.add_client_error("authorize_vpc_endpoint_access", "LimitExceededException", "too many", 409)
    with pytest.raises(DomainAccessError, match="reached AWS's limit of 10 principals with VPC endpoint access"):
        DomainReads(stubbed.client, stubbed.api, "eu-west-1").authorize("vpc-logs", "222222222222")


def test_an_answer_without_its_list_is_unreadable_never_no_domains(stubbed):
    stubbed.stubber.add_response("list_domain_names", {})
    with pytest.raises(DomainAccessError, match="could not be read as the API's JSON"):
        DomainReads(stubbed.client, stubbed.api, "eu-west-1").names()


class Answering:
    """A client that answers DescribeDomains with what a test gives (botocore's Stubber refuses an answer that lacks
    a member the model requires, which is just what is tested here)."""

    def __init__(self, answer):
        self.answer = answer
        self.meta = type("Meta", (), {"method_to_api_mapping": {"describe_domains": "DescribeDomains"}})()

    def describe_domains(self, **_params):
        return self.answer


def test_a_described_domain_without_its_arn_is_unreadable_not_a_traceback():
    client = Answering({"DomainStatusList": [{"DomainName": "my-logs"}]})
    with pytest.raises(
        DomainAccessError, match="DescribeDomains of the domains failed .*a domain without its DomainName or ARN"
    ):
        DomainReads(client, APIS["opensearch"], "eu-west-1").describe(["my-logs"])


def test_a_failed_read_of_many_makes_no_more_calls_than_it_has_to():
    made = []

    def call(item):
        made.append(item)
        if item == 0:
            raise RuntimeError("refused")
        return item

    reads = DomainReads(None, None, "eu-west-1")
    with pytest.raises(RuntimeError):
        reads._at_once(call, list(range(200)))  # pylint: disable=protected-access
    assert len(made) < 200


def test_a_listed_domain_without_its_name_is_unreadable_never_fewer_domains(stubbed):
    stubbed.stubber.add_response(
        "list_domain_names", {"DomainNames": [{"DomainName": "a-logs"}, {"EngineType": "OpenSearch"}]}
    )
    with pytest.raises(
        DomainAccessError, match="ListDomainNames of the domains failed .*a domain without its DomainName"
    ):
        DomainReads(stubbed.client, stubbed.api, "eu-west-1").names()
