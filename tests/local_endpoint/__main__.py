"""Command line: serve the local endpoint, or run a command while it serves.

python -m local_endpoint serve [--port N] [--transition-seconds S]
python -m local_endpoint run [--integration-config FILE] [--with-moto] -- COMMAND...
python -m local_endpoint seed|domain|hosted|account|security-hub|reset ...  (against the endpoint at $LOCAL_AWS_ENDPOINT_URL)
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import subprocess
import sys
import threading
from typing import ContextManager
from typing import List
from typing import Optional

from . import client
from .endpoint import DEFAULT_KEYS
from .endpoint import Endpoint
from .moto import moto_server
from .server import EndpointServer
from .server import start_endpoint
from .store import Store


def parse_args(argv: List[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m local_endpoint", description=__doc__.splitlines()[0])
    parser.add_argument(
        "mode", choices=["serve", "run", "seed", "domain", "hosted", "account", "security-hub", "reset"]
    )
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (default: a free one)")
    parser.add_argument("--transition-seconds", type=float, default=0.5, help="how long a transitional status lasts")
    parser.add_argument("--integration-config", help="with run: write the endpoint's vars to this YAML file")
    parser.add_argument(
        "--with-moto", action="store_true", help="with run: also serve moto (AWS Organizations, STS) on a free port"
    )
    parser.add_argument("--status", default="PENDING_ACCEPTANCE", help="with seed: the connection's status")
    parser.add_argument("--created-with", default="es", choices=["es", "opensearch"], help="with seed: its API")
    parser.add_argument("--source-owner", default="222222222222", help="with seed: who asks to connect")
    parser.add_argument("--destination-owner", default="111111111111", help="with seed: who is asked")
    parser.add_argument("--destination-domain", default="my-logs", help="with seed: the domain asked")
    parser.add_argument("--destination-region", default="us-east-1", help="with seed: the domain's region")
    parser.add_argument("--region", default="us-east-1", help="with hosted and domain: the domain's region")
    parser.add_argument("--tag", action="append", default=[], help="with hosted: a tag KEY=VALUE (repeat for more)")
    parser.add_argument("--access-policy", default="", help="with hosted: the domain's access policy (JSON)")
    parser.add_argument("--vpc-id", help="with hosted: the domain's VPC (a public domain without it)")
    parser.add_argument(
        "--fine-grained",
        choices=["off", "on", "anonymous"],
        default="off",
        help="with hosted: fine-grained access control (anonymous: with anonymous auth on)",
    )
    parser.add_argument(
        "--vpc-endpoint-access", action="append", default=[], help="with hosted: an account (or service) (repeat)"
    )
    parser.add_argument(
        "--account-id", default="444444444444", help="with account (prints its keys) and security-hub: the account"
    )
    parser.add_argument(
        "--role",
        action="append",
        default=[],
        help="with account: a role the account has, path and name (repeat for more; search-guard if none): any other"
        " is refused, as AWS refuses a role that does not exist",
    )
    parser.add_argument("--owner-id", default="222222222222", help="with domain and hosted: its owner")
    parser.add_argument("--domain-name", default="partner-logs", help="with domain and hosted: its name")
    return parser.parse_args(argv)


def endpoint_vars(server: EndpointServer) -> dict:
    accounts = {
        name: {"access_key": key.access_key, "secret_key": key.secret_key, "account_id": key.account}
        for name, key in zip(("owner_a", "owner_b"), DEFAULT_KEYS)
    }
    return {"local_endpoint_url": server.url, "aws_region": "us-east-1", **accounts}


def serve(server: EndpointServer) -> int:
    print(f"Local AWS endpoint listening on {server.url}", flush=True)
    stopped = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stopped.set())
    stopped.wait()
    return 0


def run(server: EndpointServer, command: List[str], config_path: Optional[str], moto_url: str = "") -> int:
    if not command:
        print("run needs a command after --", file=sys.stderr)
        return 2
    if config_path:
        with open(config_path, "w", encoding="utf-8") as config:
            json.dump(dict(endpoint_vars(server), moto_endpoint_url=moto_url), config, indent=2)
    environment = dict(os.environ, LOCAL_AWS_ENDPOINT_URL=server.url, MOTO_ENDPOINT_URL=moto_url)
    status = subprocess.call(command, env=environment)
    if server.endpoint.crashes:
        print("The local endpoint crashed while the command ran:", *server.endpoint.crashes, sep="\n", file=sys.stderr)
        return status or 1
    return status


def control(path: str, body: dict) -> dict:
    """POST to the control interface of the endpoint running at $LOCAL_AWS_ENDPOINT_URL."""
    return client.control(os.environ["LOCAL_AWS_ENDPOINT_URL"], path, body)


def seed(args: argparse.Namespace) -> int:
    """Seed a connection into the running endpoint; print its id."""
    body = {
        "status": args.status,
        "created_with": args.created_with,
        "source": {"owner_id": args.source_owner},
        "destination": {
            "owner_id": args.destination_owner,
            "domain_name": args.destination_domain,
            "region": args.destination_region,
        },
    }
    print(control("connections", body)["connection_id"])
    return 0


def hosted(args: argparse.Namespace) -> int:
    """A domain an account runs in a region (listed by ListDomainNames), with its tags (ListTags) and its access
    (DescribeDomains, ListVpcEndpointAccess)."""
    tags = dict(tag.split("=", 1) for tag in args.tag if "=" in tag)
    spec = {"owner_id": args.owner_id, "region": args.region, "domain_names": [args.domain_name], "tags": tags}
    security = {"enabled": args.fine_grained != "off", "anonymous_auth_enabled": args.fine_grained == "anonymous"}
    spec.update(access_policy=args.access_policy, vpc_id=args.vpc_id, fine_grained_access_control=security)
    spec["vpc_endpoint_access"] = args.vpc_endpoint_access
    control("hosted_domains", spec)
    return 0


def main(argv: List[str]) -> int:
    split = argv.index("--") if "--" in argv else len(argv)
    args, command = parse_args(argv[:split]), argv[split + 1 :]
    if args.mode == "seed":
        return seed(args)
    if args.mode == "domain":
        control("domains", {"owner_id": args.owner_id, "domain_name": args.domain_name, "region": args.region})
        return 0
    if args.mode == "hosted":
        return hosted(args)
    if args.mode == "account":
        keys = control("accounts", {"account_id": args.account_id, "roles": args.role or ["search-guard"]})
        print(f"{keys['access_key']} {keys['secret_key']}")
        return 0
    if args.mode == "security-hub":
        # AWS Security Hub enabled in the account's region (with --account-id and --region).
        control("security_hub", {"account_id": args.account_id, "region": args.region})
        return 0
    if args.mode == "reset":
        control("reset", {})
        return 0
    server = start_endpoint(Endpoint(store=Store(transition_seconds=args.transition_seconds)), port=args.port)
    try:
        if args.mode == "serve":
            return serve(server)
        with moto_if(args.with_moto) as moto_url:
            return run(server, command, args.integration_config, moto_url)
    finally:
        server.stop()


def moto_if(wanted: bool) -> ContextManager[str]:
    """moto's server (AWS Organizations, STS) when wanted; its URL, or ""."""
    return moto_server() if wanted else contextlib.nullcontext("")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
