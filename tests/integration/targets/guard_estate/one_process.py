"""Each run of the guard is one module process (guard_run) that takes the run's role itself. Against the layout before
it (three_processes.yml: sts_assume_role, inbound_connection_policy, domain_access_policy, security_hub_findings), on
the same estate (two accounts through their roles, one through the play's own credentials; requests, connections,
VPC endpoint access, access policies, Security Hub, fix_policy), in check mode and for real: the same calls, by
account and region, and the same report. And no role's credentials in the -vvv output, the report folder or what the
play holds of each run (which the layout before held: the check finds them there)."""

import collections
import json
import sys
from pathlib import Path

from estate import CONFIG
from estate import OPEN_POLICY
from estate import PARTNER
from estate import STRANGER
from estate import TAKEN
from estate import calls
from estate import control
from estate import policy
from estate import run
from estate import write_source
from three_processes import three_process_guard

ROLE_ACCOUNTS = ("454545454545", "565656565656")
OWN = CONFIG["owner_a"]["account_id"]
REGIONS = ("us-east-1", "eu-west-1")


def build_estate():
    """Per account and region: a secret and a public domain, each with a partner's and a stranger's request and a
    stranger's connection; in the first region a VPC domain shared with both, and one whose policy grants both and one
    open to everyone. Security Hub is enabled everywhere."""
    control("reset", {})
    control("settings", {"transition_seconds": 3600})
    for account in ROLE_ACCOUNTS + (OWN,):
        control("accounts", {"account_id": account})
        for region in REGIONS:
            where = {"owner_id": account, "region": region}
            for name, classification in (("secret-logs", "secret"), ("public-logs", "public")):
                tags = {"data-classification": classification}
                control("hosted_domains", dict(where, domain_names=[name], tags=tags))
                for owner, status in (
                    (PARTNER, "PENDING_ACCEPTANCE"),
                    (STRANGER, "PENDING_ACCEPTANCE"),
                    (STRANGER, "ACTIVE"),
                ):
                    destination = dict(where, domain_name=name)
                    control(
                        "connections", {"source": {"owner_id": owner}, "destination": destination, "status": status}
                    )
            control("security_hub", {"account_id": account, "region": region})
        where = {"owner_id": account, "region": REGIONS[0], "tags": {"data-classification": "secret"}}
        control(
            "hosted_domains",
            dict(where, domain_names=["vpc-logs"], vpc_id="vpc-1", vpc_endpoint_access=[PARTNER, STRANGER]),
        )
        control("hosted_domains", dict(where, domain_names=["shared-logs"], access_policy=policy(PARTNER, STRANGER)))
        control("hosted_domains", dict(where, domain_names=["open-logs"], access_policy=OPEN_POLICY))


def write_inventory(folder):
    groups = {"keyed_groups": [{"key": "domain_tags['data-classification']", "prefix": "classification"}]}
    for account in ROLE_ACCOUNTS:
        write_source(folder, account, REGIONS, include_tags=True, **groups)
    # The play's own credentials are OWN's: a source without a role.
    write_source(folder, OWN, REGIONS, include_tags=True, iam_role_arn=None, **groups)
    (folder / "group_vars").mkdir()
    (folder / "group_vars" / "classification_secret.yml").write_text(
        json.dumps({"guard_allowed": "accept", "guard_revoke": True})
    )


def wrapper(output, guard, name):
    """A playbook that runs the guard, then writes what the play holds of each run (its host's variables)."""
    held = output / f"{name}-held.json"
    plays = [
        {"name": "The guard", "ansible.builtin.import_playbook": str(guard)},
        {
            "name": "Write what the play holds of each run",
            "hosts": "localhost",
            "gather_facts": False,
            "tasks": [
                {
                    "name": "Each run host's variables",
                    "check_mode": False,
                    "ansible.builtin.copy": {
                        "content": "{{ groups['aws_search_guard_runs'] | map('extract', hostvars) | list | to_json }}",
                        "dest": str(held),
                    },
                }
            ],
        },
    ]
    playbook = output / f"{name}-wrapper.yml"
    playbook.write_text(json.dumps(plays))
    return playbook, held


def guard(output, folder, layout, *options, before=None, succeeds=True):
    """One run of the guard in layout ("one" or "three" processes) over a fresh estate (before() changes it first):
    its calls by operation, account, region and role, its report, its output and what the play held of its runs."""
    build_estate()
    if before:
        before()
    calls()
    report = output / f"report-{layout}"
    settings = {"allow": [{"owner_id": PARTNER}], "report_dir": str(report), "findings": "report"}
    settings.update(security_hub=True, fix_policy=True)
    written = output / "settings.json"
    written.write_text(json.dumps(settings))
    playbook = "aws_search.cross_cluster.guard" if layout == "one" else three_process_guard(output)
    wrapped, held = wrapper(output, playbook, layout)
    command = ("ansible-playbook", str(wrapped), "-i", str(folder), "-e", f"@{written}", "--forks", "4", *options)
    done = run(*command, ANSIBLE_PYTHON_INTERPRETER=None, check=succeeds)
    assert succeeds or done.returncode != 0, done.stdout[-3000:]
    calls()
    counted = collections.Counter(
        (call["operation"], call.get("account"), call.get("region"), call.get("role_arn")) for call in TAKEN
    )
    name = "report-check.json" if "--check" in options else "report.json"
    return counted, json.loads((report / name).read_text()), done, held


