"""`customers_get_via_gateway`: GET /api/v1/customers/{id} through the gateway (nginx as
`isp up` configures it: request id, forwarded headers, rate-limit accounting, keep-alive
upstream, JSON access log) against the same requests sent straight to the customers service.

One customers service process (a single uvicorn worker) on the 10k customers of
`customers_get_by_id`'s seeding, one gateway in front of it; the same load (a few keep-alive
connections asking for random ids for a fixed time) alternates between the two in rounds. The
gateway's rate limit is set far above the offered load here (it is still counted for every
request); everything else is the configuration `isp up` runs. Target: the gateway
path serves at least 90 % of the direct rate.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from customers_get import CUSTOMERS, WARMUP_SECONDS, _check_answer, customers_under_load
from harness import (
    BenchContext,
    BenchUnavailable,
    free_port,
    server,
    server_env,
)
from http_load import alternating_rounds
from isp_cli import gateway
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
    nginx = gateway.find_nginx()
    if nginx is None:
        raise BenchUnavailable("nginx is not installed (apt-get install nginx)")
    load = await customers_under_load(ctx)
    service_port, gateway_port = free_port(), free_port()
    gateway_settings = gateway.GatewaySettings(
        listen=f"127.0.0.1:{gateway_port}", rate=BENCH_RATE_PER_SECOND
    )
    upstreams = gateway.local_upstreams() | {"customers": f"127.0.0.1:{service_port}"}
    runtime = _prepare_gateway(nginx, gateway_settings, upstreams)
    service_argv, service_env = load.service(ctx, service_port)
    try:
        with (
            server("customers-service", service_argv, service_port, service_env),
            server("gateway", gateway.nginx_argv(nginx, runtime), gateway_port, server_env()),
        ):
            _check_answer(gateway_port, load.paths[0], load.auth, "service")
            _check_answer(service_port, load.paths[0], load.auth, "service")
            rates = await alternating_rounds(
                ctx,
                {"gateway": (gateway_port, load.auth), "direct": (service_port, load.auth)},
                load.paths,
                warmup_seconds=WARMUP_SECONDS,
            )
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
