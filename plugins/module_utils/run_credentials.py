# -*- coding: utf-8 -*-

# Copyright: Contributors to the aws_search.cross_cluster project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The credentials one guard run works with: its account's role, taken inside the module process (they never leave
it), or the task's own; either way checked to be the domains' account."""

from __future__ import annotations

from typing import Any
from typing import Dict
from typing import Optional
from typing import Tuple

try:
    import botocore.exceptions
except ImportError:
    pass  # AnsibleAWSModule reports a missing botocore

from ansible_collections.aws_search.cross_cluster.plugins.module_utils.aws_failures import ANSWER_ERRORS
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.aws_failures import hint_for_read
from ansible_collections.aws_search.cross_cluster.plugins.module_utils.domain_discovery import account_of_arn

# botocore's names for the keys a client is made with.
ClientCredentials = Dict[str, Optional[str]]


class RunCredentialsError(Exception):
    """The run's credentials could not be had, or are another account's; the message says which and what to do, and
    exception is AWS's error, if there was one."""

    def __init__(self, message: str, exception: Optional[Exception] = None) -> None:
        super().__init__(message)
        self.message, self.exception = message, exception


def role_credentials(sts: Any, role_arn: str, session_name: str, region: str) -> Tuple[ClientCredentials, str]:
    """The role's temporary credentials (one AssumeRole), as client keyword arguments, and the account they are of;
    RunCredentialsError when the role is refused."""
    try:
        answer = sts.assume_role(RoleArn=role_arn, RoleSessionName=session_name)
        keys, assumed_arn = answer["Credentials"], answer["AssumedRoleUser"]["Arn"]
        credentials = {
            "aws_access_key_id": keys["AccessKeyId"],
            "aws_secret_access_key": keys["SecretAccessKey"],
            "aws_session_token": keys["SessionToken"],
            # The role's keys, not a profile the task names.
            "profile_name": None,
        }
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError, *ANSWER_ERRORS) as error:
        hint = hint_for_read(error, "sts:AssumeRole")
        raise RunCredentialsError(f"Could not take the role {role_arn} (region {region}): {hint}", error) from error
    return credentials, account_of_arn(assumed_arn)


def caller_account(sts: Any, region: str) -> str:
    """The account of the task's own credentials (one GetCallerIdentity)."""
    try:
        return str(sts.get_caller_identity()["Account"])
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError, *ANSWER_ERRORS) as error:
        hint = hint_for_read(error, "sts:GetCallerIdentity")
        message = f"Could not read the account of the credentials (region {region}): {hint}"
        raise RunCredentialsError(message, error) from error


def wrong_account(account_id: str, credentials_account: str, role_arn: Optional[str]) -> Optional[str]:
    """Why credentials of credentials_account may not decide account_id's domains; None when they are its own."""
    if credentials_account == account_id:
        return None
    if role_arn:
        return (
            f"The role {role_arn} is in account {credentials_account}, not in the domains' account {account_id}: fix"
            " the inventory source's iam_role_arn, and refresh its cache (--flush-cache)"
        )
    return (
        f"The domains of account {account_id} come from an inventory source without iam_role_arn, and the play's"
        f" credentials are account {credentials_account}'s: give that source the account's role"
    )
