"""`python -m isp_boost all` starts the API and the worker, answers, and stops on SIGTERM."""

from __future__ import annotations

from isp_common.settings import Settings
from isp_common.testing.entrypoint import service_process


async def test_all_in_one_process_serves_and_stops_gracefully(
    owner_url: str, settings: Settings
) -> None:
    async with service_process("isp_boost", "all", owner_url=owner_url, settings=settings) as boost:
        await boost.ready("service")
        unauthenticated = await boost.client.get("/api/v1/speed-boosts")
        assert unauthenticated.status_code == 401
        openapi = (await boost.client.get("/openapi.json")).json()
        assert openapi["info"]["title"] == "ISP speed boosts"
        assert await boost.terminate() == 0
    assert "worker running" in await boost.output()
