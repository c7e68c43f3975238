# -*- coding: utf-8 -*-

# Copyright: Contributors to the aws_search.cross_cluster project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
name: domains
short_description: Amazon OpenSearch Service and Elasticsearch Service domains as hosts
version_added: 0.3.0
description:
  - Makes each Amazon OpenSearch Service or Amazon Elasticsearch Service domain a host, so that a play can govern
    every domain's cross-cluster connections (see the playbook C(aws_search.cross_cluster.guard)).
  - Uses a YAML configuration file whose name ends in C(domains.aws_search.yml) or C(domains.aws_search.yaml).
  - "One source covers one account (the caller's, or that of O(iam_role_arn)), a list of accounts (O(iam_role_arns)),
    or every active account of an AWS Organization (O(organization) and O(role_name)), in the regions given or, with
    O(regions=all), in each account's enabled regions."
  - "Calls: with O(organization), one walk of the organization (C(ListRoots), then per OU C(ListAccountsForParent)
    and C(ListOrganizationalUnitsForParent)); per account one STS C(AssumeRole) (C(GetCallerIdentity) for the
    caller's own account), with O(regions=all) one EC2 C(DescribeRegions), one C(ListDomainNames) per region, and with
    O(include_tags) one C(ListTags) per domain. At most O(max_concurrency) accounts are read at once, each with its
    own credentials, its regions 8 at once, and at most 8 C(ListTags) at once per region."
  - Nothing that cannot be read is dropped. An organization that cannot be read, an account whose role cannot be
    assumed or whose identity or enabled regions cannot be read, a region that refuses or fails (access denied,
    throttling past the retries, an unreachable endpoint, an answer that is not the API's such as a proxy's page
    answered with HTTP 200), and with O(include_tags) a domain whose tags cannot be read, each becomes a host of the
    group C(aws_search_unreadable) (not of C(aws_search_domains)), with
    C(account_id), C(domain_region) (V(all) when the enabled regions could not be read), C(unreadable_reason) and,
    for a domain, C(domain_name). The playbook C(aws_search.cross_cluster.guard) fails the run for any of them and
    names them in its report. The other accounts, regions and domains are still listed. Options that are wrong (a
    region that is no region name, an unknown engine type, a role ARN that is none) fail at once.
  - "What the source file says is checked before any call: an option this plugin does not know (a typo such as
    C(include_tag)) and a region name that no partition botocore knows has (a typo such as C(eu-wset-1); a region
    newer than botocore needs a newer botocore) fail the source, naming it and the closest known option. Ansible would
    ignore them; the guard names a source that failed, and fails the run."
  - "Host names are C(<domain_name>.<region>.<account_id>): readable, and unique across accounts and regions.
    Host variables: C(domain_name), C(domain_region), C(account_id), C(account_name) (with O(organization), the name
    AWS Organizations gives the account), C(engine_type), C(domain_tags) (with
    O(include_tags)), C(account_role_arn) (the role assumed in the host's account, when one is), C(account_role_region)
    (the STS region the roles were assumed through), C(inventory_source) (this file), C(inventory_read) (C(read_at),
    when the source read AWS; C(from_cache), whether this run took it from the inventory cache; with O(organization),
    C(accounts_excluded) and C(accounts_not_active), the accounts left out on purpose: the guard's report says both),
    C(ansible_connection=local) and C(ansible_python_interpreter) set to the controller's Python
    (C(ansible_playbook_python), as for the implicit localhost, so that a virtual environment's boto3 is used). Values
    read from AWS are unsafe: they are never templated."
  - The group C(all) gets the variable C(aws_search_inventory_<digest of the source's path>), the source's
    C(inventory_read) and its C(source), even for a source without any domain, so that the guard knows which of its
    sources were read and names one that was not (a wrong option, an error)."
  - Domain ARNs (for C(ListTags)) take their partition (C(aws), C(aws-cn), C(aws-us-gov)) from the caller's ARN.
  - A result with an unreadable part is not cached, so that the next run reads it again. The cache key covers the
    options that change the result, so that an edited file is read again.
  - C(ListDomainNames) does not return engine versions, so no host variable holds one.
  - "IAM: the identity the inventory runs as needs C(sts:AssumeRole) on the roles (and with O(organization)
    C(organizations:ListRoots), C(organizations:ListOrganizationalUnitsForParent) and
    C(organizations:ListAccountsForParent), in the management account or a delegated administrator); the role in
    each account needs C(es:ListDomainNames), with O(include_tags) C(es:ListTags), and with O(regions=all)
    C(ec2:DescribeRegions). See the guide, section \"One file for the whole organization\"."
options:
  plugin:
    description: The name of this plugin.
    required: true
    choices: [aws_search.cross_cluster.domains]
    type: str
  regions:
    description:
      - The regions to list domains in. Required; no region is guessed.
      - V(all) (alone) reads each account's enabled regions with EC2 C(DescribeRegions), as C(amazon.aws.aws_ec2)
        does when no region is given, so that an opt-in region one account has not enabled is not an error there.
        STS, AWS Organizations and EC2 are then called in O(region), V(us-east-1) unless given.
      - Otherwise STS and AWS Organizations are called in O(region), or the first region listed.
    type: list
    elements: str
    required: true
  iam_role_arns:
    description:
      - A role to assume in each account to read, one per account (the static form of a whole organization).
      - Each is assumed with the credentials the inventory runs with (environment, profile, or the host's role); an
        account whose role cannot be assumed is unreadable, the others are still read.
      - Not with O(iam_role_arn) or O(organization).
    type: list
    elements: str
    version_added: 0.4.0
  organization:
    description:
      - Read every ACTIVE account of the AWS Organization of the caller (the management account or a delegated
        administrator), assuming O(role_name) in each; V({}) for the whole organization.
      - The accounts are read as M(aws_search.cross_cluster.organization_accounts_info) reads them (its code), once
        per inventory run; an account created since the last run is read at the next one.
      - An organization that cannot be read is one unreadable host (account C(unknown)), which fails the guard.
      - Not with O(iam_role_arn) or O(iam_role_arns).
    type: dict
    version_added: 0.4.0
    suboptions:
      organizational_unit_ids:
        description: Only the accounts in these OUs or roots, and in every OU below them, however deep.
        type: list
        elements: str
      exclude_account_ids:
        description: Accounts to leave out (quoted, 12 digits), such as the management account itself.
        type: list
        elements: str
  role_name:
    description:
      - With O(organization), the role assumed in each account, C(arn:<partition>:iam::<account>:role/<role_name>);
        a path goes before the name (C(security/search-guard)).
      - C(OrganizationAccountAccessRole), which AWS Organizations creates in the accounts it creates, works but is
        an administrator; the guide lists the least-privilege role.
    type: str
    version_added: 0.4.0
  max_concurrency:
    description: How many accounts are read at once, 1 to 64.
    type: int
    default: 8
    version_added: 0.4.0
  engine_types:
    description: Only domains of these engines.
    type: list
    elements: str
    choices: [OpenSearch, Elasticsearch]
    default: [OpenSearch, Elasticsearch]
  include_tags:
    description:
      - Read each domain's tags into the host variable C(domain_tags), for O(keyed_groups) such as a
        C(data-classification) tag; one C(ListTags) call per domain.
    type: bool
    default: false
extends_documentation_fragment:
  - inventory_cache
  - constructed
  - amazon.aws.boto3
  - amazon.aws.common.plugins
  - amazon.aws.region.plugins
  - amazon.aws.assume_role.plugins
author:
  - aws_search.cross_cluster maintainers (@aws-search)
"""

EXAMPLES = r"""
# organization.domains.aws_search.yml: every active account of the organization, in each account's enabled regions
plugin: aws_search.cross_cluster.domains
organization:
  exclude_account_ids: ["000000000000"]        # the management account
role_name: security/search-guard
regions: all
include_tags: true
keyed_groups:
  - key: domain_tags['data-classification'] | default('unclassified')
    prefix: classification

---

# accounts.domains.aws_search.yml: three accounts named by their roles
plugin: aws_search.cross_cluster.domains
iam_role_arns:
  - arn:aws:iam::111111111111:role/search-guard
  - arn:aws:iam::222222222222:role/search-guard
  - arn:aws:iam::333333333333:role/search-guard
regions: [eu-west-1, us-east-1]

---

# production.domains.aws_search.yml: the production account's domains, grouped by their data-classification tag
plugin: aws_search.cross_cluster.domains
regions: [eu-west-1, eu-central-1, us-east-1]
iam_role_arn: arn:aws:iam::111111111111:role/search-guard
include_tags: true
keyed_groups:
  - key: domain_tags['data-classification'] | default('unclassified')
    prefix: classification
  - key: domain_region
    prefix: region
"""

import hashlib
import json
from typing import Any
from typing import Dict
from typing import List

from ansible import constants
from ansible.errors import AnsibleError
from ansible.utils.unsafe_proxy import wrap_var
from ansible_collections.amazon.aws.plugins.plugin_utils.inventory import AWSInventoryBase

from ansible_collections.aws_search.cross_cluster.plugins.module_utils.domain_discovery import DOMAINS_FILE_SUFFIXES
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.domain_discovery import GROUP
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.domain_discovery import UNREADABLE_GROUP
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.domain_discovery import source_variable
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.domain_discovery import unknown_option_problem
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.domain_discovery import unknown_region_problem
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.domain_discovery import unreadable_hostname
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.input_checks import region_problem
from ansible_collections.aws_search.cross_cluster.plugins.plugin_utils.account_sources import accounts_problem
from ansible_collections.aws_search.cross_cluster.plugins.plugin_utils.account_sources import regions_problem
from ansible_collections.aws_search.cross_cluster.plugins.plugin_utils.account_sources import wants_all_regions
from ansible_collections.aws_search.cross_cluster.plugins.plugin_utils.domains_reading import DomainReading
from ansible_collections.aws_search.cross_cluster.plugins.plugin_utils.domains_reading import read_of

try:
    from ansible.template import trust_as_template
except ImportError:  # ansible-core < 2.19 templates every string that is not marked unsafe

    def trust_as_template(value):
        return value


# The options that change what is found: the cache key covers them, so that an edited file is read again.
RESULT_OPTIONS = (
    "regions",
    "engine_types",
    "include_tags",
    "assume_role_arn",
    "iam_role_arns",
    "organization",
    "role_name",
    "region",
    "profile",
    "endpoint_url",
)


class InventoryModule(DomainReading, AWSInventoryBase):
    NAME = "aws_search.cross_cluster.domains"
    INVENTORY_FILE_SUFFIXES = DOMAINS_FILE_SUFFIXES

    def verify_file(self, path):
        if not super().verify_file(path):
            if str(path).endswith((".yml", ".yaml")) and not str(path).endswith(self.INVENTORY_FILE_SUFFIXES):
                self.display.warning(
                    f"{path}: the {self.NAME} inventory's file name must end in {' or '.join(self.INVENTORY_FILE_SUFFIXES)}"
                )
            return False
        return True

    def _set_frozen_credentials(self):
        """The roles are assumed while the accounts are read, each account's failure its own; here only the region
        of STS, AWS Organizations and EC2 is settled: the region given, else the first listed (us-east-1 for all)."""
        if not self.region:
            regions = self.get_option("regions") or []
            self.set_option("region", "us-east-1" if wants_all_regions(regions) or not regions else regions[0])

    def __init__(self):
        super().__init__()
        self._read: Dict[str, Any] = {}

    def _read_config_data(self, path):
        """The source file, with every key an option of this plugin (Ansible ignores the others: a typo would silently
        change what is read, such as include_tag leaving the tags, and so the groups keyed on them, out)."""
        config = super()._read_config_data(path)
        problem = unknown_option_problem(config, self._option_names(), self.NAME)
        if problem:
            raise AnsibleError(f"{path}: {problem}")
        return config

    def _option_names(self) -> List[str]:
        definitions = constants.config.get_configuration_definitions(self.plugin_type, self._load_name) or {}
        names = set(definitions)
        for definition in definitions.values():
            names.update(definition.get("aliases") or [])
        return sorted(names)

    def get_cache_key(self, path):
        options = {name: self.get_option(name) for name in RESULT_OPTIONS}
        return f"{super().get_cache_key(path)}_{_digest(options)}"

    def parse(self, inventory, loader, path, cache=True):
        super().parse(inventory, loader, path, cache=cache)
        regions = self._checked_options(path)
        found, discovered = self.get_cached_result(path, cache)
        from_cache = bool(found and isinstance(discovered, dict))
        if not from_cache:
            discovered = self._discover(regions)
            if not discovered["unreadable"]:
                self.update_cached_result(path, cache, discovered)
        self._read = read_of(discovered, from_cache)
        for domain in discovered["domains"]:
            self._add(domain, path)
        for entry in discovered["unreadable"]:
            self._add_unreadable(entry, path)
        # That this source was read, for every play (a source without any domain too): the guard names a source it
        # was given and that was not.
        self.inventory.set_variable("all", source_variable(path), wrap_var(dict(self._read, source=path)))

    def _checked_options(self, path: str) -> List[str]:
        regions = self.get_option("regions")
        options = {name: self.get_option(name) for name in ("iam_role_arns", "organization", "role_name")}
        options.update(
            iam_role_arn=self.get_option("assume_role_arn"), max_concurrency=self.get_option("max_concurrency")
        )
        region = self.get_option("region")
        problems = (
            regions_problem(regions),
            region and region_problem(region, "region"),
            accounts_problem(options),
            unknown_region_problem(([] if wants_all_regions(regions) else regions) + ([region] if region else [])),
        )
        problem = next((problem for problem in problems if problem), None)
        if problem:
            raise AnsibleError(f"{path}: {problem}")
        return regions

    def _roles_assumed(self) -> bool:
        return any(self.get_option(name) for name in ("assume_role_arn", "iam_role_arns", "organization"))

    def _common_vars(self, path: str) -> Dict[str, Any]:
        host_vars = {
            "ansible_connection": "local",
            "ansible_python_interpreter": trust_as_template("{{ ansible_playbook_python }}"),
            "inventory_source": path,
            "inventory_read": wrap_var(self._read),
        }
        if self._roles_assumed():
            host_vars["account_role_region"] = self.region
        return host_vars

    def _add(self, domain: Dict[str, Any], path: str) -> None:
        hostname = f"{domain['domain_name']}.{domain['domain_region']}.{domain['account_id']}"
        self.inventory.add_group(GROUP)
        self.inventory.add_host(hostname, group=GROUP)
        host_vars = self._set_vars(hostname, domain, path)
        strict = self.get_option("strict")
        self._set_composite_vars(self.get_option("compose"), host_vars, hostname, strict=strict)
        self._add_host_to_composed_groups(self.get_option("groups"), host_vars, hostname, strict=strict)
        self._add_host_to_keyed_groups(self.get_option("keyed_groups"), host_vars, hostname, strict=strict)

    def _add_unreadable(self, entry: Dict[str, Any], path: str) -> None:
        hostname = unreadable_hostname(entry, path)
        self.inventory.add_group(UNREADABLE_GROUP)
        self.inventory.add_host(hostname, group=UNREADABLE_GROUP)
        self._set_vars(hostname, entry, path)
        self.display.warning(f"{self.NAME}: {hostname} could not be read: {entry['unreadable_reason']}")

    def _set_vars(self, hostname: str, read: Dict[str, Any], path: str) -> Dict[str, Any]:
        """What was read from AWS, unsafe, and this plugin's own variables."""
        host_vars = {key: wrap_var(value) for key, value in read.items()}
        host_vars.update(self._common_vars(path))
        for name, value in host_vars.items():
            self.inventory.set_variable(hostname, name, value)
        return host_vars


def _digest(options: Dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(options, sort_keys=True, default=str).encode()).hexdigest()[:12]
