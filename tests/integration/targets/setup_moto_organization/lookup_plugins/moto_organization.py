# Copyright: Contributors to the aws_search.cross_cluster project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
name: moto_organization
short_description: Build an AWS Organization in moto's server for integration tests, once
description:
  - Runs on the controller, with boto3, against moto's server at the variable C(moto_endpoint_url).
  - "The organization: the root holds 10 accounts and the OUs engineering (10 accounts) and sales (5); engineering
    holds platform (10), which holds data (25, more than a page of 20): three levels below the root. One account of data is closed (moto
    suspends it) and one of platform is removed from the organization. A second call returns the same organization."
  - Returns the OU ids, the accounts of each OU, and the closed and removed account ids.
"""

import boto3
from ansible.plugins.lookup import LookupBase

TREE = (("engineering", "root", 10), ("platform", "engineering", 10), ("data", "platform", 25), ("sales", "root", 5))


class LookupModule(LookupBase):
    def run(self, terms, variables=None, **kwargs):
        client = boto3.client(
            "organizations",
            region_name="us-east-1",
            endpoint_url=variables["moto_endpoint_url"],
            aws_access_key_id="AKIDMOTOORGADMIN01",
            aws_secret_access_key="moto-any-secret",
        )
        built = getattr(LookupModule, "built", None)
        if built is None:
            built = LookupModule.built = build(client)
        return [built]


def build(client):
    client.create_organization(FeatureSet="ALL")
    root = client.list_roots()["Roots"][0]["Id"]
    ous = {"root": root}
    accounts = {"root": [account["Id"] for account in client.list_accounts()["Accounts"]]}
    accounts["root"] += [new_account(client, root, root, f"root-{n}") for n in range(10)]
    for name, parent, count in TREE:
        ous[name] = client.create_organizational_unit(ParentId=ous[parent], Name=name)["OrganizationalUnit"]["Id"]
        accounts[name] = [new_account(client, root, ous[name], f"{name}-{n}") for n in range(count)]
    closed, removed = accounts["data"][0], accounts["platform"][0]
    client.close_account(AccountId=closed)
    client.remove_account_from_organization(AccountId=removed)
    return {"ous": ous, "accounts": accounts, "closed": closed, "removed": removed}


def new_account(client, root, parent, name):
    account_id = client.create_account(Email=f"{name}@example.com", AccountName=name)["CreateAccountStatus"][
        "AccountId"
    ]
    if parent != root:
        client.move_account(AccountId=account_id, SourceParentId=root, DestinationParentId=parent)
    return account_id
