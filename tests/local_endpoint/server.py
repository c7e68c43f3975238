"""The HTTP side: AWS paths as botocore's models describe them, and the /_control/ paths for tests."""

from __future__ import annotations

import json
import socket
import struct
import threading
import time
import traceback
from http.server import BaseHTTPRequestHandler
from http.server import ThreadingHTTPServer
from typing import Any
from typing import Optional
from typing import Tuple
from urllib.parse import parse_qs
from urllib.parse import urlsplit
from xml.sax.saxutils import escape

from . import regions
from . import sts
from .control import ROUTES as CONTROL_ROUTES
from .endpoint import Endpoint
from .operations import HANDLERS
from .sigv4 import verify
from .store import AwsError
from .store import Caller
from .wire import Route
from .wire import error_status
from .wire import match_route

CRASH = "LocalEndpointCrash"
# What a proxy or a captive portal answers in the service's place.
GARBAGE = b"<html><body>Service Unavailable</body></html>"


class EndpointServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: Tuple[str, int], endpoint: Endpoint) -> None:
        super().__init__(address, Handler)
        self.endpoint = endpoint
        self.thread: Optional[threading.Thread] = None

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> "EndpointServer":
        # A short poll interval lets stop() return in milliseconds instead of half a second.
        self.thread = threading.Thread(
            target=self.serve_forever, kwargs={"poll_interval": 0.02}, name="local-aws-endpoint", daemon=True
        )
        self.thread.start()
        return self

    def stop(self) -> None:
        self.shutdown()
        self.server_close()
        if self.thread:
            self.thread.join()


def start_endpoint(endpoint: Optional[Endpoint] = None, host: str = "127.0.0.1", port: int = 0) -> EndpointServer:
    return EndpointServer((host, port), endpoint or Endpoint()).start()


def query_error(service: str, error: AwsError) -> bytes:
    """An error of the query protocol as the service writes it: EC2's own shape, or STS's."""
    if service == "ec2":
        return regions.EC2_ERROR.format(code=escape(error.code), message=escape(error.message)).encode()
    return sts.ERROR.format(code=escape(error.code), message=escape(error.message)).encode()


