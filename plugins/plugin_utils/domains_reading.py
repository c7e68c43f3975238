# -*- coding: utf-8 -*-

# Copyright: Contributors to the aws_search.cross_cluster project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The domains inventory's reading of AWS (controller only): the accounts to read (the caller's, a list of roles,
or an organization's), each account's regions, domains and tags, the clients that read them, and every failure kept
as an unreadable entry, never dropped. The inventory plugin (plugins/inventory/domains.py) makes hosts of it."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from dataclasses import field
from datetime import datetime
from datetime import timezone
from typing import Any
from typing import Dict
from typing import List
from typing import Optional
from typing import Tuple

try:
    import boto3
    import botocore.exceptions
except ImportError:
    pass  # AWSInventoryBase reports a missing boto3 or botocore

from ansible.errors import AnsibleError
from ansible_collections.amazon.aws.plugins.plugin_utils.botocore import get_aws_connection_info

from ansible_collections.aws_search.cross_cluster.plugins.module_utils.api_calls import client_config
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.aws_failures import ANSWER_ERRORS
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.aws_failures import UnreadableAnswer
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.aws_failures import hint_for_read
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.domain_discovery import MAX_TAG_READS
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.domain_discovery import UNKNOWN_ACCOUNT
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.domain_discovery import account_of_role
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.domain_discovery import domain_arn
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.domain_discovery import partition_of
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.domain_discovery import unreadable
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.organization import OrganizationError
from ansible_collections.aws_search.cross_cluster.plugins.plugin_utils.account_sources import ALL_REGIONS
from ansible_collections.aws_search.cross_cluster.plugins.plugin_utils.account_sources import enabled_regions
from ansible_collections.aws_search.cross_cluster.plugins.plugin_utils.account_sources import organization_role_arns
from ansible_collections.aws_search.cross_cluster.plugins.plugin_utils.account_sources import partition_for
from ansible_collections.aws_search.cross_cluster.plugins.plugin_utils.account_sources import wants_all_regions

Found = Dict[str, List[Dict[str, Any]]]
# Regions listed at once in one account.
MAX_REGION_READS = 8
# What CloudTrail shows of the inventory's AssumeRole in each account.
SESSION_NAME = "aws-search-domains-inventory"


@dataclass(frozen=True)
class _Account:
    """One account being read: its id and partition, and the credentials to read it with (none: the caller's)."""

    account_id: str
    partition: str
    credentials: Dict[str, Any] = field(default_factory=dict)


