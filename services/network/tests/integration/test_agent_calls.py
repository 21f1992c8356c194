"""test-connection and sync-queues ask the mikrotik-agent over real HTTP: a tiny uvicorn server
stands in for it (the real one is built elsewhere); a closed port stands for a dead agent."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

import httpx
import pytest
import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from isp_common.contracts.mikrotik import RouterConnectionChanged, RouterSynced

from isp_network.app import create_network_app
from isp_network.bootstrap import NetworkSettings, build_runtime

if TYPE_CHECKING:
    from conftest import Tenant

MUTE_ROUTER = "10.9.9.9"  # the stand-in says the router did not answer
SLOW_ROUTER = "10.8.8.8"  # the stand-in takes longer than network waits
UNKNOWN_ROUTER = "10.7.7.7"  # the stand-in has not heard of it (404)


@dataclass
class AgentStandIn:
    """The agent's POST /routers/{id}/test-connection and /sync, and what it was asked."""

    addresses: dict[str, str] = field(default_factory=dict)  # router id → ip
    calls: list[tuple[str, str | None]] = field(default_factory=list)

    def app(self) -> FastAPI:
        app = FastAPI()

        @app.post("/api/v1/routers/{router_id}/test-connection")
        async def test(router_id: str, request: Request) -> JSONResponse:
            self.calls.append((request.url.path, request.headers.get("authorization")))
            ip = self.addresses.get(router_id)
            if ip == SLOW_ROUTER:
                await asyncio.sleep(2)
            if ip == UNKNOWN_ROUTER:
                return JSONResponse({"success": False, "error": {"code": "NOT_FOUND"}}, 404)
            if ip == MUTE_ROUTER:
                data: dict[str, Any] = {"ok": False, "error": "timed out"}
            else:
                data = {
                    "ok": True,
                    "identity": "core-1",
                    "version": "7.14.2",
                    "uptime": "3d4h",
                    "latency_ms": 1.8,
                }
            return JSONResponse({"success": True, "data": data})

        @app.post("/api/v1/routers/{router_id}/sync")
        async def sync(router_id: str, request: Request) -> JSONResponse:
            self.calls.append((request.url.path, request.headers.get("authorization")))
            return JSONResponse({"success": True, "data": {"router_id": router_id}}, 202)

        return app


class _Server(uvicorn.Server):
    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


@pytest.fixture(scope="module")
async def agent() -> AsyncIterator[tuple[AgentStandIn, int]]:
    stand_in = AgentStandIn()
    server = _Server(uvicorn.Config(stand_in.app(), host="127.0.0.1", port=0, log_level="warning"))
    serving = asyncio.create_task(server.serve())
    while not server.started:  # noqa: ASYNC110 - uvicorn offers no event to wait on
        await asyncio.sleep(0.01)
    yield stand_in, server.servers[0].sockets[0].getsockname()[1]
    server.should_exit = True
    await serving


@pytest.fixture(scope="module")
async def client_of(
    make_settings: Callable[..., NetworkSettings], agent: tuple[AgentStandIn, int]
) -> AsyncIterator[Callable[[Tenant], httpx.AsyncClient]]:
    """A client of a network service whose agent is the stand-in."""
    settings = make_settings(
        service_urls={"mikrotik-agent": f"http://127.0.0.1:{agent[1]}"},
        network_agent_timeout_seconds=0.5,
    )
    runtime = build_runtime(settings)
    app = create_network_app(runtime)
    made: list[httpx.AsyncClient] = []

    def client(tenant: Tenant) -> httpx.AsyncClient:
        made.append(
            httpx.AsyncClient(
                transport=httpx.ASGITransport(app=app),
                base_url="http://network/api/v1",
                headers={"Authorization": f"Bearer {tenant.token('admin')}"},
            )
        )
        return made[-1]

    yield client
    for each in made:
        await each.aclose()
    await runtime.aclose()


async def _router(client: httpx.AsyncClient, agent: AgentStandIn, ip: str) -> dict[str, Any]:
    body = {
        "device_name": "Core",
        "device_type": "router",
        "ip_address": ip,
        "mikrotik_username": "agent",
        "mikrotik_password": "s3cret",
        "mikrotik_api_enabled": True,
    }
    data = (await client.post("/devices", json=body)).json()["data"]
    agent.addresses[data["id"]] = ip
    return dict(data)


