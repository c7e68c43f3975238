"""The domains inventory through ansible-inventory against the local endpoint: what a user meets besides the happy
path (the estate itself is the integration target guard_estate)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import boto3
import pytest
from local_endpoint.client import control

from .harness import OWNER_A
from .harness import fault
from .harness import take_calls

REGIONS = ["us-east-1", "eu-west-1", "ap-southeast-2"]


def inventory(path, url: str, **settings: str) -> subprocess.CompletedProcess:
    environment = dict(
        os.environ, AWS_ACCESS_KEY_ID=OWNER_A.access_key, AWS_SECRET_ACCESS_KEY=OWNER_A.secret_key, AWS_ENDPOINT_URL=url
    )
    environment.update(settings)
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


def unreadable(listed: dict) -> dict:
    """The hosts of the group aws_search_unreadable, with their variables unwrapped."""
    names = listed.get("aws_search_unreadable", {}).get("hosts", [])
    return {name: {key: plain(value) for key, value in listed["_meta"]["hostvars"][name].items()} for name in names}


def domains(listed: dict) -> list:
    return sorted(listed.get("aws_search_domains", {}).get("hosts", []))


def plain(value):
    return value["__ansible_unsafe"] if isinstance(value, dict) and "__ansible_unsafe" in value else value


def test_a_region_that_refuses_is_an_unreadable_host_naming_it_and_the_others_are_listed(url, tmp_path):
    estate(url)
    fault(url, "ListDomainNames", code="AccessDeniedException")
    done = inventory(write(tmp_path, "a.domains.aws_search.yml", engine_types=["OpenSearch"]), url)
    listed = json.loads(done.stdout)
    hosts = domains(listed)
    assert len(hosts) == 2 and all(host.startswith("new-logs.") for host in hosts), done.stdout
    refused = [region for region in REGIONS if f"new-logs.{region}.{OWNER_A.account}" not in hosts]
    [(name, host)] = unreadable(listed).items()
    assert name == f"unreadable.{refused[0]}.{OWNER_A.account}", name
    assert host["account_id"] == OWNER_A.account and host["domain_region"] == refused[0], host
    assert "es:ListDomainNames" in host["unreadable_reason"] and "AccessDenied" in host["unreadable_reason"], host
    assert f"{name} could not be read" in done.stderr, done.stderr
    calls = take_calls(url)
    assert calls.count("ListDomainNames") == 3 and calls.count("GetCallerIdentity") == 1, calls


def test_throttling_past_the_retries_leaves_the_region_unreadable_not_the_source_unparsed(url, tmp_path):
    estate(url)
    fault(url, "ListDomainNames", code="ThrottlingException", count=100)
    done = inventory(write(tmp_path, "a.domains.aws_search.yml", regions=["us-east-1"]), url)
    listed = json.loads(done.stdout)
    assert domains(listed) == [] and "Unable to parse" not in done.stderr, done.stderr
    [host] = unreadable(listed).values()
    assert host["domain_region"] == "us-east-1" and "ThrottlingException" in host["unreadable_reason"], host


def test_an_account_whose_role_cannot_be_assumed_is_unreadable_in_each_region_and_the_others_are_listed(url, tmp_path):
    estate(url)
    write(tmp_path, "good.domains.aws_search.yml", engine_types=["OpenSearch"])
    write(tmp_path, "bad.domains.aws_search.yml", iam_role_arn="arn:aws:iam::999999999999:role/search-guard")
    done = inventory(tmp_path, url)
    listed = json.loads(done.stdout)
    assert len(domains(listed)) == 3, done.stdout
    hosts = unreadable(listed)
    assert sorted(hosts) == sorted(f"unreadable.{region}.999999999999" for region in REGIONS), hosts
    reason = next(iter(hosts.values()))["unreadable_reason"]
    assert "Unable to assume role arn:aws:iam::999999999999:role/search-guard" in reason, reason
    assert all(host["inventory_source"].endswith("bad.domains.aws_search.yml") for host in hosts.values()), hosts
    assert take_calls(url).count("ListDomainNames") == 3


def test_a_refused_tag_read_makes_the_domain_unreadable_never_untagged(url, tmp_path):
    estate(url)
    fault(url, "ListTags", code="AccessDeniedException")
    path = write(tmp_path, "a.domains.aws_search.yml", regions=["us-east-1"], include_tags=True)
    listed = json.loads(inventory(path, url).stdout)
    assert len(domains(listed)) == 1, listed
    [(name, host)] = unreadable(listed).items()
    assert name.endswith(f".us-east-1.{OWNER_A.account}") and host["domain_name"] in name, name
    assert f"could not read the tags of arn:aws:es:us-east-1:{OWNER_A.account}:domain/" in host["unreadable_reason"]
    assert name not in domains(listed) and "domain_tags" not in host, host
    calls = take_calls(url)
    assert calls.count("ListTags") == 2, calls


def test_domain_hosts_run_modules_with_the_controllers_python(url, tmp_path):
    estate(url)
    path = write(tmp_path, "a.domains.aws_search.yml", regions=["us-east-1"], engine_types=["OpenSearch"])
    environment = dict(
        os.environ, AWS_ACCESS_KEY_ID=OWNER_A.access_key, AWS_SECRET_ACCESS_KEY=OWNER_A.secret_key, AWS_ENDPOINT_URL=url
    )
    environment.pop("ANSIBLE_PYTHON_INTERPRETER", None)
    facts = ["ansible", "aws_search_domains", "-i", str(path), "-m", "ansible.builtin.debug"]
    facts += ["-a", "msg={{ ansible_python_interpreter }}"]
    done = subprocess.run(facts, capture_output=True, text=True, env=environment, timeout=120, check=False)
    assert sys.executable in done.stdout or os.path.realpath(sys.executable) in done.stdout, done.stdout + done.stderr


def test_a_region_name_aws_does_not_have_fails_the_source_naming_it_before_any_call(url, tmp_path):
    estate(url)
    done = inventory(write(tmp_path, "a.domains.aws_search.yml", regions=["us-east-1", "eu-wset-1"]), url)
    assert "no AWS partition botocore knows has a region named eu-wset-1" in done.stderr, done.stderr
    assert domains(json.loads(done.stdout)) == [] and take_calls(url) == [], done.stdout
    done = inventory(write(tmp_path, "a.domains.aws_search.yml", regions=["all"], region="us-esat-1"), url)
    assert "region named us-esat-1" in done.stderr and take_calls(url) == [], done.stderr


@pytest.mark.parametrize(
    "options,named",
    [
        (
            {"include_tag": True},
            "include_tag is not an option of the aws_search.cross_cluster.domains inventory (did you mean include_tags?)",
        ),
        (
            {"keyed_group": []},
            "keyed_group is not an option of the aws_search.cross_cluster.domains inventory (did you mean keyed_groups?)",
        ),
        ({"iam_role_arn": "arn:aws:iam::111111111111:role/x", "iam_roles_arn": []}, "iam_roles_arn is not an option"),
    ],
)
def test_an_option_the_inventory_does_not_know_fails_the_source_naming_the_closest(url, tmp_path, options, named):
    estate(url)
    done = inventory(write(tmp_path, "a.domains.aws_search.yml", **options), url)
    assert named in done.stderr and domains(json.loads(done.stdout)) == [], done.stderr
    assert take_calls(url) == []


def test_an_options_alias_is_an_option(url, tmp_path):
    estate(url)
    done = inventory(write(tmp_path, "a.domains.aws_search.yml", aws_region="us-east-1"), url)
    assert "is not an option" not in done.stderr and len(domains(json.loads(done.stdout))) == 4, done.stderr


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


def test_at_most_max_concurrency_accounts_are_read_at_once_each_with_its_own_credentials(url, tmp_path):
    accounts = [f"7777777777{number:02d}" for number in range(6)]
    for account in accounts:
        control(url, "accounts", {"account_id": account})
    fault(url, "AssumeRole", kind="slow", delay=0.3, count=len(accounts))
    roles = [f"arn:aws:iam::{account}:role/search-guard" for account in accounts]
    source = write(tmp_path, "a.domains.aws_search.yml", regions=["us-east-1"], iam_role_arns=roles, max_concurrency=2)
    done = inventory(source, url)
    assert done.returncode == 0 and not unreadable(json.loads(done.stdout)), done.stderr
    calls = control(url, "calls/take", {})["calls"]
    assumed = [call for call in calls if call["operation"] == "AssumeRole"]
    # However fast or slow the machine, no more than two roles are being assumed at any moment.
    in_flight = max(sum(1 for other in assumed if other["time"] <= call["time"] < other["ended"]) for call in assumed)
    assert len(assumed) == len(accounts) and in_flight <= 2, assumed
    listings = [call for call in calls if call["operation"] == "ListDomainNames"]
    assert sorted(call["account"] for call in listings) == accounts, listings


def test_wrong_account_options_fail_the_source_at_once_naming_the_option(url, tmp_path):
    source = write(tmp_path, "a.domains.aws_search.yml", regions=["all", "eu-west-1"])
    done = inventory(source, url)
    assert "regions: all stands alone" in done.stderr, done.stderr
    source = write(tmp_path, "a.domains.aws_search.yml", organization={}, role_name="bad name")
    done = inventory(source, url)
    assert "organization needs role_name" in done.stderr and "Traceback" not in done.stderr, done.stderr
    assert take_calls(url) == []


def test_an_organization_that_cannot_be_read_is_one_unreadable_host_naming_why(url, tmp_path):
    # The local endpoint plays no AWS Organizations: what it answers (no such operation) stands for any failure.
    source = write(tmp_path, "org.domains.aws_search.yml", organization={}, role_name="search-guard")
    listed = json.loads(inventory(source, url).stdout)
    assert domains(listed) == [], listed
    hosts = unreadable(listed)
    assert sorted(hosts) == sorted(f"unreadable.{region}.{source}" for region in REGIONS), hosts
    assert "Could not read the organization's accounts (list_roots)" in next(iter(hosts.values()))["unreadable_reason"]


def test_an_organization_with_no_account_left_is_an_empty_inventory_not_a_traceback(url, moto_url, tmp_path):
    keys = {"aws_access_key_id": "AKIDMOTO", "aws_secret_access_key": "moto"}
    organizations = boto3.client("organizations", region_name="us-east-1", endpoint_url=moto_url, **keys)
    organizations.create_organization(FeatureSet="ALL")
    management = organizations.describe_organization()["Organization"]["MasterAccountId"]
    organization = {"exclude_account_ids": [management]}
    source = write(tmp_path, "org.domains.aws_search.yml", organization=organization, role_name="guard", regions="all")
    environment = {"AWS_ENDPOINT_URL_ORGANIZATIONS": moto_url}
    done = inventory(source, url, **environment)
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    listed = json.loads(done.stdout)
    assert domains(listed) == [] and unreadable(listed) == {}, listed


def test_an_answer_without_the_domain_names_is_an_unreadable_region_never_no_domains_and_is_not_cached(url, tmp_path):
    estate(url)
    fault(url, "ListDomainNames", kind="garbage")
    cache = {"cache": True, "cache_plugin": "ansible.builtin.jsonfile", "cache_connection": str(tmp_path / "cache")}
    source = write(tmp_path, "a.domains.aws_search.yml", **cache)
    listed = json.loads(inventory(source, url).stdout)
    [host] = unreadable(listed).values()
    assert "ListDomainNames failed" in host["unreadable_reason"], host
    assert "could not be read as the API's JSON" in host["unreadable_reason"], host
    assert all(not name.endswith(f".{host['domain_region']}.{OWNER_A.account}") for name in domains(listed)), listed
    assert len(domains(listed)) >= 2, listed
    take_calls(url)
    again = json.loads(inventory(source, url).stdout)
    assert len(domains(again)) == 4 and unreadable(again) == {}, again
    assert take_calls(url).count("ListDomainNames") == 3


def test_an_answer_without_the_tags_makes_the_domain_unreadable_never_untagged(url, tmp_path):
    estate(url)
    fault(url, "ListTags", kind="garbage")
    path = write(tmp_path, "a.domains.aws_search.yml", regions=["us-east-1"], include_tags=True)
    listed = json.loads(inventory(path, url).stdout)
    [(name, host)] = unreadable(listed).items()
    assert "could not read the tags" in host["unreadable_reason"] and "no TagList" in host["unreadable_reason"], host
    assert name not in domains(listed) and len(domains(listed)) == 1, listed


def test_an_identity_or_role_answer_that_is_not_stss_makes_the_account_unreadable_not_the_source_unparsed(
    url, tmp_path
):
    estate(url)
    fault(url, "GetCallerIdentity", kind="garbage")
    done = inventory(write(tmp_path, "a.domains.aws_search.yml"), url)
    listed = json.loads(done.stdout)
    assert domains(listed) == [] and "Unable to parse" not in done.stderr, done.stderr
    assert sorted(host["domain_region"] for host in unreadable(listed).values()) == sorted(REGIONS), listed
    fault(url, "AssumeRole", kind="garbage")
    source = write(tmp_path, "a.domains.aws_search.yml", iam_role_arn=f"arn:aws:iam::{OWNER_A.account}:role/guard")
    done = inventory(source, url)
    hosts = unreadable(json.loads(done.stdout))
    assert len(hosts) == 3 and "Traceback" not in done.stderr, done.stderr
    reason = next(iter(hosts.values()))["unreadable_reason"]
    assert "Unable to assume role" in reason and "AssumeRole failed" in reason, reason


def test_an_answer_without_the_regions_is_an_unreadable_account_never_no_regions(url, tmp_path):
    estate(url)
    fault(url, "DescribeRegions", kind="garbage")
    done = inventory(write(tmp_path, "a.domains.aws_search.yml", regions=["all"]), url)
    listed = json.loads(done.stdout)
    [(name, host)] = unreadable(listed).items()
    assert name == f"unreadable.all.{OWNER_A.account}" and "DescribeRegions" in host["unreadable_reason"], host
    assert domains(listed) == [], listed


def test_each_host_says_when_its_source_read_aws_and_whether_this_run_took_it_from_the_cache(url, tmp_path):
    estate(url)
    cache = {"cache": True, "cache_plugin": "ansible.builtin.jsonfile", "cache_connection": str(tmp_path / "cache")}
    source = write(tmp_path, "a.domains.aws_search.yml", regions=["us-east-1"], **cache)
    first = json.loads(inventory(source, url).stdout)["_meta"]["hostvars"]
    again = json.loads(inventory(source, url).stdout)["_meta"]["hostvars"]
    read, cached = [plain(next(iter(hosts.values()))["inventory_read"]) for hosts in (first, again)]
    read, cached = ({key: plain(value) for key, value in found.items()} for found in (read, cached))
    assert read["from_cache"] is False and cached["from_cache"] is True, (read, cached)
    assert cached["read_at"] == read["read_at"] and read["read_at"].endswith("Z"), (read, cached)
    assert (read["accounts_excluded"], read["accounts_not_active"]) == (0, 0)
