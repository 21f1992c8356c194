"""The real gateway (nginx, configured by `isp_cli.gateway`) in front of a real customers service
on a migrated test database, and of stand-ins: small real HTTP servers that answer, as JSON,
which service they are and what request reached them.

Every gateway listens on a free port and has its own runtime folder; nothing here uses the
platform's own ports, so a `make up` may run beside the tests.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import make_url

from isp_common.testing import create_migrated_database, drop_database

from isp_cli import gateway
from isp_cli.services import FRONTENDS, KNOWN_SERVICES, service

TESTS = Path(__file__).parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if TESTS in Path(item.path).parents:
            item.add_marker(pytest.mark.integration)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def nginx() -> str:
    found = gateway.find_nginx()
    if found is None and os.geteuid() == 0:
        found = gateway.install_nginx(print)
        if found is None:
            pytest.fail("nginx is missing and apt-get could not install it")
    if found is None:
        pytest.skip(
            "nginx is not installed and installing it needs root "
            "(apt-get install nginx; .ci/run installs it in CI)"
        )
    return found


# ---------------------------------------------------------------------------------------------
# The real customers service


@dataclass(frozen=True)
class Upstream:
    port: int
    log: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


@pytest.fixture(scope="session")
def customers_database() -> Iterator[str]:
    spec = service("customers")
    migrations = spec.migrations_dir()
    if not spec.runnable() or migrations is None:
        pytest.skip("the customers service is not installed")
    url = create_migrated_database("gateway", {"customers": migrations})
    yield url
    asyncio.run(drop_database(str(make_url(url).database)))


@pytest.fixture(scope="session")
def customers(
    customers_database: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Upstream]:
    """`python -m isp_customers api` on a free port, on the migrated test database."""
    port = free_port()
    log = tmp_path_factory.mktemp("customers") / "customers.log"
    env = dict(os.environ)
    env.update(
        ISP_DATABASE_URL=customers_database,
        ISP_SERVICE_NAME="customers",
        ISP_LOG_JSON="false",
        ISP_LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
    )
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "isp_customers", "api", "--port", str(port)],
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        why = gateway.wait_ready(f"http://127.0.0.1:{port}", process, timeout=60)
        if why:
            raise RuntimeError(f"customers {why}:\n{log.read_text(errors='replace')[-3000:]}")
        yield Upstream(port, log)
    finally:
        gateway.stop(process)


# ---------------------------------------------------------------------------------------------
# Stand-ins: one real HTTP server per service, answering with who they are and what they got.


class StandIn(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as the services' uvicorn
    disable_nagle_algorithm = True  # headers and body are two writes
    service = "?"

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        path = self.path
        if "/status/" in path:  # /…/status/<code>: this status with the service's own envelope
            code = int(path.rsplit("/status/", 1)[1][:3])
            self._send(
                code,
                {
                    "success": False,
                    "error": {
                        "code": "FROM_SERVICE",
                        "message": f"{self.service} says {code}",
                        "details": {},
                    },
                },
            )
            return
        if path.endswith("/garbage"):  # cut off in the middle of its headers
            self.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Type: appl")
            self.wfile.flush()
            self.close_connection = True
            return
        if path.endswith("/slow"):  # slower than the gateway's read timeout
            time.sleep(3)
            self.close_connection = True
            with contextlib.suppress(OSError):  # the gateway has given up by now
                self._send(200, {"late": True})
            return
        self._send(
            200,
            {
                "service": self.service,
                "method": self.command,
                "path": path,
                "headers": {k.lower(): v for k, v in self.headers.items()},
                "body_bytes": len(body),
            },
        )

    def _send(self, status: int, payload: Mapping[str, Any]) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("X-Request-ID", "set-by-the-stand-in")
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _answer


@pytest.fixture(scope="session")
def stand_ins() -> Iterator[dict[str, int]]:
    """service name → port of a stand-in answering as that service."""
    servers: list[ThreadingHTTPServer] = []
    ports: dict[str, int] = {}
    for spec in (*KNOWN_SERVICES, *FRONTENDS):
        handler = type(f"StandIn_{spec.schema}", (StandIn,), {"service": spec.name})
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        ports[spec.name] = int(server.server_address[1])
    yield ports
    for server in servers:
        server.shutdown()
        server.server_close()


# ---------------------------------------------------------------------------------------------
# Gateways


@dataclass(frozen=True)
class Gateway:
    url: str
    runtime_dir: Path
    settings: gateway.GatewaySettings

    @property
    def config(self) -> str:
        return (self.runtime_dir / gateway.CONFIG_NAME).read_text()


StartGateway = Callable[..., Gateway]


@pytest.fixture(scope="session")
def start_gateway(nginx: str) -> Iterator[StartGateway]:
    """start_gateway(upstreams, **ISP_GATEWAY_* overrides) → a running gateway on a free port.

    Its runtime folder is under /tmp and world-traversable, as under ./var: when the tests run as
    root, nginx's workers run as `nobody` and must reach their temporary files."""
    with contextlib.ExitStack() as stack:

        def start(upstreams: Mapping[str, str], **overrides: Any) -> Gateway:
            settings = gateway.GatewaySettings(listen=f"127.0.0.1:{free_port()}", **overrides)
            runtime = Path(tempfile.mkdtemp(prefix="isp-gateway-test-"))
            runtime.chmod(0o755)
            stack.callback(shutil.rmtree, runtime, ignore_errors=True)
            gateway.write_config(runtime, settings, upstreams, access_log=runtime / "access.log")
            problem = gateway.check_config(nginx, runtime)
            assert problem is None, problem
            stack.enter_context(gateway.serving(nginx, runtime, settings))
            return Gateway(settings.url, runtime, settings)

        yield start


@pytest.fixture(scope="session")
def dead_upstreams() -> dict[str, str]:
    """Every service on a port nothing listens on."""
    return {spec.name: f"127.0.0.1:{free_port()}" for spec in (*KNOWN_SERVICES, *FRONTENDS)}


@pytest.fixture(scope="session")
def platform_gateway(
    start_gateway: StartGateway, customers: Upstream, dead_upstreams: dict[str, str]
) -> Gateway:
    """The gateway as `isp up` runs it today: customers running, every other service not."""
    return start_gateway({**dead_upstreams, "customers": f"127.0.0.1:{customers.port}"})


@pytest.fixture(scope="session")
def routing_gateway(start_gateway: StartGateway, stand_ins: dict[str, int]) -> Gateway:
    """Every service a stand-in; a short read timeout (for the 504) and a small body limit."""
    return start_gateway(
        {name: f"127.0.0.1:{port}" for name, port in stand_ins.items()},
        read_timeout_seconds=1,
        max_body_size="2m",
    )
