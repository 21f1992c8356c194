"""Network's device endpoints reach the simulated router through the real agent process: a
connection test answers now with the router's identity, and a queue sync lands on the device.
A router nobody answers on is `EXTERNAL_SERVICE_ERROR`."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import httpx


async def data(answer: httpx.Response, status: int = 200) -> Any:
    assert answer.status_code == status, f"{answer.request.url}: {answer.text[:500]}"
    return answer.json()["data"]


def router_body(port: int, name: str) -> dict[str, Any]:
    return {
        "device_name": name,
        "device_type": "router",
        "status": "online",
        "ip_address": "127.0.0.1",
        "mikrotik_username": "admin",
        "mikrotik_password": "admin",
        "mikrotik_port": port,
        "mikrotik_api_enabled": True,
    }


async def test_a_device_is_tested_and_synced_through_the_agent(
    platform: Any, tenant: UUID, wait_for: Any
) -> None:
    async with platform.client(tenant, "admin") as admin:
        device = await data(
            await admin.post("/devices", json=router_body(platform.simulator_port, "core")), 201
        )

        async def answered() -> dict[str, Any] | None:
            # The agent learns of the device from network's event: until then it knows no
            # such router, which network reports as the agent's error.
            answer = await admin.post(f"/devices/{device['id']}/test-connection", json={})
            return answer.json()["data"] if answer.status_code == 200 else None

        tested = await wait_for(answered, what="the agent to know the router")
        assert tested["ok"] is True
        assert tested["identity"].startswith("sim-router")
        assert tested["version"] and tested["latency_ms"] >= 0

        synced = await admin.post(f"/devices/{device['id']}/sync-queues", json={})
        assert synced.status_code == 202, synced.text

        async def sync_landed() -> dict[str, Any] | None:
            shown = await data(await admin.get(f"/devices/{device['id']}"))
            return shown if shown["last_sync_at"] is not None else None

        shown = await wait_for(sync_landed, what="the sync result on the device")
        assert shown["connection_status"] == "online"


async def test_a_router_that_does_not_answer_is_an_external_service_error(
    platform: Any, tenant: UUID, wait_for: Any
) -> None:
    async with platform.client(tenant, "admin") as admin:
        # Port 9 (discard) on loopback: nothing listens, the connection is refused.
        device = await data(await admin.post("/devices", json=router_body(9, "dead")), 201)

        async def refused() -> dict[str, Any] | None:
            answer = await admin.post(f"/devices/{device['id']}/test-connection", json={})
            body = answer.json()
            known = answer.status_code == 502 and "router" in body["error"]["message"].lower()
            return body if known or answer.status_code == 200 else None

        body = await wait_for(refused, what="the agent's answer about the dead router")
        assert body["success"] is False, body
        assert body["error"]["code"] == "EXTERNAL_SERVICE_ERROR"
