# -*- coding: utf-8 -*-

# Copyright: Contributors to the aws_search.cross_cluster project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Runs on the controller only: reads each domain host's variables once and returns the guard's plan."""

import os
from datetime import datetime
from datetime import timezone

from ansible.plugins.action import ActionBase

from ansible_collections.aws_search.cross_cluster.plugins.module_utils.domain_discovery import SOURCE_VARIABLE_PREFIX
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.report_files import report_dir_problem
from ansible_collections.aws_search.cross_cluster.plugins.plugin_utils.guard_plan import build_plan
from ansible_collections.aws_search.cross_cluster.plugins.plugin_utils.guard_plan import misnamed_vars

ARGUMENT_SPEC = dict(
    domains=dict(type="list", elements="str", default=[]),
    unreadable=dict(type="list", elements="str", default=[]),
    sources=dict(type="list", elements="str", default=[]),
    report_dir=dict(type="str"),
)


class ActionModule(ActionBase):
    TRANSFERS_FILES = False

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        _validation, params = self.validate_argument_spec(argument_spec=ARGUMENT_SPEC)
        problem = params["report_dir"] and report_dir_problem(os.path.join(os.getcwd(), params["report_dir"]))
        if problem:
            return dict(result, failed=True, msg=problem)
        started = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
        hostvars = task_vars["hostvars"]
        read = [value for name, value in task_vars.items() if name.startswith(SOURCE_VARIABLE_PREFIX)]
        misnamed, warnings = misnamed_vars(params["sources"], task_vars.get("groups") or {})
        sources = {"given": params["sources"], "read": read, "misnamed": misnamed}
        plan = build_plan(hostvars, params["domains"], params["unreadable"], started, sources)
        result.update(changed=False, working_dir=os.getcwd(), **plan)
        result["warnings"] = result.get("warnings", []) + warnings
        return result
