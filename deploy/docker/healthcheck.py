"""Container health checks (compose `healthcheck`); exit 0 = healthy.

    python /app/deploy/docker/healthcheck.py http [PATH]      this container's HTTP answers 200
                                                               on PATH (default /readyz)
    python /app/deploy/docker/healthcheck.py tcp HOST PORT    something listens (the simulator)

`http` asks 127.0.0.1 on ISP_PORT, else the port of ISP_SERVICE_NAME in SERVICE_PORTS: an API
and a worker (`python -m isp_<service> api|worker`) both serve /healthz, /readyz and /metrics
there. An API's /readyz checks its database, a worker's its database and the broker.
"""

from __future__ import annotations

import os
import socket
import sys
import urllib.error
import urllib.request

# A worker's /readyz takes up to 2 s for the database and 2 s for the broker.
TIMEOUT_SECONDS = 5.0


def check_http(path: str) -> str | None:
    from isp_common.settings import SERVICE_PORTS

    service = os.environ.get("ISP_SERVICE_NAME", "")
    port = os.environ.get("ISP_PORT") or str(SERVICE_PORTS.get(service, ""))
    if not port:
        return f"no port: ISP_PORT is unset and {service!r} is not a service"
    url = f"http://127.0.0.1:{port}{path}"
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT_SECONDS) as response:
            return None if response.status == 200 else f"{url}: {response.status}"
    except urllib.error.HTTPError as exc:
        return f"{url}: {exc.code} {exc.read(500).decode(errors='replace')}"
    except (urllib.error.URLError, OSError) as exc:
        return f"{url}: {exc}"


def check_tcp(host: str, port: int) -> str | None:
    try:
        with socket.create_connection((host, port), timeout=TIMEOUT_SECONDS):
            return None
    except OSError as exc:
        return f"{host}:{port}: {exc}"


def main(argv: list[str]) -> int:
    kind = argv[0] if argv else "http"
    if kind == "http":
        problem = check_http(argv[1] if len(argv) > 1 else "/readyz")
    elif kind == "tcp" and len(argv) == 3:
        problem = check_tcp(argv[1], int(argv[2]))
    else:
        print(__doc__, file=sys.stderr)
        return 2
    if problem:
        print(f"unhealthy: {problem}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
