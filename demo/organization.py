"""The organization `make demo-org` rehearses: AWS Organizations in moto's server, each account's role and domains at
the local endpoint. Then the guard runs from examples/, as the estate guide shows, against both.

    PYTHONPATH=tests python demo/organization.py     (with LOCAL_AWS_ENDPOINT_URL and MOTO_ENDPOINT_URL set)

Prints the environment the guard needs (the endpoints, and the management account's keys), as shell exports.
"""

from __future__ import annotations

import os
from typing import Dict

import boto3
from local_endpoint.client import control

PARTNER, STRANGER = "222222222222", "333333333333"
ROLE = "search-guard"
# moto's organization: its management account, and these accounts, in these OUs.
ACCOUNTS = (("analytics", "workloads"), ("logs-prod", "production"), ("logs-dev", "workloads"), ("closed", "workloads"))
REGIONS = ("us-east-1", "eu-west-1")


def organizations():
    return boto3.client(
        "organizations",
        region_name="us-east-1",
        endpoint_url=os.environ["MOTO_ENDPOINT_URL"],
        aws_access_key_id="AKIDLOCALOWNERA0001",
        aws_secret_access_key="local-secret-owner-a",
    )


def build() -> Dict[str, str]:
    """The organization, with a workloads OU and production below it; one account closed. Each ACTIVE account knows
    the role search-guard at the local endpoint, and has a secret and a public domain in each region, each with a
    request from the partner and from a stranger."""
    client = organizations()
    client.create_organization(FeatureSet="ALL")
    root = client.list_roots()["Roots"][0]["Id"]
    workloads = client.create_organizational_unit(ParentId=root, Name="workloads")["OrganizationalUnit"]["Id"]
    units = {"workloads": workloads}
    units["production"] = client.create_organizational_unit(ParentId=workloads, Name="production")[
        "OrganizationalUnit"
    ]["Id"]
    accounts = {}
    for name, unit in ACCOUNTS:
        account = client.create_account(Email=f"{name}@example.com", AccountName=name)["CreateAccountStatus"]
        client.move_account(AccountId=account["AccountId"], SourceParentId=root, DestinationParentId=units[unit])
        accounts[name] = account["AccountId"]
    client.close_account(AccountId=accounts["closed"])
    for name, account in accounts.items():
        if name != "closed":
            seed_account(account)
    return accounts


def seed_account(account: str) -> None:
    control(os.environ["LOCAL_AWS_ENDPOINT_URL"], "accounts", {"account_id": account, "roles": [ROLE]})
    for region in REGIONS:
        for kind in ("secret", "public"):
            name = f"{kind}-logs"
            spec = {"owner_id": account, "region": region, "domain_names": [name]}
            control(
                os.environ["LOCAL_AWS_ENDPOINT_URL"], "hosted_domains", dict(spec, tags={"data-classification": kind})
            )
            for source in (PARTNER, STRANGER):
                destination = {"owner_id": account, "region": region, "domain_name": name}
                control(
                    os.environ["LOCAL_AWS_ENDPOINT_URL"],
                    "connections",
                    {"source": {"owner_id": source}, "destination": destination},
                )


def main() -> None:
    accounts = build()
    for name, account in sorted(accounts.items()):
        print(f"# {name}: {account}{' (closed: not governed, not read)' if name == 'closed' else ''}")


if __name__ == "__main__":
    main()
