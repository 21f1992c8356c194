"""The processes `isp up` starts: each in its own session, its output echoed under its name,
waited for until it answers, and all stopped together, in the reverse order of their start."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import IO

from isp_cli.services import ServiceSpec

STOP_GRACE_SECONDS = 10.0


def port_is_free(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def service_command(spec: ServiceSpec, mode: str, port: int | None) -> list[str]:
    argv = [sys.executable, "-m", spec.package, mode]
    if port is not None and mode in ("api", "all"):
        argv += ["--port", str(port)]
    return argv


def service_env(spec: ServiceSpec, **extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env["ISP_SERVICE_NAME"] = spec.name
    env.setdefault("PYTHONUNBUFFERED", "1")
    env.update(extra)
    return env


@dataclass
class Running:
    name: str  # a service's, or "gateway"
    port: int
    process: subprocess.Popen[bytes]
    collection: str | None = None  # the service's first collection under /api/v1
    pump: threading.Thread | None = None
    tail: list[str] = field(default_factory=list)


def start_service(spec: ServiceSpec, port: int, extra_env: dict[str, str]) -> Running:
    process = subprocess.Popen(  # noqa: S603 (our own interpreter and module)
        service_command(spec, "all", port),
        env=service_env(spec, **extra_env),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # signals reach it from us, in order, not from the tty
    )
    return Running(spec.name, port, process, spec.collection)


def start_simulator(port: int) -> Running:
    process = subprocess.Popen(  # noqa: S603 (our own interpreter and module)
        [sys.executable, "-m", "routeros_sim", "--port", str(port)],
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    return Running("routeros-sim", port, process)


def wait_ready(run: Running, timeout: float) -> str | None:
    """None when /healthz answers 200; else why not."""
    url = f"http://127.0.0.1:{run.port}/healthz"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        code = run.process.poll()
        if code is not None:
            return f"exited with code {code} while starting"
        try:
            with urllib.request.urlopen(url, timeout=1) as response:
                if response.status == 200:
                    return None
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.2)
    return f"no answer on {url} after {timeout:.0f}s"


def wait_listening(run: Running, timeout: float) -> str | None:
    """None once the process accepts TCP connections on its port; else why not."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        code = run.process.poll()
        if code is not None:
            return f"exited with code {code} while starting"
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", run.port), 1):
            return None
        time.sleep(0.2)
    return f"not listening on 127.0.0.1:{run.port} after {timeout:.0f}s"


class Supervisor:
    """The processes started so far, in order; their output goes to stdout, one line at a time."""

    def __init__(self, say: Callable[[str], None]) -> None:
        self.running: list[Running] = []
        self._say = say
        self._lock = threading.Lock()

    def _echo(self, line: str) -> None:
        with self._lock:
            print(line, flush=True)

    def watch(self, run: Running) -> None:
        assert run.process.stdout is not None
        run.pump = threading.Thread(
            target=_pump, args=(run.process.stdout, run.name, run.tail, self._echo), daemon=True
        )
        run.pump.start()
        self.running.append(run)

    def services(self) -> list[Running]:
        return [run for run in self.running if run.collection is not None]

    def any_alive(self) -> bool:
        return any(run.process.poll() is None for run in self.running)

    def until_one_exits(self) -> None:
        """Returns (having stopped the others) when one of the processes exits."""
        while True:
            for run in self.running:
                code = run.process.poll()
                if code is not None:
                    self._say(f"{run.name} exited with code {code}; stopping the platform")
                    self.stop_all()
                    return
            time.sleep(0.5)

    def stop_all(self) -> None:
        # The gateway (started last) first: it stops taking requests before the services go.
        alive = [r for r in reversed(self.running) if r.process.poll() is None]
        for r in alive:
            self._say(f"stopping {r.name} (pid {r.process.pid})")
            _signal_group(r.process, signal.SIGTERM)
        deadline = time.monotonic() + STOP_GRACE_SECONDS
        for r in alive:
            try:
                r.process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                self._say(f"{r.name} did not stop in {STOP_GRACE_SECONDS:.0f}s: killing it")
                _signal_group(r.process, signal.SIGKILL)
                r.process.wait()
        for r in self.running:
            if r.pump is not None:
                r.pump.join(timeout=2)


def _pump(stream: IO[bytes], name: str, tail: list[str], echo: Callable[[str], None]) -> None:
    for raw in iter(stream.readline, b""):
        line = raw.decode("utf-8", "replace").rstrip()
        tail.append(line)
        del tail[:-40]
        echo(f"{name:>14} | {line}")


def _signal_group(process: subprocess.Popen[bytes], sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, sig)  # the service and anything it started
