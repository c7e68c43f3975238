# -*- coding: utf-8 -*-

# Copyright: Contributors to the aws_search.cross_cluster project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""AWS calls on connections in one direction, through either API, each retried and each failure explained."""

from __future__ import annotations

import functools
from typing import Any
from typing import Callable
from typing import Dict
from typing import List
from typing import Optional

try:
    import botocore.config
    import botocore.exceptions
    import botocore.retries.standard
except ImportError:
    pass  # AnsibleAWSModule reports a missing botocore

from ansible_collections.aws_search.cross_cluster.plugins.module_utils.api_differences import ConnectionApi
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.api_differences import scope
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.aws_failures import ANSWER_ERRORS
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.aws_failures import UnreadableAnswer
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.aws_failures import failure

PAGE_SIZE = 100
LIMIT_EXCEEDED = "LimitExceededException"
# One retry layer: botocore's own, in standard mode. It retries throttling, AWS's 5xx answers, connection errors
# and read timeouts, with jittered exponential backoff (amazon.aws's AWSRetry sees only AWS's error codes, and on
# top of botocore's retries it multiplies them).
MAX_ATTEMPTS = 5
CONNECT_TIMEOUT = 5
READ_TIMEOUT = 10
# The longest one call can take: every attempt timing out, and the longest backoff before each retry (1, 2, 4 and
# 8 seconds for throttling). aws_config (retries, connect_timeout, read_timeout) changes it.
LONGEST_CALL_SECONDS = MAX_ATTEMPTS * (CONNECT_TIMEOUT + READ_TIMEOUT) + sum(2**i for i in range(MAX_ATTEMPTS - 1))


def client_config(pool_size: int = 10) -> Any:
    """pool_size: how many HTTP connections the client keeps, at least as many as threads share it (10 at least)."""
    return botocore.config.Config(
        retries={"mode": "standard", "total_max_attempts": MAX_ATTEMPTS},
        connect_timeout=CONNECT_TIMEOUT,
        read_timeout=READ_TIMEOUT,
        max_pool_connections=max(pool_size, 10),
    )


def connection_client(module: Any, api: ConnectionApi, pool_size: int = 10, **connection: Any) -> Any:
    """A boto3 client for api with the collection's retries and timeouts; the module's aws_config overrides them."""
    return aws_client(module, api.client_name, pool_size, **connection)


def aws_client(module: Any, service: str, pool_size: int = 10, **connection: Any) -> Any:
    """A boto3 client for service with the collection's retries and timeouts; the module's aws_config overrides them.

    connection overrides what the module's options say of the connection (region, or a role's credentials)."""
    module.params["aws_config"] = with_standard_retries(module.params.get("aws_config"))
    return fail_fast_on_limits(module.client(service, config=client_config(pool_size), **connection))


def with_standard_retries(aws_config: Optional[Dict[str, Any]]) -> Optional[Dict[str, Any]]:
    """aws_config whose retries keep standard mode unless they name a mode.

    amazon.aws merges aws_config over the client's config with botocore's Config.merge, which replaces the whole
    retries dict: retries without a mode would fall back to botocore's legacy mode.
    """
    retries = (aws_config or {}).get("retries")
    if not isinstance(retries, dict) or "mode" in retries:
        return aws_config
    return dict(aws_config or {}, retries=dict(retries, mode="standard"))


def fail_fast_on_limits(client: Any) -> Any:
    """The client, retrying as botocore's standard mode does, except LimitExceededException.

    botocore takes LimitExceededException for throttling; these APIs answer it for the limit of 20 connections a
    domain, which no retry cures. The standard retry handler is registered anew and wrapped to give up on it.
    """
    retries = client.meta.config.retries or {}
    if retries.get("mode") not in ("standard", "adaptive"):
        return client
    service = client.meta.service_model.service_id.hyphenize()
    event, unique_id = f"needs-retry.{service}", f"retry-config-{service}"
    client.meta.events.unregister(event, unique_id=unique_id)
    attempts = {"max_attempts": retries["total_max_attempts"]} if retries.get("total_max_attempts") else {}
    handler = botocore.retries.standard.register_retry_handler(client, **attempts)
    client.meta.events.unregister(event, unique_id=unique_id)
    client.meta.events.register(event, functools.partial(_unless_limit, handler.needs_retry), unique_id=unique_id)
    return client


def _unless_limit(needs_retry: Callable[..., Optional[float]], **kwargs: Any) -> Optional[float]:
    """The standard handler's answer (seconds to wait before retrying, or None), None for LimitExceededException."""
    response = kwargs.get("response")
    if response is not None and response[1].get("Error", {}).get("Code") == LIMIT_EXCEEDED:
        return None
    return needs_retry(**kwargs)


class Connections:
    """The inbound or outbound connections one account sees through one API."""

    def __init__(self, client: Any, api: ConnectionApi, region: str, direction: str) -> None:
        self.client = client
        self.api = api
        self.region = region
        self.direction = direction

    def list(self, filters: Optional[Dict[str, List[str]]] = None) -> List[dict]:
        """Every connection matching filters (module option names), a page of 100 per call."""
        wire_filters = [
            {"Name": self.api.filter_name(option), "Values": values} for option, values in (filters or {}).items()
        ]
        subject = f"{self.direction} connections"
        found: List[dict] = []
        params: Dict[str, Any] = {"Filters": wire_filters, "MaxResults": PAGE_SIZE}
        while True:
            page = self._call("describe", subject, **params)
            found.extend(page[self.api.connections_key])
            if not page.get("NextToken"):
                return found
            params["NextToken"] = page["NextToken"]

    def find(self, connection_id: str) -> Optional[dict]:
        """The connection with this id, or None when there is none (one call)."""
        filters = [{"Name": self.api.id_filter, "Values": [connection_id]}]
        page = self._call("describe", self.subject(connection_id), Filters=filters)
        matches = [c for c in page[self.api.connections_key] if c.get(self.api.id_key) == connection_id]
        return matches[0] if matches else None

    def act(self, action: str, connection_id: str) -> dict:
        """Reject, accept or delete the connection; returns it as the API answered."""
        response = self._call(action, self.subject(connection_id), **{self.api.id_key: connection_id})
        return response[self.api.connection_key]

    def create(self, alias: str, **params: Any) -> dict:
        """Request an outbound connection; returns it as the API answered."""
        response = self._call("create", f"{self.direction} connection '{alias}'", ConnectionAlias=alias, **params)
        response.pop("ResponseMetadata", None)
        return response

    @property
    def scope(self) -> str:
        """(api=..., region=...), as every message names where the calls went."""
        return scope(self.api, self.region)

    def subject(self, connection_id: str) -> str:
        return f"{self.direction} connection '{connection_id}'"

    def _answer_key(self, action: str) -> str:
        """What the API's answer to action always holds."""
        return {"describe": self.api.connections_key, "create": self.api.id_key}.get(action, self.api.connection_key)

    def _call(self, action: str, subject: str, **params: Any) -> dict:
        """The API's answer; ConnectionApiError when the call fails or the answer lacks what the API always holds."""
        method = getattr(self.client, self.api.method(self.direction, action))
        expected = self._answer_key(action)
        try:
            answer = method(**params)
            if expected not in answer:
                raise UnreadableAnswer(f"the answer to {method.__name__} has no {expected}")
            return answer
        except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError, *ANSWER_ERRORS) as error:
            raise failure(error, action, subject, self.direction, self.api, self.region) from error
