"""`isp up` as a person runs it: a clear message when a prerequisite is missing; the platform up,
answering (directly and through the gateway when nginx is there), and stopped cleanly by
SIGINT."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from isp_cli import gateway
from isp_cli.services import service

PORT_OFFSET = 1100  # customers on 9101: away from a `make up` running beside the tests


def _isp(*args: str, env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "isp_cli", *args],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def test_up_names_what_is_missing_and_how_to_start_it(tmp_path: Path) -> None:
    env = dict(os.environ)
    env["ISP_DATABASE_URL"] = "postgresql+asyncpg://postgres@127.0.0.1:1/isp"
    env["ISP_AMQP_URL"] = "amqp://guest:guest@127.0.0.1:1/"
    process = _isp("up", "--state-dir", str(tmp_path), env=env)
    output, _ = process.communicate(timeout=60)
    assert process.returncode == 2, output
    assert "PostgreSQL is not reachable at 127.0.0.1:1" in output
    assert "RabbitMQ is not reachable at 127.0.0.1:1" in output
    assert output.count("start it with:") == 2


@pytest.mark.integration
@pytest.mark.skipif(not service("customers").runnable(), reason="customers has no __main__ yet")
def test_up_serves_and_stops_cleanly(tmp_path: Path, scratch_database_url: str) -> None:
    env = dict(os.environ)
    env["ISP_DATABASE_URL"] = scratch_database_url
    process = _isp(
        "up",
        "--service",
        "customers",
        "--port-offset",
        str(PORT_OFFSET),
        "--state-dir",
        str(tmp_path),
        env=env,
    )
    assert process.stdout is not None
    with_gateway = gateway.find_nginx() is not None
    lines: list[str] = []
    deadline = time.monotonic() + 120
    try:
        while time.monotonic() < deadline:
            line = process.stdout.readline()
            if not line:
                break
            lines.append(line)
            if "Press Ctrl-C to stop." in line:
                break
        output = "".join(lines)
        assert "Press Ctrl-C to stop." in output, output
        assert "admin token" in output
        tenant = (tmp_path / "demo-tenant").read_text().strip()
        assert tenant in output
        port = 8001 + PORT_OFFSET
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as answer:
            assert answer.status == 200
        if with_gateway:
            gateway_url = f"http://127.0.0.1:{8080 + PORT_OFFSET}"
            assert f"gateway        {gateway_url}/api/v1" in output
            assert f"{gateway_url}/api/v1/customers" in output.split("try: curl", 1)[1]
            token = (tmp_path / "admin-token").read_text().strip()
            request = urllib.request.Request(
                f"{gateway_url}/api/v1/customers", headers={"Authorization": f"Bearer {token}"}
            )
            with urllib.request.urlopen(request, timeout=5) as answer:
                assert answer.status == 200
                assert answer.headers["X-Request-ID"]
        else:
            assert "nginx is missing" in output or "nginx is not installed" in output
        process.send_signal(signal.SIGINT)
        rest, _ = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 0, output + rest
    assert "stopped" in rest
    with pytest.raises(OSError):
        urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)
    if with_gateway:
        assert "stopping gateway" in rest
        with pytest.raises(OSError):
            urllib.request.urlopen(f"http://127.0.0.1:{8080 + PORT_OFFSET}/healthz", timeout=2)