class DomainReading:
    """What the inventory plugin reads from AWS; mixed into the plugin, whose options, region and clients it uses."""

    def __init__(self) -> None:
        super().__init__()
        self._shared_session = None
        self._clients_lock = threading.Lock()

    def _discover(self, regions: List[str]) -> Found:
        concurrency = self.get_option("max_concurrency")
        read_at = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        try:
            roles, left_out, names = self._roles()
            sts = self._client("sts", self.region, concurrency)
        except _Unreadable as failure:
            return dict(_nothing_read(UNKNOWN_ACCOUNT, regions, str(failure)), read_at=read_at)
        with ThreadPoolExecutor(max_workers=max(1, min(len(roles), concurrency))) as pool:
            per_account = list(pool.map(lambda role: self._read_account(role, regions, sts), roles))
        found = {key: [entry for part in per_account for entry in part[key]] for key in ("domains", "unreadable")}
        for entry in found["domains"] + found["unreadable"]:
            if entry["account_id"] in names:
                entry["account_name"] = names[entry["account_id"]]
        return dict(found, read_at=read_at, left_out=left_out)

    def _roles(self) -> Tuple[List[Optional[str]], Dict[str, int], Dict[str, str]]:
        """The role to assume in each account (None for the caller's own account); with organization, how many
        accounts were left out on purpose (excluded, not_active), and the accounts' names."""
        if self.get_option("iam_role_arns"):
            return list(self.get_option("iam_role_arns")), {}, {}
        organization = self.get_option("organization")
        if organization is None:
            return [self.get_option("assume_role_arn")], {}, {}
        partition = partition_for(self.region)
        client = self._client("organizations", self.region)
        try:
            return organization_role_arns(client, organization, self.get_option("role_name"), partition)
        except OrganizationError as error:
            raise _Unreadable(f"{error.message} ({error.exception})") from error

    def _read_account(self, role: Optional[str], regions: List[str], sts: Any) -> Found:
        try:
            account = self._account(role, sts)
        except _Unreadable as failure:
            return _with_role(_nothing_read(account_of_role(role), regions, str(failure)), role)
        if wants_all_regions(regions):
            try:
                ec2 = self._client("ec2", self.region, credentials=account.credentials)
                regions = _enabled(self._call(ec2, "describe_regions", "Regions"))
            except _Unreadable as failure:
                return _with_role(_nothing_read(account.account_id, [ALL_REGIONS], str(failure)), role)
        with ThreadPoolExecutor(max_workers=max(1, min(len(regions), MAX_REGION_READS))) as pool:
            per_region = list(pool.map(lambda region: self._read_region(region, account), regions))
        found = {key: [entry for part in per_region for entry in part[key]] for key in ("domains", "unreadable")}
        return _with_role(found, role)

    def _account(self, role: Optional[str], sts: Any) -> _Account:
        """The account of role (assumed here through sts, the caller's client), or of the caller when role is None;
        _Unreadable if that fails."""
        if role is None:
            identity = self._call(sts, "get_caller_identity", "Account")
            return _Account(str(identity["Account"]), partition_of(identity.get("Arn", "")))
        try:
            assumed = self._call(sts, "assume_role", "Credentials", RoleArn=role, RoleSessionName=SESSION_NAME)
        except _Unreadable as failure:
            raise _Unreadable(f"Unable to assume role {role}: {failure}") from failure
        keys = assumed["Credentials"]
        fields = ("AccessKeyId", "SecretAccessKey", "SessionToken")
        if not isinstance(keys, dict) or not all(keys.get(name) for name in fields):
            raise _Unreadable(f"Unable to assume role {role}: AssumeRole answered without {', '.join(fields)}")
        credentials = {
            "profile_name": None,
            "aws_access_key_id": keys["AccessKeyId"],
            "aws_secret_access_key": keys["SecretAccessKey"],
            "aws_session_token": keys["SessionToken"],
        }
        caller_arn = assumed.get("AssumedRoleUser", {}).get("Arn", "")
        return _Account(account_of_role(role), partition_of(caller_arn), credentials)

    def _read_region(self, region: str, account: _Account) -> Found:
        try:
            client = self._client("opensearch", region, MAX_TAG_READS, account.credentials)
            names = self._call(client, "list_domain_names", "DomainNames")["DomainNames"]
            engines = self.get_option("engine_types")
            domains = [_domain(entry, region, account.account_id) for entry in names]
            domains = [domain for domain in domains if domain["engine_type"] in engines]
        except _Unreadable as failure:
            return {"domains": [], "unreadable": [unreadable(account.account_id, region, str(failure))]}
        if not self.get_option("include_tags") or not domains:
            return {"domains": domains, "unreadable": []}
        with ThreadPoolExecutor(max_workers=min(len(domains), MAX_TAG_READS)) as pool:
            failures = list(pool.map(lambda domain: self._read_tags(client, domain, account.partition), domains))
        tagged = [domain for domain, failure in zip(domains, failures) if failure is None]
        return {"domains": tagged, "unreadable": [failure for failure in failures if failure is not None]}

    def _read_tags(self, client: Any, domain: Dict[str, Any], partition: str) -> Any:
        """Reads the tags into domain; a domain whose tags cannot be read is unreadable, never untagged."""
        region, account_id, name = domain["domain_region"], domain["account_id"], domain["domain_name"]
        arn = domain_arn(partition, region, account_id, name)
        try:
            tags = self._call(client, "list_tags", "TagList", ARN=arn)["TagList"]
            domain["domain_tags"] = {_field(tag, "Key", "ListTags"): tag.get("Value", "") for tag in tags}
        except _Unreadable as failure:
            return unreadable(account_id, region, f"could not read the tags of {arn}: {failure}", name)
        return None

    def _client(self, service: str, region: str, pool_size: int = 10, credentials: Optional[Dict] = None) -> Any:
        """One client per service and region, with the caller's credentials or an assumed role's; _Unreadable if it
        cannot be made (a profile or region missing)."""
        try:
            if credentials:
                return self._account_client(service, region, pool_size, credentials)
            return self.client(service, region=region, config=client_config(pool_size))
        except (AnsibleError, botocore.exceptions.BotoCoreError) as error:
            raise _Unreadable(f"no {service} client for {region}: {error}") from error

    def _account_client(self, service: str, region: str, pool_size: int, credentials: Dict[str, Any]) -> Any:
        """A client with an assumed role's keys, from one boto3 session for the whole run, with amazon.aws's connection
        settings (endpoint_url, validate_certs, aws_ca_bundle, aws_config). amazon.aws makes a session per client,
        which reads the service models again (about 100 ms a client): for 100 accounts, most of the run."""
        _region, endpoint_url, settings = get_aws_connection_info(self)
        config = client_config(pool_size)
        if settings.get("aws_config"):
            config = config.merge(settings["aws_config"])
        keys = {name: value for name, value in credentials.items() if name != "profile_name"}
        with self._clients_lock:
            if self._shared_session is None:
                self._shared_session = boto3.session.Session(profile_name=self.get_option("profile") or None)
            return self._shared_session.client(
                service,
                region_name=region,
                endpoint_url=endpoint_url,
                verify=settings.get("verify"),
                config=config,
                **keys,
            )

    def _call(self, client: Any, operation: str, answer_key: str, **params: Any) -> Dict[str, Any]:
        """One AWS call with the collection's retries, whose answer holds answer_key (the API's answer always does);
        _Unreadable, with what happened and what to do, if it fails or answers without it (a proxy's page)."""
        name = client.meta.method_to_api_mapping.get(operation, operation)
        try:
            answer = getattr(client, operation)(**params)
            if answer_key not in answer:
                raise UnreadableAnswer(f"the answer to {name} has no {answer_key}")
            return answer
        except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError, *ANSWER_ERRORS) as error:
            iam_action = f"{client.meta.service_model.signing_name}:{name}"
            raise _Unreadable(f"{name} failed: {hint_for_read(error, iam_action)} ({error!r})") from error


