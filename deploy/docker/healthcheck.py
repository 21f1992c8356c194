"""Container health checks (compose `healthcheck`, Kubernetes `exec` probes); exit 0 = healthy.

    python /app/deploy/docker/healthcheck.py http [/readyz]   the API of this container answers 200
    python /app/deploy/docker/healthcheck.py worker           what /readyz checks, for a worker:
                                                               its database role and the broker
    python /app/deploy/docker/healthcheck.py tcp HOST PORT    something listens (the simulator)

A worker (`python -m isp_<service> worker`) serves no HTTP, so its check is this script: it
logs in as the service's own role (ISP_SERVICE_DATABASE_URL or the one derived from
ISP_DATABASE_URL) and opens a broker connection, each within a timeout.
"""

from __future__ import annotations

import asyncio
import os
import socket
import sys
import urllib.error
import urllib.request

TIMEOUT_SECONDS = 3.0


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


async def _check_worker() -> str | None:
    import aiormq

    from isp_common.db import Database
    from isp_common.settings import Settings

    settings = Settings()
    problems: list[str] = []
    db = Database(settings.service_dsn, settings.db_schema, producer=settings.service_name)
    try:
        await asyncio.wait_for(db.ping(), TIMEOUT_SECONDS)
    except Exception as exc:  # any failure means not ready; the kind is enough
        problems.append(f"database: {type(exc).__name__}: {exc}")
    finally:
        await db.dispose()
    try:
        connection = await asyncio.wait_for(aiormq.connect(settings.amqp_url), TIMEOUT_SECONDS)
        await connection.close()
    except Exception as exc:
        problems.append(f"broker: {type(exc).__name__}")
    return "; ".join(problems) or None


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
    elif kind == "worker":
        problem = asyncio.run(_check_worker())
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