async def test_the_agents_answer_comes_back_and_marks_the_router_online(
    tenant: Tenant,
    agent: tuple[AgentStandIn, int],
    client_of: Callable[[Tenant], httpx.AsyncClient],
) -> None:
    stand_in, _ = agent
    client = client_of(tenant)
    router = await _router(client, stand_in, "10.0.0.1")
    answer = await client.post(f"/devices/{router['id']}/test-connection")
    assert answer.status_code == 200, answer.text
    assert answer.json()["data"] == {
        "ok": True,
        "identity": "core-1",
        "version": "7.14.2",
        "uptime": "3d4h",
        "latency_ms": 1.8,
    }
    # The caller's own token travelled on.
    path = f"/api/v1/routers/{router['id']}/test-connection"
    assert (path, client.headers["Authorization"]) in stand_in.calls
    device = (await client.get(f"/devices/{router['id']}")).json()["data"]
    assert device["connection_status"] == "online" and device["last_connected_at"]


@pytest.mark.parametrize("ip", [MUTE_ROUTER, SLOW_ROUTER, UNKNOWN_ROUTER])
async def test_a_mute_router_or_agent_is_an_external_service_error(
    tenant: Tenant,
    agent: tuple[AgentStandIn, int],
    client_of: Callable[[Tenant], httpx.AsyncClient],
    ip: str,
) -> None:
    client = client_of(tenant)
    router = await _router(client, agent[0], ip)
    answer = await client.post(f"/devices/{router['id']}/test-connection")
    assert answer.status_code == 502
    assert answer.json()["error"]["code"] == "EXTERNAL_SERVICE_ERROR"


async def test_an_unreachable_agent_is_an_external_service_error(tenant: Tenant) -> None:
    # The session's own service points the agent at a closed port.
    client = tenant.client("admin")
    body = {"device_name": "R", "device_type": "router", "ip_address": "10.0.0.2"}
    router = (await client.post("/devices", json={**body, "mikrotik_api_enabled": True})).json()
    for action in ("test-connection", "sync-queues"):
        answer = await client.post(f"/devices/{router['data']['id']}/{action}")
        assert answer.status_code == 502
        assert answer.json()["error"] == {
            "code": "EXTERNAL_SERVICE_ERROR",
            "message": "mikrotik-agent did not answer",
            "details": {"service": "mikrotik-agent"},
        }


async def test_only_a_manageable_router_is_asked(
    tenant: Tenant, client_of: Callable[[Tenant], httpx.AsyncClient]
) -> None:
    client = client_of(tenant)
    onu = (await client.post("/devices", json={"device_name": "O", "device_type": "onu"})).json()
    assert (await client.post(f"/devices/{onu['data']['id']}/test-connection")).status_code == 409
    missing = await client.post(f"/devices/{uuid.uuid4()}/sync-queues")
    assert missing.status_code == 404


async def test_sync_is_accepted_and_its_result_lands_on_the_device(
    tenant: Tenant,
    agent: tuple[AgentStandIn, int],
    client_of: Callable[[Tenant], httpx.AsyncClient],
) -> None:
    stand_in, _ = agent
    client = client_of(tenant)
    router = await _router(client, stand_in, "10.0.0.3")
    router_id = uuid.UUID(router["id"])
    answer = await client.post(f"/devices/{router_id}/sync-queues")
    assert answer.status_code == 202
    assert answer.json()["data"]["status"] == "sync_requested"
    assert (f"/api/v1/routers/{router_id}/sync", client.headers["Authorization"]) in stand_in.calls

    at = datetime.now(UTC)
    synced = RouterSynced(router_id=router_id, ok=True, added=3, updated=1, removed=2, at=at)
    await tenant.deliver("mikrotik.router.synced", synced, router_id, 1)
    device = (await client.get(f"/devices/{router_id}")).json()["data"]
    assert device["last_sync_result"] == {
        "ok": True,
        "added": 3,
        "updated": 1,
        "removed": 2,
        "error": None,
    }
    assert device["connection_status"] == "online" and device["status"] == "online"
    # An older sync result does not overwrite a newer one.
    older = RouterSynced(router_id=router_id, ok=False, error="x", at=at - timedelta(minutes=5))
    await tenant.deliver("mikrotik.router.synced", older, router_id, 2)
    assert (await client.get(f"/devices/{router_id}")).json()["data"]["last_sync_result"]["ok"]

    down = RouterConnectionChanged(router_id=router_id, connection_status="offline", at=at)
    await tenant.deliver("mikrotik.router.connection_changed", down, router_id, 3)
    device = (await client.get(f"/devices/{router_id}")).json()["data"]
    assert (device["connection_status"], device["status"]) == ("offline", "offline")
    # Operational state is not a change of configuration: no version, no event back to the agent.
    assert device["version"] == 1
