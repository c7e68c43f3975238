# -*- coding: utf-8 -*-

# Copyright: Contributors to the aws_search.cross_cluster project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""AWS calls on connections in one direction, through either API, each retried and each failure explained."""

from __future__ import annotations

from typing import Any
from typing import Dict
from typing import List
from typing import Optional

try:
    import botocore.config
    import botocore.exceptions
except ImportError:
    pass  # AnsibleAWSModule reports a missing botocore

from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry

from ansible_collections.aws_search.cross_cluster.plugins.module_utils.aws_failures import failure
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.connection_api import ConnectionApi
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.connection_api import scope

# AWSRetry's own list lacks the codes this service throttles and fails with.
RETRY = AWSRetry.jittered_backoff(
    retries=10, delay=3, catch_extra_error_codes=["ThrottlingException", "InternalException"]
)
PAGE_SIZE = 100


def connection_client(module: Any, api: ConnectionApi, pool_size: int = 10) -> Any:
    """A boto3 client for api whose calls retry throttling and internal errors when given aws_retry=True.

    pool_size: how many HTTP connections it keeps, at least as many as threads that share it (botocore keeps 10).
    """
    config = botocore.config.Config(max_pool_connections=max(pool_size, 10))
    return module.client(api.client_name, retry_decorator=RETRY, config=config)


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
            found.extend(page.get(self.api.connections_key, []))
            if not page.get("NextToken"):
                return found
            params["NextToken"] = page["NextToken"]

    def find(self, connection_id: str) -> Optional[dict]:
        """The connection with this id, or None when there is none (one call)."""
        filters = [{"Name": self.api.id_filter, "Values": [connection_id]}]
        page = self._call("describe", self.subject(connection_id), Filters=filters)
        matches = [c for c in page.get(self.api.connections_key, []) if c.get(self.api.id_key) == connection_id]
        return matches[0] if matches else None

    def act(self, action: str, connection_id: str) -> dict:
        """Reject, accept or delete the connection; returns it as the API answered."""
        response = self._call(action, self.subject(connection_id), **{self.api.id_key: connection_id})
        return response.get(self.api.connection_key, {})

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

    def _call(self, action: str, subject: str, **params: Any) -> dict:
        method = getattr(self.client, self.api.method(self.direction, action))
        try:
            return method(aws_retry=True, **params)
        except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as error:
            raise failure(error, action, subject, self.direction, self.api, self.region) from error