def same_report(one, three):
    """What the two reports say, without their times and connection ids (each estate is built anew)."""
    assert one["summary"] == three["summary"], (one["summary"], three["summary"])
    assert one["access"] == three["access"] and one["security_hub"] == three["security_hub"]
    findings = [
        sorted((f["path"], f["who"], f["domain_name"], f["region"]) for f in r["findings"]) for r in (one, three)
    ]
    assert findings[0] == findings[1], findings
    assert one["summary"]["failures"] == 0 and one["access"]["not_governed"] == 0, (one["summary"], one["access"])


def credentials_held(output, places):
    """The temporary keys the endpoint handed out (every role taken), and the files and texts that hold any."""
    secrets = [
        value
        for key in control("keys")["keys"]
        if key["session_token"]
        for value in (key["secret_key"], key["session_token"])
    ]
    assert secrets, "no role was taken"
    secrets.append(CONFIG["owner_a"]["secret_key"])
    return [name for name, text in places.items() if any(secret in text for secret in secrets)]


def expected_operations(api, check_mode):
    """What the estate makes the guard call (besides the inventory's ListDomainNames and ListTags)."""
    names = {
        "es": ("DescribeInboundCrossClusterSearchConnections", "DescribeElasticsearchDomains"),
        "opensearch": ("DescribeInboundConnections", "DescribeDomains"),
    }[api]
    expected = {"AssumeRole", "GetCallerIdentity", "ListVpcEndpointAccess", "GetFindings", *names}
    if not check_mode:
        expected |= {"BatchImportFindings", "DescribeElasticsearchDomainConfig", "UpdateElasticsearchDomainConfig"}
        expected |= {"RevokeVpcEndpointAccess", "AcceptInboundCrossClusterSearchConnection"}
        expected |= {"RejectInboundCrossClusterSearchConnection", "DeleteInboundCrossClusterSearchConnection"}
    return expected


def check_same_calls_and_report(output, folder, api, *options):
    options += ("-e", f"api={api}")
    one_calls, one_report, one_done, one_held = guard(output, folder, "one", "-vvv", *options)
    three_calls, three_report, _three_done, three_held = guard(output, folder, "three", *options)
    # The same calls, but amazon.aws.aws_caller_info's IAM ListAccountAliases (an alias the guard never used), once
    # a run without a role: guard_run reads the account with GetCallerIdentity alone.
    aliases = collections.Counter(
        {call: count for call, count in three_calls.items() if call[0] == "ListAccountAliases"}
    )
    assert sum(aliases.values()) == 4 and {call[1] for call in aliases} == {OWN}, aliases
    assert one_calls == three_calls - aliases, (one_calls - three_calls, three_calls - aliases - one_calls)
    operations = {call[0] for call in one_calls} - {"ListDomainNames", "ListTags"}
    assert operations == expected_operations(api, "--check" in options), operations
    same_report(one_report, three_report)
    report_folder = output / "report-one"
    places = {path.name: path.read_text() for path in report_folder.iterdir()}
    places.update({"-vvv output": one_done.stdout + one_done.stderr, "the play's runs": one_held.read_text()})
    assert credentials_held(output, places) == [], credentials_held(output, places)
    # The check can find them: the layout before registered the role's credentials on each run's host.
    assert credentials_held(output, {"the play's runs": three_held.read_text()}) == ["the play's runs"]


def check_a_failed_run_keeps_what_it_did(output, folder):
    """Security Hub refused in one account and region, after that region's runs decided and revoked: the runs fail,
    the report keeps what they did, and their -vvv output (a failed task's result, AWS's error message in it) holds no
    credential."""
    account, region = ROLE_ACCOUNTS[0], REGIONS[0]

    def refuse():
        control("security_hub", {"account_id": account, "region": region, "enabled": False})

    _calls, report, done, _held = guard(output, folder, "one", "-vvv", before=refuse, succeeds=False)
    [failed] = [
        where
        for item in report["accounts"]
        if item["account_id"] == account
        for where in item["regions"]
        if where["region"] == region
    ]
    assert failed["failures"] and all("AWS Security Hub is not enabled there" in f for f in failed["failures"]), failed
    assert all(domain["paths_read"] for domain in failed["domains"]), failed["domains"]
    assert "rejected" in {row["outcome"] for domain in failed["domains"] for row in domain["connections"]}, failed
    places = {path.name: path.read_text() for path in (output / "report-one").iterdir()}
    places["-vvv output"] = done.stdout + done.stderr
    assert credentials_held(output, places) == [], credentials_held(output, places)


def main(output):
    output = Path(output) / "one_process"
    folder = output / "inventory"
    folder.mkdir(parents=True)
    write_inventory(folder)
    check_same_calls_and_report(output, folder, "opensearch", "--check", "--diff")
    check_same_calls_and_report(output, folder, "es", "--diff")
    check_a_failed_run_keeps_what_it_did(output, folder)
    print("guard_estate one_process: all checks passed")


if __name__ == "__main__":
    main(sys.argv[1])
