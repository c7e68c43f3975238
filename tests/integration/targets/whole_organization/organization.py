"""One inventory source and one event-source activation for a whole AWS Organization: moto's server plays AWS
Organizations; the local endpoint plays STS (AssumeRole into each account), EC2 DescribeRegions (each account's enabled
regions) and the domains of each account; botocore's per-service endpoint settings (AWS_ENDPOINT_URL_ORGANIZATIONS)
route each service.

The organization: OUs workloads and workloads/production (nested), an account in each and one in the root, the
management account (excluded), an excluded account, a suspended account, an account whose role cannot be assumed,
and an account that has enabled the opt-in region eu-south-1 (the others have not)."""

import asyncio
import json
import logging
import os
import subprocess
import sys
import urllib.request
from pathlib import Path

import boto3

CONFIG = json.loads(Path("../../integration_config.yml").read_text())
URL, MOTO = CONFIG["local_endpoint_url"], CONFIG["moto_endpoint_url"]
ROLE = "security/search-guard"
OPT_IN = "eu-south-1"
PARTNER, STRANGER = "222222222222", "333333333333"


def control(path, body=None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(f"{URL}/_control/{path}", data=data, method="POST" if data else "GET")
    with urllib.request.urlopen(request, timeout=10) as answer:  # nosec B310 - the local endpoint
        return json.load(answer)


def organizations():
    return boto3.client(
        "organizations",
        region_name="us-east-1",
        endpoint_url=MOTO,
        aws_access_key_id="AKIDMOTOORGADMIN01",
        aws_secret_access_key="moto-any-secret",
    )


def new_account(client, root, parent, name):
    status = client.create_account(Email=f"{name}@example.com", AccountName=name)["CreateAccountStatus"]
    if parent not in (root, None):
        client.move_account(AccountId=status["AccountId"], SourceParentId=root, DestinationParentId=parent)
    return status["AccountId"]


def build_organization():
    """The organization in moto (built once per moto server), and each readable account's domains at the endpoint."""
    client = organizations()
    client.create_organization(FeatureSet="ALL")
    root = client.list_roots()["Roots"][0]["Id"]
    management = client.describe_organization()["Organization"]["MasterAccountId"]
    workloads = client.create_organizational_unit(ParentId=root, Name="workloads-inv")["OrganizationalUnit"]["Id"]
    production = client.create_organizational_unit(ParentId=workloads, Name="production-inv")["OrganizationalUnit"]
    names = ("in-root", "in-workloads", "in-production", "excluded", "suspended", "no-role", "opted-in")
    parents = (root, workloads, production["Id"], workloads, production["Id"], production["Id"], workloads)
    accounts = {name: new_account(client, root, parent, name) for name, parent in zip(names, parents)}
    client.close_account(AccountId=accounts["suspended"])
    control("reset", {})
    for name, account in accounts.items():
        if name == "no-role":
            continue  # the endpoint does not know it: its role cannot be assumed, as when it does not trust us
        opted_in = [OPT_IN] if name == "opted-in" else []
        control("accounts", {"account_id": account, "opted_in_regions": opted_in, "roles": [ROLE]})
        for region in ["us-east-1"] + opted_in:
            control("hosted_domains", {"owner_id": account, "region": region, "domain_names": ["logs"]})
            destination = {"owner_id": account, "region": region, "domain_name": "logs"}
            for owner in (PARTNER, STRANGER):
                control("connections", {"source": {"owner_id": owner}, "destination": destination})
    control("settings", {"transition_seconds": 3600})
    return {"management": management, "workloads": workloads, **accounts}


def run_environment():
    """The controller's credentials (account 111111111111, which assumes the roles), and each service's endpoint."""
    return {
        "AWS_ACCESS_KEY_ID": CONFIG["owner_a"]["access_key"],
        "AWS_SECRET_ACCESS_KEY": CONFIG["owner_a"]["secret_key"],
        "AWS_ENDPOINT_URL": URL,
        "AWS_ENDPOINT_URL_ORGANIZATIONS": MOTO,
    }


def run(*command, check=True, **settings):
    environment = dict(os.environ, **run_environment())
    environment.update(ANSIBLE_LOCALHOST_WARNING="false", ANSIBLE_INVENTORY_ANY_UNPARSED_IS_FAILED="true")
    environment.update(settings)
    done = subprocess.run(command, capture_output=True, text=True, env=environment, check=False)
    print(done.stdout[-4000:], done.stderr[-4000:])
    assert not check or done.returncode == 0, f"{command} failed"
    return done


def plain(value):
    return value["__ansible_unsafe"] if isinstance(value, dict) and "__ansible_unsafe" in value else value


def calls():
    return control("calls/take", {})["calls"]


def inventory(folder, name, source):
    (folder / f"{name}.domains.aws_search.yml").write_text(
        json.dumps({"plugin": "aws_search.cross_cluster.domains", **source})
    )
    return json.loads(run("ansible-inventory", "-i", str(folder), "--list").stdout)


def check_organization(folder, org):
    """regions: all over the organization, the management and one account excluded."""
    excluded = [org["management"], org["excluded"]]
    source = {"organization": {"exclude_account_ids": excluded}, "role_name": ROLE, "regions": "all"}
    listed = inventory(folder, "organization", source)
    hosts = listed["_meta"]["hostvars"]
    readable = ("in-root", "in-workloads", "in-production", "opted-in")
    expected = {f"logs.us-east-1.{org[name]}" for name in readable} | {f"logs.{OPT_IN}.{org['opted-in']}"}
    assert set(listed["aws_search_domains"]["hosts"]) == expected, listed
    assert listed["aws_search_unreadable"]["hosts"] == [f"unreadable.all.{org['no-role']}"], listed
    reason = plain(hosts[f"unreadable.all.{org['no-role']}"]["unreadable_reason"])
    assert f"Unable to assume role arn:aws:iam::{org['no-role']}:role/{ROLE}" in reason, reason
    host = hosts[f"logs.{OPT_IN}.{org['opted-in']}"]
    assert plain(host["account_role_arn"]) == f"arn:aws:iam::{org['opted-in']}:role/{ROLE}", host
    assert plain(host["account_id"]) == org["opted-in"], host
    for name in ("excluded", "suspended", "management"):
        assert not [h for h in hosts if org[name] in h], (name, hosts)
    made = calls()
    operations = [call["operation"] for call in made]
    # Five roles (four readable accounts and the one refused), one DescribeRegions per readable account, one listing
    # per enabled region: never a listing in an opt-in region an account has not enabled.
    assert operations.count("AssumeRole") == 5, operations
    sessions = {call["session_name"] for call in made if call["operation"] == "AssumeRole"}
    assert sessions == {"aws-search-domains-inventory"}, sessions
    assert operations.count("DescribeRegions") == 4, operations
    assert operations.count("ListDomainNames") == 4 * ENABLED_BY_DEFAULT + 1, operations
    opted_in_listings = {
        call["account"] for call in made if call["operation"] == "ListDomainNames" and call["region"] == OPT_IN
    }
    assert opted_in_listings == {org["opted-in"]}, opted_in_listings
    assert not [call for call in made if call.get("status") != 200 and call["operation"] != "AssumeRole"], made
    return folder / "organization.domains.aws_search.yml"


# The regions AWS enables in every account (the others of partition aws are opt-in).
ENABLED_BY_DEFAULT = 17


def check_listed_regions(folder, org):
    """An opt-in region named in regions: the accounts that have not enabled it refuse there, as AWS does."""
    source = {"iam_role_arns": [f"arn:aws:iam::{org[name]}:role/{ROLE}" for name in ("in-root", "opted-in")]}
    source.update(regions=["us-east-1", OPT_IN])
    listed = inventory(folder, "listed", source)
    (folder / "listed.domains.aws_search.yml").unlink()
    assert listed["aws_search_unreadable"]["hosts"] == [f"unreadable.{OPT_IN}.{org['in-root']}"], listed
    assert len(listed["aws_search_domains"]["hosts"]) == 3, listed
    calls()


def check_role_name(folder, org):
    """A role name without its path is another role, which the accounts do not have: every account unreadable."""
    source = {"iam_role_arns": [f"arn:aws:iam::{org['in-root']}:role/search-guard"], "regions": ["us-east-1"]}
    wrong = folder.parent / "wrong"
    wrong.mkdir()
    listed = inventory(wrong, "wrong", source)
    assert listed["aws_search_unreadable"]["hosts"] == [f"unreadable.us-east-1.{org['in-root']}"], listed
    calls()


def check_cache(folder, org, output):
    """A cached source is read once; an edited file (another account) is read again, not served from the cache."""
    settings = dict(
        ANSIBLE_INVENTORY_CACHE="true",
        ANSIBLE_INVENTORY_CACHE_PLUGIN="ansible.builtin.jsonfile",
        ANSIBLE_INVENTORY_CACHE_CONNECTION=str(Path(output) / "cache"),
    )
    cached = folder.parent / "cached"
    cached.mkdir()
    path = cached / "roles.domains.aws_search.yml"
    for names, expected_calls in ((["in-root"], 2), (["in-root"], 0), (["in-root", "in-workloads"], 4)):
        roles = [f"arn:aws:iam::{org[name]}:role/{ROLE}" for name in names]
        path.write_text(
            json.dumps(
                {
                    "plugin": "aws_search.cross_cluster.domains",
                    "iam_role_arns": roles,
                    "regions": ["us-east-1"],
                    "cache": True,
                }
            )
        )
        listed = json.loads(run("ansible-inventory", "-i", str(cached), "--list", **settings).stdout)
        assert len(listed["aws_search_domains"]["hosts"]) == len(names), listed
        assert len(calls()) == expected_calls, (names, expected_calls)


def check_guard(folder, org, output):
    """The guard over the organization: the request of the stranger rejected in every readable account, the account
    whose role cannot be assumed named, and the run failed."""
    report = Path(output) / "report"
    allow = Path(output) / "allow.json"
    allow.write_text(json.dumps({"allow": [{"owner_id": PARTNER}], "report_dir": str(report)}))
    done = run("ansible-playbook", "aws_search.cross_cluster.guard", "-i", str(folder), "-e", f"@{allow}", check=False)
    assert done.returncode != 0 and org["no-role"] in done.stdout, done.stdout
    found = json.loads((report / "report.json").read_text())
    assert [item["host"] for item in found["not_governed"]] == [f"unreadable.all.{org['no-role']}"], found
    # The management account and one more excluded, the suspended one not ACTIVE: counted, never silently dropped.
    assert (found["inventory"]["accounts_excluded"], found["inventory"]["accounts_not_active"]) == (2, 1), found
    assert "left out on purpose, not read: 2 by exclude_account_ids, 1 not ACTIVE" in (report / "report.md").read_text()
    decisions = [call for call in calls() if call["operation"].startswith(("Reject", "Accept"))]
    assert [call["operation"] for call in decisions] == ["RejectInboundCrossClusterSearchConnection"] * 5, decisions
    assert {call["account"] for call in decisions} == {
        org[name] for name in ("in-root", "in-workloads", "in-production", "opted-in")
    }


def check_organization_units(folder, org):
    """organizational_unit_ids: the accounts of workloads and of production below it, not the root's."""
    source = {"organization": {"organizational_unit_ids": [org["workloads"]]}, "role_name": ROLE, "regions": "all"}
    units = folder.parent / "units"
    units.mkdir()
    listed = inventory(units, "units", source)
    accounts = {plain(host["account_id"]) for host in listed["_meta"]["hostvars"].values()}
    names = {account: name for name, account in org.items()}
    assert accounts == {org[name] for name in ("in-workloads", "in-production", "no-role", "opted-in", "excluded")}, [
        names.get(account, account) for account in accounts
    ]
    calls()


def check_event_source(org):
    """One activation, as ansible-rulebook runs the source: every readable account's request in each enabled region,
    nothing of the excluded or suspended account, the account whose role cannot be assumed logged as an error and
    sent as an unwatched event while the others are watched, and an account created later watched without a
    restart."""
    sys.path.extend(os.environ["ANSIBLE_COLLECTIONS_PATH"].split(os.pathsep))
    from ansible_collections.aws_search.cross_cluster.plugins.plugin_utils.request_fleet import run_source

    os.environ.update(run_environment())
    args = {"organization": {"exclude_account_ids": [org["management"], org["excluded"]]}, "role_name": ROLE}
    args.update(regions="all", interval=0.5, organization_refresh=1, region="us-east-1")
    readable = ("in-root", "in-workloads", "in-production", "opted-in")
    wanted = {(org[name], "us-east-1") for name in readable} | {(org["opted-in"], OPT_IN)}
    errors = []
    handler = logging.Handler()
    handler.emit = lambda record: errors.append(record.getMessage()) if record.levelno >= logging.ERROR else None
    logging.getLogger("aws_search.cross_cluster.inbound_connection_requests").addHandler(handler)

    unwatched = []

    async def watch_until(expected, queue, seen):
        while not expected <= seen or not unwatched:
            event = await asyncio.wait_for(queue.get(), 120)
            if "cross_cluster_watch" in event:
                unwatched.append(event["cross_cluster_watch"])
                continue
            event = event["cross_cluster_request"]
            assert event["role_arn"] == f"arn:aws:iam::{event['account_id']}:role/{ROLE}", event
            seen.add((event["account_id"], event["region"]))

    async def main():
        queue, seen = asyncio.Queue(), set()
        source = asyncio.ensure_future(run_source(queue, args))
        await watch_until(wanted, queue, seen)
        later = new_account(organizations(), organizations().list_roots()["Roots"][0]["Id"], None, "later")
        control("accounts", {"account_id": later, "roles": [ROLE]})
        destination = {"owner_id": later, "region": "us-east-1", "domain_name": "logs"}
        control("connections", {"source": {"owner_id": STRANGER}, "destination": destination})
        await watch_until(wanted | {(later, "us-east-1")}, queue, seen)
        source.cancel()
        return seen, later

    seen, later = asyncio.run(main())
    assert seen == wanted | {(later, "us-east-1")}, seen
    assert any(org["no-role"] in error for error in errors), errors
    # The account whose role cannot be assumed is an event too, for all its regions (they could not be listed).
    assert {(event["status"], event["account_id"], event["region"]) for event in unwatched} == {
        ("unwatched", org["no-role"], "all")
    }, unwatched


def reset_moto():
    """moto keeps one organization per server: start from none, and leave none for the next target."""
    urllib.request.urlopen(urllib.request.Request(f"{MOTO}/moto-api/reset", method="POST"), timeout=10)  # nosec B310


def main(output):
    folder = Path(output) / "inventory"
    folder.mkdir(parents=True)
    reset_moto()
    try:
        org = build_organization()
        calls()
        check_listed_regions(folder, org)
        check_organization(folder, org)
        check_organization_units(folder, org)
        check_role_name(folder, org)
        check_cache(folder, org, output)
        check_guard(folder, org, output)
        check_event_source(org)
    finally:
        reset_moto()


if __name__ == "__main__":
    main(sys.argv[1])
