"""What the benches share: the bench database and server processes (the HTTP load loop is
`http_load`'s).

Every figure is a ratio against a baseline measured in the same run on the same machine, so
the machine's speed cancels out. Nothing here asserts a time.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import asyncpg
from sqlalchemy.engine import make_url

from isp_common.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "bench"
BENCH_DATABASE = "isp_bench"


@dataclass
class BenchContext:
    owner_url: str  # SQLAlchemy URL of the bench database, as its owner
    duration: float  # seconds of measurement per phase
    connections: int  # concurrent HTTP connections of the load loop
    events: int  # events per relay run
    rounds: int  # alternating rounds of (subject, baseline)

    @property
    def owner_dsn(self) -> str:
        return plain_dsn(self.owner_url)

    def settings(self, **overrides: Any) -> Settings:
        values: dict[str, Any] = {
            "service_name": "customers",
            "database_url": self.owner_url,
            "log_json": True,
            "log_level": "WARNING",
            **overrides,
        }
        return Settings(**values)


class BenchUnavailable(Exception):
    """A bench cannot run yet (a part it measures does not exist); not a failure of the part."""


def plain_dsn(sqlalchemy_url: str) -> str:
    url = make_url(sqlalchemy_url).set(drivername="postgresql")
    return url.render_as_string(hide_password=False)


def bench_owner_url() -> str:
    explicit = os.environ.get("ISP_BENCH_DATABASE_URL")
    if explicit:
        return explicit
    base = make_url(Settings().database_url).set(database=BENCH_DATABASE)
    return base.render_as_string(hide_password=False)


async def recreate_database(owner_url: str) -> None:
    url = make_url(owner_url)
    conn = await asyncpg.connect(plain_dsn(url.set(database="postgres").render_as_string(False)))
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)')
        await conn.execute(f'CREATE DATABASE "{url.database}"')
    finally:
        await conn.close()


async def drop_database(owner_url: str) -> None:
    url = make_url(owner_url)
    conn = await asyncpg.connect(plain_dsn(url.set(database="postgres").render_as_string(False)))
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)')
    finally:
        await conn.close()


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def server(
    name: str, argv: Sequence[str], port: int, env: dict[str, str], timeout: float = 60.0
) -> Iterator[subprocess.Popen[bytes]]:
    """A server process, up when `GET /healthz` (or any answer on `/`) comes back; stopped after."""
    log_path = BENCH_DIR / f".{name}.log"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            list(argv),
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            _wait_listening(process, port, timeout, log_path)
            yield process
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def _wait_listening(
    process: subprocess.Popen[bytes], port: int, timeout: float, log_path: Path
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            tail = log_path.read_text(errors="replace")[-3000:]
            raise RuntimeError(f"{process.args!r} exited with {process.returncode}:\n{tail}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1):
                return
        except urllib.error.HTTPError:
            return  # it answers HTTP: listening
        except (urllib.error.URLError, OSError):
            time.sleep(0.1)
    raise RuntimeError(f"{process.args!r} did not listen on :{port} within {timeout:.0f}s")


def server_env(**values: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(values)
    env["PYTHONUNBUFFERED"] = "1"
    return env


def python() -> str:
    return sys.executable
