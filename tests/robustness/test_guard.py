"""The guard playbook fails closed: whatever it could not read or decide (an account whose role cannot be assumed,
throttling past the retries, a refused tag read, a domain without an allowlist, credentials of another account, an
inventory without any domain) fails the run and is named in the report, which is written in every case; the other
parts of the estate are still decided."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any
from typing import Dict
from typing import List
from typing import Optional

from local_endpoint.client import control
from local_endpoint.client import seed

from .harness import OWNER_A
from .harness import fault
from .harness import playbook_environment
from .harness import take_calls

ACCOUNT, OTHER = "444444444444", "555555555555"
STRANGER = "333333333333"
WRITES = ("RejectInboundCrossClusterSearchConnection", "AcceptInboundCrossClusterSearchConnection")
WRITES += ("DeleteInboundCrossClusterSearchConnection",)


def domain(url: str, account: str, region: str, name: str, tags: Optional[dict] = None) -> None:
    spec: Dict[str, Any] = {"owner_id": account, "region": region, "domain_names": [name]}
    control(url, "hosted_domains", dict(spec, tags=tags) if tags else spec)
    seed(url, source={"owner_id": STRANGER}, destination={"owner_id": account, "region": region, "domain_name": name})


def source(folder: Path, name: str, url: str, regions: List[str], **options: Any) -> None:
    spec = {"plugin": "aws_search.cross_cluster.domains", "regions": regions, "endpoint_url": url, **options}
    (folder / name).write_text(json.dumps(spec))


def role(account: str) -> str:
    return f"arn:aws:iam::{account}:role/search-guard"


def guard(url: str, folder: Path, *options: str, unparsed: str = "true", **extra: Any) -> subprocess.CompletedProcess:
    extra.setdefault("report_dir", str(folder.parent / "report"))
    environment = playbook_environment(url, ANSIBLE_INVENTORY_ANY_UNPARSED_IS_FAILED=unparsed)
    environment.pop("ANSIBLE_PYTHON_INTERPRETER", None)
    command = ["ansible-playbook", "aws_search.cross_cluster.guard", "-i", str(folder), "-e", json.dumps(extra)]
    return subprocess.run(
        command + list(options),
        capture_output=True,
        text=True,
        env=environment,
        timeout=300,
        check=False,
        cwd=folder.parent,
    )


def report(folder: Path, name: str = "report.json") -> Dict[str, Any]:
    return json.loads((folder.parent / "report" / name).read_text())


def not_governed(found: Dict[str, Any]) -> Dict[str, str]:
    return {item["host"]: item["reason"] for item in found["not_governed"]}


def outcomes(found: Dict[str, Any]) -> Dict[str, List[str]]:
    return {
        f"{domain['domain_name']}.{region['region']}.{account['account_id']}": [
            row["outcome"] for row in domain["connections"]
        ]
        for account in found["accounts"]
        for region in account["regions"]
        for domain in region["domains"]
    }


def writes(url: str) -> List[str]:
    return [call for call in take_calls(url) if call in WRITES]


def inventory_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "inventory"
    folder.mkdir()
    return folder


def test_a_failed_policy_run_is_in_the_report_and_fails_the_run(url, tmp_path):
    control(url, "accounts", {"account_id": ACCOUNT})
    for region in ("us-east-1", "eu-west-1"):
        domain(url, ACCOUNT, region, "shared-logs")
    folder = inventory_folder(tmp_path)
    source(folder, "a.domains.aws_search.yml", url, ["us-east-1", "eu-west-1"], iam_role_arn=role(ACCOUNT))
    fault(url, "DescribeInboundCrossClusterSearchConnections", code="AccessDeniedException")
    done = guard(url, folder, allow=[])
    assert done.returncode != 0 and "es:DescribeInboundConnections" in done.stdout, done.stdout
    found = report(folder)
    regions = found["accounts"][0]["regions"]
    failed = [region for region in regions if region["failures"]]
    decided = [region for region in regions if not region["failures"]]
    assert len(failed) == 1 and "es:DescribeInboundConnections" in failed[0]["failures"][0], regions
    assert [row["outcome"] for row in decided[0]["domains"][0]["connections"]] == ["rejected"]
    assert found["summary"]["failures"] == 1 and found["summary"]["rejected"] == 1


def test_an_account_whose_role_cannot_be_assumed_fails_the_run_and_the_report_names_it(url, tmp_path):
    control(url, "accounts", {"account_id": ACCOUNT})
    domain(url, ACCOUNT, "us-east-1", "shared-logs")
    folder = inventory_folder(tmp_path)
    source(folder, "good.domains.aws_search.yml", url, ["us-east-1"], iam_role_arn=role(ACCOUNT))
    source(folder, "bad.domains.aws_search.yml", url, ["us-east-1"], iam_role_arn=role("999999999999"))
    done = guard(url, folder, allow=[])
    assert done.returncode != 0 and "unreadable.us-east-1.999999999999 not governed" in done.stdout, done.stdout
    found = report(folder)
    assert "Unable to assume role" in not_governed(found)["unreadable.us-east-1.999999999999"], found
    assert found["access"]["not_governed"] == 1
    assert outcomes(found) == {f"shared-logs.us-east-1.{ACCOUNT}": ["rejected"]}, found


def test_throttling_past_the_retries_fails_the_run_and_the_other_region_is_decided(url, tmp_path):
    control(url, "accounts", {"account_id": ACCOUNT})
    domain(url, ACCOUNT, "us-east-1", "shared-logs")
    folder = inventory_folder(tmp_path)
    source(folder, "a.domains.aws_search.yml", url, ["us-east-1"], iam_role_arn=role(ACCOUNT))
    source(folder, "b.domains.aws_search.yml", url, ["eu-west-1"], iam_role_arn=role(ACCOUNT))
    # The first source's listing runs first and gets every throttled answer (botocore's standard retries: 5).
    fault(url, "ListDomainNames", code="ThrottlingException", count=5)
    seed(url, source={"owner_id": STRANGER}, destination={"owner_id": ACCOUNT, "region": "eu-west-1"})
    done = guard(url, folder, allow=[])
    assert done.returncode != 0, done.stdout
    reasons = not_governed(report(folder))
    assert list(reasons) == [f"unreadable.us-east-1.{ACCOUNT}"] and "ThrottlingException" in str(reasons), reasons


def test_a_refused_tag_read_keeps_the_domain_out_of_the_estate_wide_allowlist(url, tmp_path):
    domain(url, OWNER_A.account, "us-east-1", "secret-logs", tags={"data-classification": "secret"})
    folder = inventory_folder(tmp_path)
    keyed = [{"key": "domain_tags['data-classification'] | default('unclassified')", "prefix": "classification"}]
    source(folder, "a.domains.aws_search.yml", url, ["us-east-1"], include_tags=True, keyed_groups=keyed)
    fault(url, "ListTags", code="AccessDeniedException")
    take_calls(url)
    # Estate-wide, STRANGER is a partner whose requests are accepted: never into secret data by accident.
    done = guard(url, folder, allow=[{"owner_id": STRANGER}], allowed="accept")
    assert done.returncode != 0, done.stdout
    found = report(folder)
    assert "could not read the tags" in not_governed(found)[f"secret-logs.us-east-1.{OWNER_A.account}"], found
    assert writes(url) == [] and found["summary"]["domains"] == 0, found


def test_a_domain_without_an_allowlist_fails_the_run_after_the_others_are_decided_and_the_report_is_written(
    url, tmp_path
):
    domain(url, OWNER_A.account, "us-east-1", "secret-logs", tags={"data-classification": "secret"})
    domain(url, OWNER_A.account, "us-east-1", "loose-logs")
    folder = inventory_folder(tmp_path)
    keyed = [{"key": "domain_tags['data-classification'] | default('unclassified')", "prefix": "classification"}]
    source(folder, "a.domains.aws_search.yml", url, ["us-east-1"], include_tags=True, keyed_groups=keyed)
    (folder / "group_vars").mkdir()
    (folder / "group_vars" / "classification_secret.yml").write_text(json.dumps({"guard_allow": []}))
    done = guard(url, folder)
    assert done.returncode != 0 and "no allowlist" in done.stdout, done.stdout
    found = report(folder)
    assert list(not_governed(found)) == [f"loose-logs.us-east-1.{OWNER_A.account}"], found
    assert outcomes(found) == {f"secret-logs.us-east-1.{OWNER_A.account}": ["rejected"]}, found


def test_an_inventory_without_any_domain_fails_the_run_and_names_its_sources(url, tmp_path):
    folder = inventory_folder(tmp_path)
    source(folder, "a.domains.aws_search.yml", url, ["us-east-1"])
    # A relative report_dir is where ansible-playbook runs (here tmp_path), not the collection's playbooks folder.
    done = guard(url, folder, allow=[], report_dir="relative-report")
    assert done.returncode != 0 and "no domain was governed" in done.stdout, done.stdout
    found = json.loads((tmp_path / "relative-report" / "report.json").read_text())
    assert str(folder) in found["sources"][0], found


def test_a_source_ansible_cannot_parse_fails_the_run_with_or_without_the_setting(url, tmp_path):
    domain(url, OWNER_A.account, "us-east-1", "shared-logs")
    folder = inventory_folder(tmp_path)
    source(folder, "a.domains.aws_search.yml", url, ["us-east-1"])
    source(folder, "b.domains.aws_search.yml", url, ["us-east-1"], engine_types=["Solr"])
    # A source of the plugin under another name is never read either (the plugin reads *domains.aws_search.yml).
    source(folder, "c.yml", url, ["us-east-1"])
    # A source that lists no domain at all was read all the same.
    control(url, "accounts", {"account_id": OTHER})
    source(folder, "d.domains.aws_search.yml", url, ["eu-west-1"], iam_role_arn=role(OTHER))
    take_calls(url)
    done = guard(url, folder, allow=[])
    assert done.returncode != 0 and "b.domains.aws_search.yml" in done.stdout + done.stderr, done.stdout
    assert writes(url) == [] and not (tmp_path / "report").exists()
    # Without the setting (Ansible's default), the guard decides the rest, writes the report and fails the run.
    done = guard(url, folder, allow=[], unparsed="false")
    said = " ".join(done.stdout.split())
    assert (
        done.returncode != 0 and "b.domains.aws_search.yml is one of the domains inventory's, and was not read" in said
    )
    assert "c.yml is one of the domains inventory's" in said and "d.domains.aws_search.yml is one" not in said, said
    assert writes(url) == ["RejectInboundCrossClusterSearchConnection"]
    assert [item["host"] for item in report(folder)["not_governed"]] == ["inventory", "inventory"], report(folder)


def test_a_source_without_a_role_in_another_account_than_the_plays_credentials_is_refused(url, tmp_path):
    # The play's credentials are OWNER_A's; the domains come from a source whose own keys are ACCOUNT's.
    keys = control(url, "accounts", {"account_id": ACCOUNT})
    domain(url, ACCOUNT, "us-east-1", "shared-logs")
    folder = inventory_folder(tmp_path)
    own_keys = {"aws_access_key_id": keys["access_key"], "aws_secret_access_key": keys["secret_key"]}
    source(folder, "a.domains.aws_search.yml", url, ["us-east-1"], **own_keys)
    take_calls(url)
    done = guard(url, folder, allow=[])
    assert done.returncode != 0 and "give that source the account's role" in done.stdout, done.stdout
    assert writes(url) == [] and report(folder)["summary"]["failures"] == 1


def test_a_role_of_another_account_is_refused_and_a_role_that_fails_says_why(url, tmp_path):
    for account in (ACCOUNT, OTHER):
        control(url, "accounts", {"account_id": account})
    domain(url, ACCOUNT, "us-east-1", "shared-logs")
    domain(url, ACCOUNT, "eu-west-1", "other-logs")
    folder = inventory_folder(tmp_path)
    source(folder, "a.domains.aws_search.yml", url, ["us-east-1", "eu-west-1"], iam_role_arn=role(ACCOUNT))
    # As a stale cache would after an edited iam_role_arn: the domains are ACCOUNT's, the role another's.
    (folder / "host_vars").mkdir()
    (folder / "host_vars" / f"shared-logs.us-east-1.{ACCOUNT}.yml").write_text(
        json.dumps({"account_role_arn": role(OTHER)})
    )
    (folder / "host_vars" / f"other-logs.eu-west-1.{ACCOUNT}.yml").write_text(
        json.dumps({"account_role_arn": role("999999999999")})
    )
    take_calls(url)
    done = guard(url, folder, allow=[])
    assert done.returncode != 0, done.stdout
    failures = [
        failure
        for account in report(folder)["accounts"]
        for region in account["regions"]
        for failure in region["failures"]
    ]
    assert any(
        f"is in account {OTHER}, not in the domains' account {ACCOUNT}" in failure for failure in failures
    ), failures
    assert any("sts:AssumeRole" in failure and "censored" not in failure for failure in failures), failures
    assert writes(url) == []


def test_each_run_assumes_its_role_through_the_inventorys_sts_region_with_a_session_name_of_its_own(url, tmp_path):
    control(url, "accounts", {"account_id": ACCOUNT})
    domain(url, ACCOUNT, "eu-west-1", "shared-logs")
    folder = inventory_folder(tmp_path)
    source(folder, "a.domains.aws_search.yml", url, ["eu-west-1"], iam_role_arn=role(ACCOUNT), region="us-west-2")
    take_calls(url)
    assert guard(url, folder, allow=[]).returncode == 0
    calls = control(url, "calls/take", {})["calls"]
    assumed = [call for call in calls if call["operation"] == "AssumeRole"]
    # The inventory's AssumeRole, then the guard's: both through us-west-2, the guard's named for its run.
    assert [call["region"] for call in assumed] == ["us-west-2", "us-west-2"], assumed
    session = assumed[-1]["session_name"]
    assert session.startswith("aws-search-guard-20") and session.endswith("Z") and len(session) == 33, session


def test_a_limited_or_tagged_run_fails_at_once_pointing_at_guard_hosts_and_decides_nothing(url, tmp_path):
    control(url, "accounts", {"account_id": ACCOUNT})
    domain(url, ACCOUNT, "us-east-1", "logs-a")
    folder = inventory_folder(tmp_path)
    source(folder, "a.domains.aws_search.yml", url, ["us-east-1"], iam_role_arn=role(ACCOUNT))
    # A limit that matches no host of the inventory (the implicit localhost is none) ends ansible-playbook itself.
    assert guard(url, folder, "--limit", "localhost", allow=[]).returncode != 0
    limits = (["--limit", "logs*"], ["--limit", "all"], ["--tags", "report"], ["--skip-tags", "x"])
    # Tags cannot skip the check either: it is no task.
    for options in limits + (["--skip-tags", "always"], ["--tags", "x", "--skip-tags", "always,never"]):
        done = guard(url, folder, *options, allow=[])
        said = " ".join((done.stdout + done.stderr).split())
        assert done.returncode != 0, (options, said)
        assert (
            "failed: Run the guard without --limit, --tags or --skip-tags, and narrow the estate with -e" in said
        ), said
    assert writes(url) == []
    assert not (tmp_path / "report").exists()
    done = guard(url, folder, allow=[])
    assert done.returncode == 0 and writes(url) == ["RejectInboundCrossClusterSearchConnection"], done.stdout


def test_a_report_dir_that_cannot_be_written_fails_the_run_at_once_before_any_call_of_the_guard(url, tmp_path):
    control(url, "accounts", {"account_id": ACCOUNT})
    domain(url, ACCOUNT, "us-east-1", "logs-a")
    folder = inventory_folder(tmp_path)
    source(folder, "a.domains.aws_search.yml", url, ["us-east-1"], iam_role_arn=role(ACCOUNT))
    (tmp_path / "taken").write_text("a file where the report's folder should be")
    take_calls(url)
    done = guard(url, folder, allow=[], report_dir=str(tmp_path / "taken" / "report"))
    said = " ".join((done.stdout + done.stderr).split())
    assert done.returncode != 0 and "Give a report_dir you can write: the report could not be written in" in said
    guard_calls = [
        call for call in take_calls(url) if call not in ("AssumeRole", "GetCallerIdentity", "ListDomainNames")
    ]
    assert guard_calls == [], guard_calls


def test_an_allowlist_written_as_a_mapping_is_one_sentence_and_decides_nothing(url, tmp_path):
    control(url, "accounts", {"account_id": ACCOUNT})
    domain(url, ACCOUNT, "us-east-1", "logs-a")
    folder = inventory_folder(tmp_path)
    source(folder, "a.domains.aws_search.yml", url, ["us-east-1"], iam_role_arn=role(ACCOUNT))
    done = guard(url, folder, allow={"owner_id": "222222222222"})
    said = " ".join((done.stdout + done.stderr).split())
    assert done.returncode != 0 and "not governed: allow (or guard_allow) must be a list of entries" in said, said
    assert "unable to convert to list" not in said and writes(url) == []


def test_a_misspelled_setting_or_a_hand_written_domain_host_fails_the_run_naming_it_and_the_report_is_written(
    url, tmp_path
):
    control(url, "accounts", {"account_id": ACCOUNT})
    domain(url, ACCOUNT, "us-east-1", "logs-a")
    folder = inventory_folder(tmp_path)
    source(folder, "a.domains.aws_search.yml", url, ["us-east-1"], iam_role_arn=role(ACCOUNT))
    done = guard(url, folder, allow=[], revok=True)
    assert done.returncode != 0 and "revok (did you mean revoke?) is not a guard setting" in done.stdout, done.stdout
    assert writes(url) == [] and "revok (did you mean revoke?)" in str(not_governed(report(folder)))
    (folder / "hand.ini").write_text("[aws_search_domains]\nhand-written domain_name=old-logs\n")
    done = guard(url, folder, allow=[])
    assert done.returncode != 0 and "Traceback" not in done.stdout + done.stderr, done.stdout
    reasons = not_governed(report(folder))
    assert reasons["hand-written"].startswith("it has no account_id, domain_region (as text)"), reasons
    assert writes(url) == ["RejectInboundCrossClusterSearchConnection"]


def test_the_report_says_when_the_inventory_came_from_the_cache_and_how_old_it_was(url, tmp_path):
    control(url, "accounts", {"account_id": ACCOUNT})
    domain(url, ACCOUNT, "us-east-1", "logs-a")
    folder = inventory_folder(tmp_path)
    cache = {"cache": True, "cache_plugin": "ansible.builtin.jsonfile", "cache_connection": str(tmp_path / "cache")}
    source(folder, "a.domains.aws_search.yml", url, ["us-east-1"], iam_role_arn=role(ACCOUNT), **cache)
    assert guard(url, folder, allow=[]).returncode == 0
    assert report(folder)["inventory"]["from_cache"] == []
    assert guard(url, folder, allow=[]).returncode == 0
    [cached] = report(folder)["inventory"]["from_cache"]
    assert cached["source"].endswith("a.domains.aws_search.yml") and cached["read_at"].endswith("Z"), cached
    said = " ".join((tmp_path / "report" / "report.md").read_text().split())
    assert "came from the inventory cache: AWS was read at" in said and "before this run" in said, said


def test_a_check_run_with_nothing_to_do_shows_the_run_as_ok_and_its_diff_says_what_changed_in_words(url, tmp_path):
    control(url, "accounts", {"account_id": ACCOUNT})
    domain(url, ACCOUNT, "us-east-1", "logs-a")
    folder = inventory_folder(tmp_path)
    source(folder, "a.domains.aws_search.yml", url, ["us-east-1"], iam_role_arn=role(ACCOUNT))
    allow = [{"owner_id": OTHER}, {"owner_id": STRANGER}]
    assert guard(url, folder, allow=allow).returncode == 0
    seed(url, source={"owner_id": OTHER}, destination={"owner_id": ACCOUNT, "domain_name": "logs-a"}, status="ACTIVE")
    done = guard(url, folder, "--check", "--diff", allow=allow)
    assert done.returncode == 0, done.stdout
    # Taking the role changes nothing: the run, which does nothing else, is ok.
    run_task = done.stdout.split("TASK [Decide the requests to these domains")[1].split("TASK [")[0]
    assert "ok: [guard-" in run_task and "changed:" not in run_task, run_task
    assert (
        f"Account {OTHER} can now reach {ACCOUNT} us-east-1 logs-a, by cross-cluster connection" in done.stdout
        and '"accounts": [' not in done.stdout
    ), done.stdout
