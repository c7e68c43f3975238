"""Which regions an account may call, as AWS decides it: the regions enabled by default, and an opt-in region only
once the account has enabled it; and EC2 DescribeRegions (the query protocol), which lists them per account."""

from __future__ import annotations

from typing import Dict
from typing import Iterable
from typing import List
from typing import Set
from typing import Tuple
from urllib.parse import parse_qs
from xml.sax.saxutils import escape

import boto3

# The regions of partition aws enabled for every account; every other region of it is opt-in (AWS's documentation,
# "Enable or disable AWS Regions in your account").
ENABLED_BY_DEFAULT = frozenset(
    {
        "us-east-1",
        "us-east-2",
        "us-west-1",
        "us-west-2",
        "ca-central-1",
        "eu-west-1",
        "eu-west-2",
        "eu-west-3",
        "eu-central-1",
        "eu-north-1",
        "ap-south-1",
        "ap-northeast-1",
        "ap-northeast-2",
        "ap-northeast-3",
        "ap-southeast-1",
        "ap-southeast-2",
        "sa-east-1",
    }
)
REGIONS = """<DescribeRegionsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
  <requestId>local-ec2</requestId>
  <regionInfo>{items}</regionInfo>
</DescribeRegionsResponse>"""
REGION = (
    "<item><regionName>{name}</regionName><regionEndpoint>ec2.{name}.amazonaws.com</regionEndpoint>"
    "<optInStatus>{status}</optInStatus></item>"
)
EC2_ERROR = """<Response><Errors><Error><Code>{code}</Code><Message>{message}</Message></Error></Errors>
<RequestID>local-ec2</RequestID></Response>"""


def all_regions() -> List[str]:
    return sorted(boto3.session.Session().get_available_regions("ec2"))


def is_enabled(region: str, opted_in: Iterable[str]) -> bool:
    """True when an account that enabled the opt-in regions opted_in may call region (of partition aws)."""
    return region in ENABLED_BY_DEFAULT or region in set(opted_in) or region not in all_regions()


def describe_regions(body: bytes, opted_in: Set[str]) -> Tuple[int, bytes]:
    """DescribeRegions for an account that enabled opted_in: the enabled regions, or with AllRegions every region
    and its status; RegionName.N (the RegionNames parameter) narrows either."""
    form = parse_qs(body.decode())
    wanted = {values[0] for name, values in form.items() if name.startswith("RegionName.")}
    every = form.get("AllRegions", ["false"])[0].lower() == "true"
    items = []
    for name in all_regions():
        status = _status(name, opted_in)
        if (every or status != "not-opted-in") and (not wanted or name in wanted):
            items.append(REGION.format(name=escape(name), status=status))
    return 200, REGIONS.format(items="".join(items)).encode()


def _status(region: str, opted_in: Set[str]) -> str:
    if region in ENABLED_BY_DEFAULT:
        return "opt-in-not-required"
    return "opted-in" if region in opted_in else "not-opted-in"


def refusal(service: str) -> Tuple[str, str, int]:
    """What AWS answers a request signed for a region the account has not enabled: code, message, HTTP status."""
    if service == "ec2":
        return "AuthFailure", "AWS was not able to validate the provided access credentials", 401
    code = "InvalidClientTokenId" if service == "sts" else "UnrecognizedClientException"
    return code, "The security token included in the request is invalid.", 403


def opted_in_of(spec: Dict) -> Set[str]:
    regions = spec.get("opted_in_regions", [])
    if not isinstance(regions, list):
        raise ValueError("opted_in_regions must be a list")
    return set(regions)
