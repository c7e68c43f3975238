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
    concurrently), and with O(include_tags) one C(ListTags) per domain."
  - A region where the credentials may not list domains is a warning naming it; the other regions are still listed.
  - "Host names are C(<domain_name>.<region>.<account_id>): readable, and unique across accounts and regions.
    Host variables: C(domain_name), C(domain_region), C(account_id), C(engine_type), C(domain_tags) (with
    O(include_tags)), C(account_role_arn) (the role assumed, when O(iam_role_arn) is set) and
    C(ansible_connection=local). Values read from AWS are unsafe: they are never templated."
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

try:
    import botocore.exceptions
except ImportError:
    pass  # AWSInventoryBase reports a missing botocore

from ansible.errors import AnsibleError
from ansible.utils.unsafe_proxy import wrap_var
from ansible_collections.amazon.aws.plugins.plugin_utils.inventory import AWSInventoryBase

from ansible_collections.aws_search.cross_cluster.plugins.module_utils.api_calls import client_config
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.aws_failures import error_code
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.aws_failures import hint_for_any_call
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.input_checks import region_problem

GROUP = "aws_search_domains"
# Answers that mean "not allowed here", for one region: the others are still listed.
REFUSED = ("AccessDeniedException", "AccessDenied", "UnrecognizedClientException")


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
        super()._set_frozen_credentials()

    def parse(self, inventory, loader, path, cache=True):
        super().parse(inventory, loader, path, cache=cache)
        regions = self.get_option("regions")
        problems = (region_problem(region, f"regions[{index}]") for index, region in enumerate(regions))
        problem = next((problem for problem in problems if problem), None)
        if problem or not regions:
            raise AnsibleError(f"{path}: {problem or 'regions must name at least one region; none is guessed'}")
        found, domains = self.get_cached_result(path, cache)
        if not found:
            domains = self._discover()
            self.update_cached_result(path, cache, domains)
        for domain in domains:
            self._add(domain)

    def _discover(self):
        account_id = self._call("sts", None, "get_caller_identity")["Account"]
        regions = self.get_option("regions")
        with ThreadPoolExecutor(max_workers=min(len(regions), 8) or 1) as pool:
            listed = pool.map(lambda region: self._domains_in(region, account_id), regions)
        return [domain for domains in listed for domain in domains]

    def _domains_in(self, region, account_id):
        try:
            names = self._call("opensearch", region, "list_domain_names")["DomainNames"]
        except _Refused as refused:
            self.display.warning(
                f"{self.NAME}: could not list the domains of account {account_id} in {region}: {refused}"
            )
            return []
        wanted = [entry for entry in names if entry.get("EngineType", "OpenSearch") in self.get_option("engine_types")]
        return [self._domain(entry, region, account_id) for entry in wanted]

    def _domain(self, entry, region, account_id):
        domain = {
            "domain_name": entry["DomainName"],
            "domain_region": region,
            "account_id": account_id,
            "engine_type": entry.get("EngineType", "OpenSearch"),
        }
        if self.get_option("include_tags"):
            domain["domain_tags"] = self._tags(region, account_id, entry["DomainName"])
        return domain

    def _tags(self, region, account_id, name):
        arn = f"arn:aws:es:{region}:{account_id}:domain/{name}"
        try:
            tags = self._call("opensearch", region, "list_tags", ARN=arn)["TagList"]
        except _Refused as refused:
            self.display.warning(f"{self.NAME}: could not read the tags of {arn}: {refused}")
            return {}
        return {tag["Key"]: tag["Value"] for tag in tags}

    def _call(self, service, region, operation, **params):
        """One AWS call with the collection's retries; _Refused for access denied, AnsibleError for any other failure."""
        try:
            client = self.client(service, region=region or self.region or "us-east-1", config=client_config())
            return getattr(client, operation)(**params)
        except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as error:
            if error_code(error) in REFUSED and region:
                raise _Refused(hint_for_any_call(error)) from error
            raise AnsibleError(f"{self.NAME}: {operation} failed: {hint_for_any_call(error)}: {error}") from error

    def _add(self, domain):
        hostname = f"{domain['domain_name']}.{domain['domain_region']}.{domain['account_id']}"
        self.inventory.add_group(GROUP)
        self.inventory.add_host(hostname, group=GROUP)
        host_vars = {key: wrap_var(value) for key, value in domain.items()}
        host_vars["ansible_connection"] = "local"
        if self.get_option("assume_role_arn"):
            host_vars["account_role_arn"] = self.get_option("assume_role_arn")
        for name, value in host_vars.items():
            self.inventory.set_variable(hostname, name, value)
        strict = self.get_option("strict")
        self._set_composite_vars(self.get_option("compose"), host_vars, hostname, strict=strict)
        self._add_host_to_composed_groups(self.get_option("groups"), host_vars, hostname, strict=strict)
        self._add_host_to_keyed_groups(self.get_option("keyed_groups"), host_vars, hostname, strict=strict)


class _Refused(Exception):
    """The credentials may not list domains in one region."""
