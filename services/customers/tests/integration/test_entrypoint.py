"""`python -m isp_customers all` starts the API and the worker, answers, and stops on SIGTERM."""

from __future__ import annotations

from isp_common.settings import Settings
from isp_common.testing.entrypoint import service_process


async def test_all_in_one_process_serves_and_stops_gracefully(
    owner_url: str, settings: Settings
) -> None:
    async with service_process(
        "isp_customers", "all", owner_url=owner_url, settings=settings
    ) as customers:
        await customers.ready("service")
        unauthenticated = await customers.client.get("/api/v1/customers")
        assert unauthenticated.status_code == 401
        openapi = (await customers.client.get("/openapi.json")).json()
        assert openapi["info"]["title"] == "ISP customers"
        assert await customers.terminate() == 0
    assert "worker running" in await customers.output()


async def test_a_worker_alone_serves_health_and_metrics_but_no_api(
    owner_url: str, settings: Settings
) -> None:
    async with service_process(
        "isp_customers", "worker", owner_url=owner_url, settings=settings
    ) as worker:
        await worker.ready("worker")
        assert "isp_" in (await worker.client.get("/metrics")).text
        assert (await worker.client.get("/api/v1/customers")).status_code == 404
        assert await worker.terminate() == 0
    assert "worker running" in await worker.output()
