# -*- coding: utf-8 -*-

# Copyright: Contributors to the aws_search.cross_cluster project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
name: domains
short_description: Amazon OpenSearch Service and Elasticsearch Service domains as hosts
version_added: 0.3.0
description:
  - Makes each Amazon OpenSearch Service or Amazon Elasticsearch Service domain of one account, in the regions
    given, a host, so that a play can govern every domain's cross-cluster connections (see the playbook
    C(aws_search.cross_cluster.guard)).
  - Uses a YAML configuration file whose name ends in C(domains.aws_search.yml) or C(domains.aws_search.yaml).
  - One account per file (or per inventory source in AWX/AAP), each with its own O(iam_role_arn); several files make
    one inventory of several accounts.
  - "Calls: one STS C(GetCallerIdentity) for the account id, one C(ListDomainNames) per region (the regions are listed
    concurrently, one client each), and with O(include_tags) one C(ListTags) per domain (at most 8 at once per
    region)."
  - Nothing that cannot be read is dropped. An account whose role cannot be assumed or whose identity cannot be
    read, a region that refuses or fails (access denied, throttling past the retries, an unreachable endpoint), and
    with O(include_tags) a domain whose tags cannot be read, each becomes a host of the group C(aws_search_unreadable)
    (not of C(aws_search_domains)), with C(account_id), C(domain_region), C(unreadable_reason) and, for a domain,
    C(domain_name). The playbook C(aws_search.cross_cluster.guard) fails the run for any of them and names them in
    its report. The other accounts, regions and domains are still listed. Options that are wrong (a region that is
    no region name, an unknown engine type) fail at once.
  - A region name that no partition botocore knows has (a typo such as C(eu-wset-1)) is a warning naming it.
  - "Host names are C(<domain_name>.<region>.<account_id>): readable, and unique across accounts and regions.
    Host variables: C(domain_name), C(domain_region), C(account_id), C(engine_type), C(domain_tags) (with
    O(include_tags)), C(account_role_arn) (the role assumed, when O(iam_role_arn) is set), C(account_role_region)
    (the STS region the role was assumed through), C(inventory_source) (this file),
    C(ansible_connection=local) and C(ansible_python_interpreter) set to the controller's Python
    (C(ansible_playbook_python), as for the implicit localhost, so that a virtual environment's boto3 is used). Values read from AWS are unsafe: they are never
    templated."
  - Domain ARNs (for C(ListTags)) take their partition (C(aws), C(aws-cn), C(aws-us-gov)) from the caller's ARN.
  - A result with an unreadable part is not cached, so that the next run reads it again.
  - C(ListDomainNames) does not return engine versions, so no host variable holds one.
options:
  plugin:
    description: The name of this plugin.
    required: true
    choices: [aws_search.cross_cluster.domains]
    type: str
  regions:
    description:
      - The regions to list domains in. Required; no region is guessed.
    type: list
    elements: str
    required: true
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

from concurrent.futures import ThreadPoolExecutor
from typing import Any
from typing import Dict
from typing import List

try:
    import botocore.exceptions
except ImportError:
    pass  # AWSInventoryBase reports a missing botocore

from ansible.errors import AnsibleError
from ansible.utils.unsafe_proxy import wrap_var
from ansible_collections.amazon.aws.plugins.plugin_utils.inventory import AWSInventoryBase

from ansible_collections.aws_search.cross_cluster.plugins.module_utils.api_calls import client_config
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.aws_failures import hint_for_read
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.domain_discovery import GROUP
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.domain_discovery import MAX_TAG_READS
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.domain_discovery import UNREADABLE_GROUP
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.domain_discovery import account_of_role
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.domain_discovery import domain_arn
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.domain_discovery import partition_of
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.domain_discovery import unknown_regions
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.domain_discovery import unreadable
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.domain_discovery import unreadable_hostname
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.input_checks import region_problem

try:
    from ansible.template import trust_as_template
except ImportError:  # ansible-core < 2.19 templates every string that is not marked unsafe

    def trust_as_template(value):
        return value


Found = Dict[str, List[Dict[str, Any]]]


class InventoryModule(AWSInventoryBase):
    NAME = "aws_search.cross_cluster.domains"
    INVENTORY_FILE_SUFFIXES = ("domains.aws_search.yml", "domains.aws_search.yaml")

    def verify_file(self, path):
        if not super().verify_file(path):
            if str(path).endswith((".yml", ".yaml")) and not str(path).endswith(self.INVENTORY_FILE_SUFFIXES):
                self.display.warning(
                    f"{path}: the {self.NAME} inventory's file name must end in {' or '.join(self.INVENTORY_FILE_SUFFIXES)}"
                )
            return False
        return True

    def _set_frozen_credentials(self):
        # STS (the role, the account id) needs a region: the first listed, unless one is given.
        if not self.region and self.get_option("regions"):
            self.set_option("region", self.get_option("regions")[0])
        self._role_failure = None
        try:
            super()._set_frozen_credentials()
        except AnsibleError as error:
            self._role_failure = str(error)

    def parse(self, inventory, loader, path, cache=True):
        super().parse(inventory, loader, path, cache=cache)
        regions = self._checked_regions(path)
        found, discovered = self.get_cached_result(path, cache)
        if not found or not isinstance(discovered, dict):
            discovered = self._discover(regions)
            if not discovered["unreadable"]:
                self.update_cached_result(path, cache, discovered)
        for domain in discovered["domains"]:
            self._add(domain, path)
        for entry in discovered["unreadable"]:
            self._add_unreadable(entry, path)

    def _checked_regions(self, path: str) -> List[str]:
        regions = self.get_option("regions")
        problems = (region_problem(region, f"regions[{index}]") for index, region in enumerate(regions))
        problem = next((problem for problem in problems if problem), None)
        if problem or not regions:
            raise AnsibleError(f"{path}: {problem or 'regions must name at least one region; none is guessed'}")
        for region in unknown_regions(regions):
            self.display.warning(f"{path}: no AWS partition botocore knows has a region named {region}; is it a typo?")
        return regions

    def _discover(self, regions: List[str]) -> Found:
        role_arn = self.get_option("assume_role_arn")
        if self._role_failure:
            return _nothing_read(account_of_role(role_arn), regions, self._role_failure)
        try:
            identity = self._call(self._client("sts", self.region), "get_caller_identity")
        except _Unreadable as failure:
            return _nothing_read(account_of_role(role_arn), regions, str(failure))
        account_id, partition = str(identity.get("Account") or ""), partition_of(identity.get("Arn", ""))
        if not account_id:
            return _nothing_read(account_of_role(role_arn), regions, "GetCallerIdentity answered without an account")
        with ThreadPoolExecutor(max_workers=min(len(regions), 8)) as pool:
            per_region = list(pool.map(lambda region: self._read_region(region, account_id, partition), regions))
        return {key: [entry for found in per_region for entry in found[key]] for key in ("domains", "unreadable")}

    def _read_region(self, region: str, account_id: str, partition: str) -> Found:
        try:
            client = self._client("opensearch", region, MAX_TAG_READS)
            names = self._call(client, "list_domain_names").get("DomainNames", [])
        except _Unreadable as failure:
            return {"domains": [], "unreadable": [unreadable(account_id, region, str(failure))]}
        engines = self.get_option("engine_types")
        domains = [_domain(entry, region, account_id) for entry in names if _engine(entry) in engines]
        if not self.get_option("include_tags") or not domains:
            return {"domains": domains, "unreadable": []}
        with ThreadPoolExecutor(max_workers=min(len(domains), MAX_TAG_READS)) as pool:
            failures = list(pool.map(lambda domain: self._read_tags(client, domain, partition), domains))
        tagged = [domain for domain, failure in zip(domains, failures) if failure is None]
        return {"domains": tagged, "unreadable": [failure for failure in failures if failure is not None]}

    def _read_tags(self, client: Any, domain: Dict[str, Any], partition: str) -> Any:
        """Reads the tags into domain; a domain whose tags cannot be read is unreadable, never untagged."""
        region, account_id, name = domain["domain_region"], domain["account_id"], domain["domain_name"]
        arn = domain_arn(partition, region, account_id, name)
        try:
            tags = self._call(client, "list_tags", ARN=arn).get("TagList", [])
        except _Unreadable as failure:
            return unreadable(account_id, region, f"could not read the tags of {arn}: {failure}", name)
        domain["domain_tags"] = {tag["Key"]: tag["Value"] for tag in tags}
        return None

    def _client(self, service: str, region: str, pool_size: int = 10) -> Any:
        """One client per service and region; _Unreadable if amazon.aws cannot make it (a profile or region missing)."""
        try:
            return self.client(service, region=region, config=client_config(pool_size))
        except AnsibleError as error:
            raise _Unreadable(f"no {service} client for {region}: {error}") from error

    def _call(self, client: Any, operation: str, **params: Any) -> Dict[str, Any]:
        """One AWS call with the collection's retries; _Unreadable, with what happened and what to do, if it fails."""
        try:
            return getattr(client, operation)(**params)
        except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as error:
            name = client.meta.method_to_api_mapping.get(operation, operation)
            iam_action = f"{client.meta.service_model.signing_name}:{name}"
            raise _Unreadable(f"{name} failed: {hint_for_read(error, iam_action)} ({error})") from error

    def _common_vars(self, path: str) -> Dict[str, Any]:
        host_vars = {
            "ansible_connection": "local",
            "ansible_python_interpreter": trust_as_template("{{ ansible_playbook_python }}"),
            "inventory_source": path,
        }
        if self.get_option("assume_role_arn"):
            host_vars["account_role_arn"] = self.get_option("assume_role_arn")
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


def _engine(entry: Dict[str, Any]) -> str:
    return entry.get("EngineType", "OpenSearch")


def _domain(entry: Dict[str, Any], region: str, account_id: str) -> Dict[str, Any]:
    return {
        "domain_name": entry["DomainName"],
        "domain_region": region,
        "account_id": account_id,
        "engine_type": _engine(entry),
    }


def _nothing_read(account_id: str, regions: List[str], reason: str) -> Found:
    return {"domains": [], "unreadable": [unreadable(account_id, region, reason) for region in regions]}


class _Unreadable(Exception):
    """An AWS call of the inventory failed; the message says what happened and what to do."""