def _query_answer(endpoint: Endpoint, caller: Any, action: str, raw: bytes, entry: dict) -> Tuple[int, bytes]:
    """The answer to a query-protocol call, after the next fault for it, if any."""
    fault = endpoint.take_fault(action, sts.logged_fields(raw).get("role_arn"))
    if fault is not None:
        entry["fault"] = fault.kind
        if fault.kind == "garbage":
            return 200, GARBAGE
        if fault.kind != "slow":
            raise AwsError(fault.code, fault.message, fault.http_status or 400)
        time.sleep(fault.delay)
    if action == "DescribeRegions":
        return regions.describe_regions(raw, endpoint.opted_in_regions(caller.account))
    return sts.answer(endpoint, caller, raw)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # A reply leaves as headers, then body: with Nagle's algorithm on, the body waits for the client's delayed
    # ACK of the headers (about 40 ms on keep-alive connections). TCP_NODELAY sends it at once.
    disable_nagle_algorithm = True
    server: EndpointServer

    def handle(self) -> None:
        try:
            super().handle()
        except ConnectionResetError:
            pass  # the client went away between two requests, as a stopped event source does

    def do_GET(self) -> None:
        self._handle()

    def do_POST(self) -> None:
        self._handle()

    def do_PUT(self) -> None:
        self._handle()

    def do_DELETE(self) -> None:
        self._handle()

    def log_message(self, format: str, *args: Any) -> None:  # pylint: disable=redefined-builtin
        """The call log under /_control/calls replaces the default access log on stderr."""

    def _handle(self) -> None:
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        path = urlsplit(self.path).path
        if path.startswith("/_control/"):
            self._control(path, raw)
            return
        if sts.is_query_request(self.command, path):
            self._query(raw)
            return
        found = match_route(self.server.endpoint.routes, self.command, path)
        if found is None:
            self._error(AwsError("UnknownOperationException", f"No operation at {self.command} {path}."), 404)
            return
        query = {name: values[0] for name, values in parse_qs(urlsplit(self.path).query).items()}
        self._aws(found[0], {**query, **found[1]}, raw)

    def _control(self, path: str, raw: bytes) -> None:
        handler = CONTROL_ROUTES.get((self.command, path))
        if handler is None:
            self._reply(404, {"message": f"No control operation at {self.command} {path}."})
            return
        try:
            self._reply(200, handler(self.server.endpoint, json.loads(raw or b"{}")))
        except (KeyError, TypeError, ValueError) as error:
            self._reply(400, {"message": f"Bad control request: {error!r}"})

    def _aws(self, route: Route, params: dict, raw: bytes) -> None:
        endpoint = self.server.endpoint
        entry = {"api": route.wire.name, "operation": route.operation, "connection_id": params.get("ConnectionId")}
        entry.update(time=time.time(), user_agent=self.headers.get("User-Agent", ""))
        try:
            caller = verify(endpoint.keys, self.command, f"http://{self.headers['Host']}{self.path}", self.headers, raw)
            entry.update(account=caller.account, region=caller.region)
            time.sleep(endpoint.latency_seconds)
            endpoint.check_region(caller)
            if self._inject_fault(route, params, entry):
                return
            answer = HANDLERS[route.handler](endpoint, route.wire, caller, json.loads(raw or b"{}"), params)
            if entry.get("fault") == "lost_reply":
                self._reset()
                return
            entry["status"] = 200
            self._reply(200, answer)
        except AwsError as error:
            entry.update(status=error.status or error_status(route.wire.service, error.code), error=error.code)
            self._error(error, entry["status"])
        except (BrokenPipeError, ConnectionResetError):
            entry.update(status=0, error="ClientGone")  # the client gave up first, at its read timeout
        except Exception as error:  # pylint: disable=broad-exception-caught
            # A crash here is a bug of the endpoint or a malformed request, never AWS being flaky: answer with an
            # error no client retries, and keep the traceback, which fails `python -m local_endpoint run`.
            endpoint.crashed(traceback.format_exc())
            entry.update(status=400, error=CRASH)
            self._error(AwsError(CRASH, f"The local endpoint crashed: {error!r}; see its traceback."), 400)
        finally:
            entry["ended"] = time.time()
            endpoint.log(entry)

    def _query(self, raw: bytes) -> None:
        """The query protocol (STS GetCallerIdentity and AssumeRole, EC2 DescribeRegions); signed like every request,
        and refused, as AWS does, in an opt-in region the caller's account has not enabled."""
        endpoint = self.server.endpoint
        action = sts.action_of(raw)
        try:
            caller = verify(endpoint.keys, self.command, f"http://{self.headers['Host']}{self.path}", self.headers, raw)
        except AwsError as error:
            self._reply_bytes(403, sts.NOT_HERE.replace("InvalidAction", error.code).encode(), "text/xml")
            return
        entry = {"api": "query", "operation": action, "account": caller.account, "region": caller.region}
        entry["time"] = time.time()
        time.sleep(endpoint.latency_seconds)
        try:
            endpoint.check_region(caller)
            status, body = _query_answer(endpoint, caller, action, raw, entry)
        except AwsError as error:
            status, body = error.status or 400, query_error(caller.service, error)
            entry["error"] = error.code
        entry.update(status=status, ended=time.time(), **sts.logged_fields(raw))
        endpoint.log(entry)
        self._reply_bytes(status, body, "text/html" if body == GARBAGE else "text/xml")

    def _inject_fault(self, route: Route, params: dict, entry: dict) -> bool:
        """Play the next fault for this operation, if any; True when it has answered the request itself."""
        fault = self.server.endpoint.take_fault(route.operation)
        if fault is None:
            return False
        entry["fault"] = fault.kind
        store = self.server.endpoint.store
        if fault.set_status:
            with store.lock:
                store.set_status(store.connections[params["ConnectionId"]], fault.set_status)
        if fault.forget:
            with store.lock:
                store.connections.pop(params["ConnectionId"], None)
        if fault.set_access_policy is not None:
            caller = Caller(entry["account"], entry["region"])
            with store.lock:
                for domain in store.hosted_for(caller):
                    if domain.domain_name == params.get("DomainName"):
                        domain.access_policy = fault.set_access_policy
        if fault.kind == "slow":
            time.sleep(fault.delay)
            return False
        if fault.kind in ("lost_reply", "change"):
            return False  # _aws carries the operation out (lost_reply: then breaks the connection instead of answering)
        if fault.kind == "reset":
            self._reset()
            return True
        if fault.kind == "garbage":
            self._reply_bytes(200, GARBAGE, "text/html")
            return True
        raise AwsError(fault.code, fault.message, fault.http_status)

    def _reset(self) -> None:
        """Close the connection with a TCP reset, as a broken network path does."""
        self.close_connection = True
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.connection.close()

    def _error(self, error: AwsError, status: int) -> None:
        self._reply(status, {"message": error.message}, {"x-amzn-ErrorType": error.code})

    def _reply(self, status: int, answer: dict, headers: Optional[dict] = None) -> None:
        self._reply_bytes(status, json.dumps(answer).encode(), "application/json", headers)

    def _reply_bytes(self, status: int, body: bytes, content_type: str, headers: Optional[dict] = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("x-amzn-RequestId", f"local-{time.monotonic_ns()}")
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)
