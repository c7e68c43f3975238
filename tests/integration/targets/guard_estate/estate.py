"""Three accounts, each with two domains in each of three regions of the local AWS endpoint, discovered by the
domains inventory (one file per account, each assuming its own role) and governed by the guard playbook: in check
mode first (nothing written, the report says what would be done), then for real, which does exactly that."""

import json
import os
import subprocess
import sys
import urllib.request
from pathlib import Path

import boto3

CONFIG = json.loads(Path("../../integration_config.yml").read_text())
URL = CONFIG["local_endpoint_url"]
ACCOUNTS = ("444444444444", "555555555555", "666666666666")
REGIONS = ("us-east-1", "eu-west-1", "ap-southeast-2")
PARTNER, STRANGER = "222222222222", "333333333333"


# An access policy open to everyone.
OPEN_POLICY = {"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "es:*", "Resource": "*"}]}


def policy(*principals):
    """An access policy with one statement per principal, each letting it search the data."""
    statements = [
        {"Sid": f"s{n}", "Effect": "Allow", "Principal": {"AWS": who}, "Action": "es:ESHttp*", "Resource": "*"}
        for n, who in enumerate(principals)
    ]
    return {"Version": "2012-10-17", "Statement": statements}


def control(path, body=None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(f"{URL}/_control/{path}", data=data, method="POST" if data else "GET")
    with urllib.request.urlopen(request, timeout=10) as answer:  # nosec B310 - the local endpoint
        return json.load(answer)


def build_estate():
    """Each domain gets a partner's request (allowed), a stranger's request and a stranger's accepted connection."""
    control("reset", {})
    for account in ACCOUNTS:
        control("accounts", {"account_id": account})
        for region in REGIONS:
            for name, classification in (("secret-logs", "secret"), ("public-logs", "public")):
                tags = {"data-classification": classification}
                control("hosted_domains", {"owner_id": account, "region": region, "domain_names": [name], "tags": tags})
                destination = {"owner_id": account, "region": region, "domain_name": name}
                for owner, status in (
                    (PARTNER, "PENDING_ACCEPTANCE"),
                    (STRANGER, "PENDING_ACCEPTANCE"),
                    (STRANGER, "ACTIVE"),
                ):
                    control(
                        "connections", {"source": {"owner_id": owner}, "destination": destination, "status": status}
                    )
    control("settings", {"transition_seconds": 3600})


def write_inventory(folder):
    for account in ACCOUNTS:
        source = {
            "plugin": "aws_search.cross_cluster.domains",
            "regions": list(REGIONS),
            "iam_role_arn": f"arn:aws:iam::{account}:role/search-guard",
            "endpoint_url": URL,
            "include_tags": True,
            "keyed_groups": [{"key": "domain_tags['data-classification']", "prefix": "classification"}],
        }
        (folder / f"{account}.domains.aws_search.yml").write_text(json.dumps(source))
    (folder / "group_vars").mkdir()
    # Secret data: accept the partner's requests too, and revoke what the allowlist no longer allows.
    (folder / "group_vars" / "classification_secret.yml").write_text(
        json.dumps({"guard_allowed": "accept", "guard_revoke": True})
    )


def run(*command, check=True, **settings):
    environment = dict(
        os.environ,
        AWS_ACCESS_KEY_ID=CONFIG["owner_a"]["access_key"],
        AWS_SECRET_ACCESS_KEY=CONFIG["owner_a"]["secret_key"],
        AWS_ENDPOINT_URL=URL,
        ANSIBLE_PYTHON_INTERPRETER=sys.executable,
        ANSIBLE_LOCALHOST_WARNING="false",
        ANSIBLE_INVENTORY_ANY_UNPARSED_IS_FAILED="true",
    )
    environment.update(settings)
    # The guard runs its modules with the controller's Python by itself (the inventory and add_host say so).
    environment = {key: value for key, value in environment.items() if value is not None}
    done = subprocess.run(command, capture_output=True, text=True, env=environment, check=False)
    print(done.stdout[-4000:], done.stderr[-4000:])
    assert not check or done.returncode == 0, f"{command} failed"
    return done


def said(done):
    """What a run printed, its whitespace made one space: ansible-core 2.17 wraps warnings at the terminal's width."""
    return " ".join((done.stdout + done.stderr).split())


def plain(value):
    return value["__ansible_unsafe"] if isinstance(value, dict) and "__ansible_unsafe" in value else value


TAKEN = []


def calls():
    """The operations called since the last take; TAKEN keeps the calls themselves (account, region...)."""
    TAKEN[:] = control("calls/take", {})["calls"]
    return [call["operation"] for call in TAKEN]


def check_inventory(folder):
    graph = run("ansible-inventory", "-i", str(folder), "--graph").stdout
    assert "@classification_secret:" in graph and "@classification_public:" in graph, graph
    listed = json.loads(run("ansible-inventory", "-i", str(folder), "--list").stdout)
    assert len(listed["_meta"]["hostvars"]) == 18 and len(listed["classification_secret"]["hosts"]) == 9, listed
    host = listed["_meta"]["hostvars"]["secret-logs.eu-west-1.555555555555"]
    # What was read from AWS is unsafe: ansible-inventory shows it wrapped.
    assert host["account_id"] == {"__ansible_unsafe": "555555555555"}, host
    assert host["domain_tags"] == {"data-classification": {"__ansible_unsafe": "secret"}}, host
    assert plain(host["ansible_connection"]) == "local", host
    assert host["ansible_python_interpreter"] == "{{ ansible_playbook_python }}", host
    assert plain(host["account_role_arn"]).endswith("555555555555:role/search-guard"), host
    inventory_calls = calls()
    # Per account: the role, the caller's identity, a listing per region, the tags of each domain.
    assert inventory_calls.count("AssumeRole") == 3 * 2, inventory_calls
    assert inventory_calls.count("ListDomainNames") == 3 * 3 * 2 and inventory_calls.count("ListTags") == 18 * 2


def domains_source(account, regions, **more):
    """A domains inventory source of one account, through its role search-guard, on the local endpoint."""
    source = {
        "plugin": "aws_search.cross_cluster.domains",
        "regions": list(regions),
        "iam_role_arn": f"arn:aws:iam::{account}:role/search-guard",
        "endpoint_url": URL,
    }
    return dict(source, **more)


def write_source(folder, account, regions, **more):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{account}.domains.aws_search.yml").write_text(json.dumps(domains_source(account, regions, **more)))


def run_guard(folder, settings, *options, succeeds=True, **environment):
    """The guard as the README shows it (the settings in a file given with -e @), its calls taken into TAKEN."""
    written = folder.parent / "allow.json"
    written.write_text(json.dumps(settings))
    environment = dict({"ANSIBLE_INVENTORY_ANY_UNPARSED_IS_FAILED": None}, **environment)
    command = ("ansible-playbook", "aws_search.cross_cluster.guard", "-i", str(folder), "-e", f"@{written}")
    done = run(*command, *options, ANSIBLE_PYTHON_INTERPRETER=None, check=succeeds, **environment)
    assert succeeds or done.returncode != 0, done.stdout[-3000:]
    calls()
    return done


def account_client(account, region, service="es"):
    """A client of the account's own key pair at the local endpoint: the domain owner acting outside the guard."""
    key = control("accounts", {"account_id": account})
    return boto3.client(
        service,
        region_name=region,
        endpoint_url=URL,
        aws_access_key_id=key["access_key"],
        aws_secret_access_key=key["secret_key"],
    )


def guard(folder, report, *options, name="report.json", succeeds=True):
    # The stranger's connections to public domains are left (revoke is off there): findings, reported only.
    settings = {"allow": [{"owner_id": PARTNER}], "report_dir": str(report), "findings": "report"}
    done = run_guard(
        folder,
        settings,
        "--forks",
        "8",
        *options,
        succeeds=succeeds,
        ANSIBLE_STDOUT_CALLBACK="json",
        ANSIBLE_SHOW_CUSTOM_STATS="true",
        ANSIBLE_INVENTORY_ANY_UNPARSED_IS_FAILED="true",
    )
    inventory = ("AssumeRole", "GetCallerIdentity", "ListDomainNames", "ListTags")
    operations = [call["operation"] for call in TAKEN if call["operation"] not in inventory]
    stats = json.loads(done.stdout[done.stdout.find("{") :])["global_custom_stats"]["aws_search_guard"]
    return operations, json.loads((report / name).read_text()), stats


def main(output):
    folder = Path(output) / "inventory"
    folder.mkdir(parents=True)
    build_estate()
    write_inventory(folder)
    calls()
    check_inventory(folder)
    report = Path(output) / "report"
    # One listing per account, region and distinct allowlist: 3 x 3 x 2 (secret and public settings differ).
    operations, predicted, stats = guard(folder, report, "--check", "--diff", name="report-check.json")
    # And one describe of each run's domains (one domain a run here): every path is read, none of them in a VPC.
    assert (
        sorted(operations)
        == ["DescribeElasticsearchDomains"] * 18 + ["DescribeInboundCrossClusterSearchConnections"] * 18
    )
    assert "ListVpcEndpointAccess" not in operations, operations
    assert not (report / "report.json").exists() and stats["summary"] == predicted["summary"], stats
    expected = {"domains": 18, "connections": 54, "accepted": 9, "rejected": 18, "revoked": 9}
    assert {key: predicted["summary"][key] for key in expected} == expected, predicted["summary"]
    assert predicted["check_mode"] is True and predicted["summary"]["failures"] == 0
    assert predicted["summary"]["pending_for_a_person"] == 9  # the partner's requests to public domains: leave
    # Who can search after the run: on secret domains the partner (accepted), on public ones the stranger (left).
    # The stranger's connections left on public domains are access nobody allowed: 9 findings, reported only.
    assert predicted["access"] == {
        "findings": 9,
        "domains_open_to_everyone": 0,
        "domains_reachable_from_another_account": 18,
        "outside_accounts": 2,
        "not_governed": 0,
    }
    assert {(item["path"], item["who"], item["fails_the_run"]) for item in predicted["findings"]} == {
        ("connection", STRANGER, False)
    }
    operations, done, stats = guard(folder, report)
    writes = [operation for operation in operations if not operation.startswith("Describe")]
    assert operations.count("DescribeInboundCrossClusterSearchConnections") == 18 and len(writes) == 9 + 18 + 9
    assert operations.count("DescribeElasticsearchDomains") == 18, operations
    assert done["summary"] == dict(predicted["summary"]), (done["summary"], predicted["summary"])
    assert done["check_mode"] is False and "<script" not in (report / "report.html").read_text()
    assert done["access"] == predicted["access"] and (report / "report-check.json").exists()
    assert stats["can_search"][0]["accounts"] and stats["problems"] == [], stats
    # Again, twice: the first finds the estate settled (nothing to do), the second finds what the first found, so the
    # report says the same and its files are left as they are.
    operations, settled, stats = guard(folder, report)
    assert settled["summary"]["rejected"] == 0 and settled["access"] == done["access"], settled["summary"]
    written = (report / "report.json").stat().st_mtime_ns
    operations, again, stats = guard(folder, report)
    assert (report / "report.json").stat().st_mtime_ns == written and again == settled
    assert not any(value for key, value in stats["changes"].items() if key != "since"), stats["changes"]
    # A new request from the partner to a secret domain is accepted: the partner gained nothing it had not (it could
    # already search there), but the connection is new.
    destination = {"owner_id": ACCOUNTS[0], "region": REGIONS[0], "domain_name": "secret-logs"}
    control("connections", {"source": {"owner_id": PARTNER}, "destination": destination})
    operations, changed, stats = guard(folder, report)
    assert [c["domain_name"] for c in changed["changes"]["new_connections"]] == ["secret-logs"], changed["changes"]
    assert stats["changes"] == changed["changes"]
    print("guard_estate: all checks passed")


if __name__ == "__main__":
    main(sys.argv[1])
