"""`customers_get_via_gateway`: GET /api/v1/customers/{id} through the gateway (nginx as
`isp up` configures it: request id, forwarded headers, rate-limit accounting, keep-alive
upstream, JSON access log) against the same requests sent straight to the customers service.

One customers service process (a single uvicorn worker) on the 10k customers of
`customers_get_by_id`'s seeding, one gateway in front of it; the same load (a few keep-alive
connections asking for random ids for a fixed time) alternates between the two in rounds. The
gateway's rate limit is set far above the offered load here (it is still counted for every
request); everything else is the configuration `isp up` runs. Target (DESIGN §9): the gateway
path serves at least 90 % of the direct rate.
"""

from __future__ import annotations

import shutil
import tempfile
import uuid
from pathlib import Path

from isp_common.auth import Role, mint_token

from customers_get import CUSTOMERS, WARMUP_SECONDS, _check_answer, seed
from harness import (
    BenchContext,
    BenchUnavailable,
    free_port,
    http_load,
    python,
    server,
    server_env,
)
from isp_cli import gateway
from isp_cli.services import service
from measure import Measurement

NAME = "customers_get_via_gateway"
UNIT = "req/s"
TARGET = 0.9
# Far above what one client machine offers here, so the bench measures proxying, not throttling.
BENCH_RATE_PER_SECOND = 1_000_000


def _prepare_gateway(
    nginx: str, settings: gateway.GatewaySettings, upstreams: dict[str, str]
) -> Path:
    """A runtime folder with the gateway's nginx.conf, checked by `nginx -t`."""
    runtime = Path(tempfile.mkdtemp(prefix="isp-bench-gateway-"))
    runtime.chmod(0o755)  # nginx's workers (nobody, when run as root) reach their temp files
    gateway.write_config(runtime, settings, upstreams, access_log=runtime / "access.log")
    problem = gateway.check_config(nginx, runtime)
    if problem:
        shutil.rmtree(runtime, ignore_errors=True)
        raise RuntimeError(f"nginx refuses the gateway's configuration: {problem}")
    return runtime


async def run(ctx: BenchContext) -> Measurement:
    spec = service("customers")
    if not spec.runnable():
        raise BenchUnavailable("isp_customers has no __main__ yet (python -m isp_customers api)")
    nginx = gateway.find_nginx()
    if nginx is None:
        raise BenchUnavailable("nginx is not installed (apt-get install nginx)")
    settings = ctx.settings()
    tenant = uuid.uuid4()
    ids = await seed(ctx.owner_dsn, tenant, CUSTOMERS)
    token = mint_token(settings, tenant_id=tenant, roles=[Role.ADMIN], sub="bench")
    auth = {"Authorization": f"Bearer {token}"}
    paths = [f"/api/v1/customers/{customer_id}" for customer_id in ids]

    service_port, gateway_port = free_port(), free_port()
    gateway_settings = gateway.GatewaySettings(
        listen=f"127.0.0.1:{gateway_port}", rate=BENCH_RATE_PER_SECOND
    )
    upstreams = gateway.local_upstreams() | {"customers": f"127.0.0.1:{service_port}"}
    runtime = _prepare_gateway(nginx, gateway_settings, upstreams)
    service_env = server_env(
        ISP_DATABASE_URL=ctx.owner_url,
        ISP_SERVICE_NAME="customers",
        ISP_LOG_LEVEL="WARNING",
        ISP_JWT_SECRET=settings.jwt_secret,
        ISP_DB_POOL_SIZE=str(settings.db_pool_size),
    )
    service_argv = [python(), "-m", spec.package, "api", "--port", str(service_port)]

    rates: dict[str, list[float]] = {"gateway": [], "direct": []}
    try:
        with (
            server("customers-service", service_argv, service_port, service_env),
            server("gateway", gateway.nginx_argv(nginx, runtime), gateway_port, server_env()),
        ):
            _check_answer(gateway_port, paths[0], auth, "service")
            _check_answer(service_port, paths[0], auth, "service")
            targets = {"gateway": gateway_port, "direct": service_port}
            for port in targets.values():  # warm caches and connection pools
                await http_load(
                    port, paths, seconds=WARMUP_SECONDS, connections=ctx.connections, headers=auth
                )
            for _ in range(ctx.rounds):
                for who, port in targets.items():
                    result = await http_load(
                        port, paths, seconds=ctx.duration, connections=ctx.connections, headers=auth
                    )
                    if result.errors:
                        raise RuntimeError(
                            f"{who}: {result.errors} errors, first {result.first_error}"
                        )
                    rates[who].append(result.rate)
    finally:
        shutil.rmtree(runtime, ignore_errors=True)

    value = sum(rates["gateway"]) / len(rates["gateway"])
    baseline = sum(rates["direct"]) / len(rates["direct"])
    return Measurement(
        value=value,
        baseline=baseline,
        unit=UNIT,
        target=TARGET,
        what=(
            "GET /api/v1/customers/{id} through the gateway (nginx) vs straight to the "
            "customers service"
        ),
        details={
            "customers": CUSTOMERS,
            "connections": ctx.connections,
            "seconds_per_round": ctx.duration,
            "rounds": ctx.rounds,
            "nginx": ".".join(str(part) for part in gateway.nginx_version(nginx)),
            "gateway_workers": gateway_settings.worker_processes,
            "gateway_rates": [round(r) for r in rates["gateway"]],
            "direct_rates": [round(r) for r in rates["direct"]],
        },
    )
