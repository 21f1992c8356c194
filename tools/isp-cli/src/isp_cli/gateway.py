"""The API gateway: nginx, found (or installed), configured and run.

The configuration (routes, limits, `ISP_GATEWAY_*`) is `isp_cli.gateway_config`'s; this module
writes it where nginx reads it, checks it with `nginx -t`, and runs nginx in the foreground in
its own process group. The names of `gateway_config` are reachable from here too, so callers
need one module for the whole gateway.
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
import shutil
import signal
import stat
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

from isp_cli.gateway_config import (
    COLLECTIONS,
    CUSTOMER_SUBRESOURCES,
    GatewaySettings,
    local_upstreams,
    render,
    templated_upstreams,
    upstream_name,
)

__all__ = [
    "COLLECTIONS",
    "CONFIG_NAME",
    "CUSTOMER_SUBRESOURCES",
    "GatewaySettings",
    "check_config",
    "find_nginx",
    "install_nginx",
    "local_upstreams",
    "nginx_argv",
    "nginx_version",
    "render",
    "serving",
    "stop",
    "templated_upstreams",
    "upstream_name",
    "wait_ready",
    "worker_user",
    "write_config",
]

CONFIG_NAME = "nginx.conf"
NGINX_FALLBACK = Path("/usr/sbin/nginx")


def find_nginx() -> str | None:
    found = shutil.which("nginx")
    if found:
        return found
    if os.access(NGINX_FALLBACK, os.X_OK):
        return str(NGINX_FALLBACK)
    return None


def install_nginx(say: Callable[[str], None]) -> str | None:
    """As root on a system with apt-get: installs nginx and returns its path; else None."""
    if os.geteuid() != 0 or shutil.which("apt-get") is None:
        return None
    say("  nginx is missing: installing it (apt-get update && apt-get install -y nginx)")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    for argv in (
        ["apt-get", "update", "-q"],
        ["apt-get", "install", "-y", "-q", "--no-install-recommends", "nginx"],
    ):
        try:
            done = subprocess.run(  # noqa: S603 (fixed arguments)
                argv, env=env, capture_output=True, text=True, timeout=900, check=False
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            say(f"  {' '.join(argv)}: {exc}")
            return None
        if done.returncode != 0:
            tail = (done.stderr or done.stdout).strip().splitlines()[-3:]
            say(f"  {' '.join(argv)} failed (exit {done.returncode}): {' / '.join(tail)}")
            return None
    return find_nginx()


@functools.cache
def nginx_version(nginx: str) -> tuple[int, ...]:
    done = subprocess.run(  # noqa: S603 (the nginx found on PATH)
        [nginx, "-v"], capture_output=True, text=True, timeout=10, check=False
    )
    found = re.search(r"nginx/(\d+)\.(\d+)\.(\d+)", done.stderr + done.stdout)
    return tuple(int(part) for part in found.groups()) if found else (0, 0, 0)


def nginx_argv(nginx: str, runtime_dir: Path, *, test: bool = False) -> list[str]:
    """nginx in the foreground on `<runtime_dir>/nginx.conf` (`-t`: only check it)."""
    argv = [nginx, "-p", f"{runtime_dir}/", "-c", str(runtime_dir / CONFIG_NAME)]
    if nginx_version(nginx) >= (1, 19, 5):
        argv += ["-e", "stderr"]  # not the compiled-in log file, which may not be writable
    argv += ["-t", "-q"] if test else ["-g", "daemon off;"]
    return argv


def worker_user(runtime_dir: Path) -> str | None:
    """None (nginx's default, `nobody`) unless the master runs as root and that user could not
    reach the temporary files under `runtime_dir`; then the workers stay root (a local run)."""
    if os.geteuid() != 0:
        return None
    for folder in (runtime_dir, *runtime_dir.parents):
        if folder.exists() and not folder.stat().st_mode & stat.S_IXOTH:
            return "root"
    return None


def write_config(
    runtime_dir: Path,
    settings: GatewaySettings,
    upstreams: Mapping[str, str],
    *,
    access_log: Path | str | None = None,
) -> Path:
    """Writes `<runtime_dir>/nginx.conf` (and makes the folders nginx writes to)."""
    runtime_dir = runtime_dir.resolve()
    (runtime_dir / "tmp").mkdir(parents=True, exist_ok=True)
    text = render(
        settings, upstreams, runtime_dir, access_log=access_log, user=worker_user(runtime_dir)
    )
    path = runtime_dir / CONFIG_NAME
    path.write_text(text)
    return path


def check_config(nginx: str, runtime_dir: Path) -> str | None:
    """None when `nginx -t` accepts the configuration; else what it said."""
    done = subprocess.run(  # noqa: S603 (the nginx found on PATH)
        nginx_argv(nginx, runtime_dir.resolve(), test=True),
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    if done.returncode == 0:
        return None
    return (done.stderr + done.stdout).strip() or f"nginx -t exited with {done.returncode}"


def wait_ready(
    url: str, process: subprocess.Popen[bytes] | None = None, timeout: float = 15.0
) -> str | None:
    """None once `<url>/healthz` answers 200; else why not."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            return f"exited with code {process.returncode} while starting"
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=1) as response:  # noqa: S310
                if response.status == 200:
                    return None
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.05)
    return f"no answer on {url}/healthz after {timeout:.0f}s"


@contextlib.contextmanager
def serving(
    nginx: str, runtime_dir: Path, settings: GatewaySettings, timeout: float = 15.0
) -> Iterator[subprocess.Popen[bytes]]:
    """nginx on `<runtime_dir>/nginx.conf` (written before), until the block ends. Its stderr
    goes to `<runtime_dir>/error.log`."""
    runtime_dir = runtime_dir.resolve()
    with open(runtime_dir / "error.log", "ab") as log:
        process = subprocess.Popen(  # noqa: S603 (the nginx found on PATH)
            nginx_argv(nginx, runtime_dir),
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        why = wait_ready(settings.url, process, timeout)
        if why:
            log_text = (runtime_dir / "error.log").read_text(errors="replace")[-2000:]
            raise RuntimeError(f"nginx {why}:\n{log_text}")
        yield process
    finally:
        stop(process)


def stop(process: subprocess.Popen[bytes], grace: float = 10.0) -> None:
    """SIGTERM to nginx's process group (master and workers), SIGKILL after `grace`."""
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
