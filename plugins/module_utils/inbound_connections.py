# -*- coding: utf-8 -*-

# Copyright: Contributors to the aws_search.cross_cluster project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""AWS calls on inbound connections, through either API, each retried and each failure explained."""

from __future__ import annotations

from typing import Any
from typing import Optional

try:
    import botocore.exceptions
except ImportError:
    pass  # AnsibleAWSModule reports a missing botocore

from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry

from ansible_collections.aws_search.cross_cluster.plugins.module_utils.aws_failures import failure
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.connection_api import ConnectionApi

# AWSRetry's own list lacks the code this service throttles with.
RETRY = AWSRetry.jittered_backoff(
    retries=10, delay=3, catch_extra_error_codes=["ThrottlingException", "InternalException"]
)


def connection_client(module: Any, api: ConnectionApi) -> Any:
    """A boto3 client for api whose calls retry throttling and internal errors when given aws_retry=True."""
    return module.client(api.client_name, retry_decorator=RETRY)


class InboundConnections:
    """Inbound connections seen through one API, with one AWS call per method call (retries aside)."""

    def __init__(self, client: Any, api: ConnectionApi, region: str) -> None:
        self.client = client
        self.api = api
        self.region = region

    def find(self, connection_id: str) -> Optional[dict]:
        """The connection with this id, or None when there is none."""
        filters = [{"Name": self.api.inbound_id_filter, "Values": [connection_id]}]
        response = self._call("describe", connection_id, Filters=filters)
        matches = [c for c in response.get(self.api.connections_key, []) if c.get(self.api.id_key) == connection_id]
        return matches[0] if matches else None

    def act(self, action: str, connection_id: str) -> dict:
        """Reject, accept or delete the connection; returns the connection as the API answered it."""
        response = self._call(action, connection_id, **{self.api.id_key: connection_id})
        return response.get(self.api.connection_key, {})

    def _call(self, action: str, connection_id: str, **params: Any) -> dict:
        method = getattr(self.client, self.api.inbound_method(action))
        try:
            return method(aws_retry=True, **params)
        except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as error:
            raise failure(error, action, connection_id, self.api, self.region) from error
