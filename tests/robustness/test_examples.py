"""The files of examples/ run as the estate guide shows them: the organization (moto's AWS Organizations, built by
demo/organization.py, the code `make demo-org` runs) governed by the guard from examples/, with its ansible.cfg, its
allow.yml and its group_vars; and the per-account source lists its account's domains."""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from local_endpoint.client import control

from .harness import OWNER_A

ROOT = Path(__file__).resolve().parents[2]


def organization_demo():
    spec = importlib.util.spec_from_file_location("organization_demo", ROOT / "demo" / "organization.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def environment(url: str, moto_url: str) -> dict:
    found = dict(os.environ, LOCAL_AWS_ENDPOINT_URL=url, MOTO_ENDPOINT_URL=moto_url, ANSIBLE_LOCALHOST_WARNING="false")
    found.update(AWS_ACCESS_KEY_ID=OWNER_A.access_key, AWS_SECRET_ACCESS_KEY=OWNER_A.secret_key, AWS_REGION="us-east-1")
    found.update(AWS_ENDPOINT_URL=url, AWS_ENDPOINT_URL_ORGANIZATIONS=moto_url)
    found.pop("ANSIBLE_PYTHON_INTERPRETER", None)
    return found


def test_the_guard_governs_the_organization_from_examples_as_the_guide_shows(url, moto_url, tmp_path, monkeypatch):
    monkeypatch.setenv("LOCAL_AWS_ENDPOINT_URL", url)
    monkeypatch.setenv("MOTO_ENDPOINT_URL", moto_url)
    accounts = organization_demo().build()
    examples = tmp_path / "examples"
    shutil.copytree(ROOT / "examples", examples)
    command = ["ansible-playbook", "aws_search.cross_cluster.guard", "-e", "@allow.yml"]
    for check in (["--check"], []):
        done = subprocess.run(
            command + check, cwd=examples, env=environment(url, moto_url), capture_output=True, text=True, check=False
        )
        assert done.returncode == 0, done.stdout + done.stderr
    report = json.loads((examples / "aws-search-report" / "report.json").read_text())
    assert report["not_governed"] == [], report["not_governed"]
    governed = {account["account_id"] for account in report["accounts"]}
    assert governed == {account for name, account in accounts.items() if name != "closed"}, governed
    # The closed account is left out on purpose, and the management account by exclude_account_ids: both counted.
    assert (report["inventory"]["accounts_excluded"], report["inventory"]["accounts_not_active"]) == (1, 1), report
    who = {
        (domain["domain_name"], str(row["owner_id"]))
        for account in report["accounts"]
        for region in account["regions"]
        for domain in region["domains"]
        for row in domain["can_search"]
    }
    assert who == {("public-logs", "222222222222")}, who
    # Each account with the name AWS Organizations gives it.
    names = {account["account_id"]: account["account_name"] for account in report["accounts"]}
    assert names == {account: name for name, account in accounts.items() if name != "closed"}, names
    assert f"{accounts['analytics']} (analytics)" in (examples / "aws-search-report" / "report.md").read_text()


def test_the_per_account_source_lists_its_accounts_domains(url, tmp_path):
    control(url, "accounts", {"account_id": "444444444444", "roles": ["search-guard"]})
    control(url, "hosted_domains", {"owner_id": "444444444444", "domain_names": ["logs"], "tags": {"x": "y"}})
    source = tmp_path / "444444444444.domains.aws_search.yml"
    shutil.copy(ROOT / "examples" / "per-account" / source.name, source)
    env = dict(os.environ, AWS_ACCESS_KEY_ID=OWNER_A.access_key, AWS_SECRET_ACCESS_KEY=OWNER_A.secret_key)
    env.update(AWS_ENDPOINT_URL=url)
    done = subprocess.run(
        ["ansible-inventory", "-i", str(source), "--list"], env=env, capture_output=True, text=True, check=False
    )
    listed = json.loads(done.stdout)
    assert listed["aws_search_domains"]["hosts"] == ["logs.us-east-1.444444444444"], listed
    assert "classification_unclassified" in listed, listed


def test_make_endpoints_prints_the_lines_the_estate_guide_pastes_and_serves_until_stopped(tmp_path):
    """demo/endpoints.sh, as `make endpoints` runs it: the organization built, the export lines printed; pasted in
    another shell with the guide's commands, the guard in check mode governs the organization."""
    command = [sys.executable, "-m", "local_endpoint", "run", "--with-moto", "--", "sh", "demo/endpoints.sh"]
    env = dict(os.environ, PYTHONPATH=str(ROOT / "tests"))
    # A session of its own: stopping it stops the endpoints and the script's shell, as Ctrl-C stops them all.
    served = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True
    )
    try:
        lines = read_until(served, "cd examples", time.monotonic() + 300)
        pasted = [line for line in lines if line.startswith(("export ", "cd examples"))]
        script = "\n".join(["set -e", "export ANSIBLE_LOCALHOST_WARNING=false", *pasted[:-1]])
        script += "\ncd examples && ansible-playbook aws_search.cross_cluster.guard -e @allow.yml --check"
        script += f" -e report_dir={tmp_path}/report\n"
        shell_env = {key: value for key, value in os.environ.items() if not key.startswith("ANSIBLE_PYTHON")}
        done = subprocess.run(
            ["sh", "-c", script], cwd=ROOT, env=shell_env, capture_output=True, text=True, timeout=300, check=False
        )
        assert served.poll() is None, "the endpoints stopped on their own"
    finally:
        os.killpg(served.pid, signal.SIGTERM)
        served.wait(timeout=30)
    said = " ".join((done.stdout + done.stderr).split())
    assert "The report:" in said and "not governed" not in said.split("The report:", maxsplit=1)[0][-400:], said[-3000:]
    assert (tmp_path / "report" / "report-check.json").exists(), said[-3000:]


def read_until(process: subprocess.Popen, start: str, deadline: float) -> list:
    """The lines a process prints, up to the one that begins with start; the deadline bounds a broken run."""
    lines = []
    while not (lines and lines[-1].startswith(start)):
        assert time.monotonic() < deadline, "no line beginning with " + start + ": " + "".join(lines)
        line = process.stdout.readline()
        assert line, "the process ended before it printed the lines to paste: " + "".join(lines)
        lines.append(line)
    return lines


def run_demo(script: str, *options: str) -> subprocess.CompletedProcess:
    """A demo script as its make target runs it: under the local endpoint (and moto), with this environment's Ansible."""
    command = [sys.executable, "-m", "local_endpoint", "run", *options, "--", "sh", f"demo/{script}"]
    env = {key: value for key, value in os.environ.items() if not key.startswith("ANSIBLE_PYTHON")}
    env["PYTHONPATH"] = str(ROOT / "tests")
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=900, check=False)


def test_make_demo_estate_shows_the_severities_security_hub_and_a_fixed_policy():
    done = run_demo("estate.sh")
    said = " ".join((done.stdout + done.stderr).split())
    assert done.returncode == 0, said[-4000:]
    assert "CRITICAL: account 444444444444, us-east-1, domain open-logs" in said
    assert "account 444444444444, us-east-1: imported 1, archived 0" in said
    assert '-          "arn:aws:iam::333333333333:root"' in done.stdout and "team-logs now:" in said


def test_make_demo_org_prints_each_section_whole():
    shutil.rmtree(ROOT / "build" / "demo-org", ignore_errors=True)
    done = run_demo("organization.sh", "--with-moto")
    said = " ".join((done.stdout + done.stderr).split())
    assert done.returncode == 0, said[-4000:]
    assert "## Who can reach each domain now" in done.stdout and "## What changed" in done.stdout
