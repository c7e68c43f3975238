# -*- coding: utf-8 -*-

# Copyright: Contributors to the aws_search.cross_cluster project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The inbound_connection_info and outbound_connection_info modules, written once for both directions."""

from __future__ import annotations

from typing import Any
from typing import Dict
from typing import List

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.aws_search.cross_cluster.plugins.module_utils.api_calls import Connections
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.api_calls import connection_client
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.api_differences import APIS
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.api_differences import connection_status
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.aws_failures import ConnectionApiError
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.input_checks import filters_problem
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.module_runner import API_OPTION

# The filters each direction's Describe operation offers, by module option name.
FILTER_OPTIONS = {
    "inbound": (
        "connection_ids",
        "source_owner_ids",
        "source_domain_names",
        "source_regions",
        "destination_domain_names",
    ),
    "outbound": (
        "connection_ids",
        "destination_owner_ids",
        "destination_domain_names",
        "destination_regions",
        "source_domain_names",
    ),
}


def argument_spec(direction: str) -> Dict[str, Any]:
    spec: Dict[str, Any] = {option: dict(type="list", elements="str") for option in FILTER_OPTIONS[direction]}
    spec["statuses"] = dict(type="list", elements="str")
    spec["api"] = API_OPTION
    return spec


def list_connections(connections: Connections, params: Dict[str, Any]) -> List[dict]:
    """The matching connections, snake cased; filters go to AWS, statuses are applied to what it returns."""
    filters = {option: params[option] for option in FILTER_OPTIONS[connections.direction] if params[option]}
    found = connections.list(filters)
    statuses = params["statuses"]
    if statuses:
        found = [connection for connection in found if connection_status(connection) in statuses]
    return [camel_dict_to_snake_dict(connection) for connection in found]


def run_info_module(direction: str) -> None:
    module = AnsibleAWSModule(argument_spec=argument_spec(direction), supports_check_mode=True)
    api = APIS[module.params["api"]]
    problem = filters_problem(module.params, FILTER_OPTIONS[direction] + ("statuses",), api, direction)
    if problem:
        module.fail_json(msg=problem)
    connections = Connections(connection_client(module, api), api, module.region, direction)
    try:
        found = list_connections(connections, module.params)
    except ConnectionApiError as error:
        module.fail_json_aws_error(error)
    module.exit_json(changed=False, connections=found)
