# -*- coding: utf-8 -*-

# Copyright: Contributors to the aws_search.cross_cluster project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""What the connection modules share: their common options, and how they report a result or a failure."""

from __future__ import annotations

from typing import Any
from typing import Callable
from typing import Dict
from typing import Optional

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict

from ansible_collections.aws_search.cross_cluster.plugins.module_utils.api_differences import APIS
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.aws_failures import ConnectionApiError
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.results import ConnectionResult
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.results import ConnectionStateError

API_OPTION = dict(type="str", default="es", choices=["es", "opensearch"])
WAIT_OPTIONS = dict(wait=dict(type="bool", default=False), wait_timeout=dict(type="int", default=300))


def module_output(result: ConnectionResult, connection_id: Optional[str], fact_name: str) -> Dict[str, Any]:
    connection = camel_dict_to_snake_dict(result.connection)
    return {
        "changed": result.changed,
        "connection_id": connection_id,
        "status": result.status,
        "previous_status": result.previous_status,
        "connection": connection,
        "ansible_facts": {fact_name: connection},
        "diff": {"before": {"status": result.previous_status}, "after": {"status": result.status}},
    }


def run_and_exit(
    module: Any, ensure: Callable[[], ConnectionResult], fact_name: str, request_id: Optional[str]
) -> None:
    """Run ensure, then exit the module with its result, or fail it with a sentence that says what to do.

    request_id is the connection id to report when the result holds no connection (none found, or check mode).
    """
    try:
        result = ensure()
    except ConnectionApiError as error:
        module.fail_json_aws_error(error)
    except ConnectionStateError as error:
        module.fail_json(msg=str(error))
    for warning in result.warnings:
        module.warn(warning)
    api = APIS[module.params["api"]]
    module.exit_json(**module_output(result, result.connection.get(api.id_key, request_id), fact_name))