def _field(entry: Dict[str, Any], key: str, operation: str) -> Any:
    """An entry's key that the API always gives; _Unreadable when the answer lacks it."""
    if not isinstance(entry, dict) or key not in entry:
        raise _unreadable_answer(operation, f"an entry has no {key}")
    return entry[key]


def _enabled(answer: Dict[str, Any]) -> List[str]:
    """The enabled regions of a DescribeRegions answer; _Unreadable for an answer that is not DescribeRegions'."""
    try:
        return enabled_regions(answer)
    except UnreadableAnswer as error:
        raise _unreadable_answer("DescribeRegions", str(error)) from error


def _unreadable_answer(operation: str, detail: str) -> "_Unreadable":
    """An answer of operation that is not the API's: never read as less than AWS has."""
    return _Unreadable(f"{operation} failed: {hint_for_read(UnreadableAnswer(detail), '')} ({detail})")


def _domain(entry: Dict[str, Any], region: str, account_id: str) -> Dict[str, Any]:
    return {
        "domain_name": _field(entry, "DomainName", "ListDomainNames"),
        "domain_region": region,
        "account_id": account_id,
        "engine_type": entry.get("EngineType", "OpenSearch"),
    }


def read_of(discovered: Dict[str, Any], from_cache: bool) -> Dict[str, Any]:
    """When the source's accounts were read from AWS, whether this run took them from the cache, and how many accounts
    of the organization were left out on purpose (a result cached by 0.4.0 has no read_at: null)."""
    left_out = discovered.get("left_out") or {}
    return {
        "read_at": discovered.get("read_at"),
        "from_cache": from_cache,
        "accounts_excluded": left_out.get("excluded", 0),
        "accounts_not_active": left_out.get("not_active", 0),
    }


def _nothing_read(account_id: str, regions: List[str], reason: str) -> Found:
    return {"domains": [], "unreadable": [unreadable(account_id, region, reason) for region in regions]}


def _with_role(found: Found, role: Optional[str]) -> Found:
    """Each entry names the role assumed to read its account (account_role_arn), for the guard to act with."""
    if role:
        for entry in found["domains"] + found["unreadable"]:
            entry["account_role_arn"] = role
    return found


class _Unreadable(Exception):
    """An AWS call of the inventory failed; the message says what happened and what to do."""
