"""When the replica does not know a plan or an ODP yet, customers asks billing or network over
HTTP with the caller's token. Real HTTP: a tiny uvicorn server stands in for both services."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import httpx
import pytest
import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from isp_common.settings import Settings

from isp_customers.app import create_customers_app
from isp_customers.bootstrap import build_runtime

if TYPE_CHECKING:
    from conftest import Tenant

Body = Callable[..., dict[str, Any]]
SLOW = uuid.UUID(int=1)
BROKEN = uuid.UUID(int=2)
GARBLED = uuid.UUID(int=3)


@dataclass
class StandIn:
    """Billing's GET /service-plans/{id} and network's GET /odps/{id}, and what they were asked."""

    plans: dict[str, dict[str, Any]] = field(default_factory=dict)
    odps: dict[str, dict[str, Any]] = field(default_factory=dict)
    calls: list[tuple[str, str | None]] = field(default_factory=list)

    def app(self) -> FastAPI:
        app = FastAPI()

        async def answer(
            request: Request, known: dict[str, dict[str, Any]], key: str
        ) -> JSONResponse:
            self.calls.append((request.url.path, request.headers.get("authorization")))
            if key == str(SLOW):
                await asyncio.sleep(2)
            if key == str(BROKEN):
                return JSONResponse({"success": False}, status_code=500)
            if key == str(GARBLED):
                return JSONResponse({"plan": "yes"})
            if key not in known:
                return JSONResponse(
                    {"success": False, "error": {"code": "NOT_FOUND"}}, status_code=404
                )
            return JSONResponse({"success": True, "data": known[key]})

        @app.get("/api/v1/service-plans/{plan_id}")
        async def plan(plan_id: str, request: Request) -> JSONResponse:
            return await answer(request, self.plans, plan_id)

        @app.get("/api/v1/odps/{odp_id}")
        async def odp(odp_id: str, request: Request) -> JSONResponse:
            return await answer(request, self.odps, odp_id)

        return app


class _Server(uvicorn.Server):
    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


@pytest.fixture(scope="module")
async def stand_in() -> AsyncIterator[tuple[StandIn, int]]:
    services = StandIn()
    server = _Server(uvicorn.Config(services.app(), host="127.0.0.1", port=0, log_level="warning"))
    serving = asyncio.create_task(server.serve())
    while not server.started:  # noqa: ASYNC110 - uvicorn offers no event to wait on
        await asyncio.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    yield services, port
    server.should_exit = True
    await serving


@pytest.fixture(scope="module")
async def client_of(
    make_settings: Callable[..., Settings], stand_in: tuple[StandIn, int]
) -> AsyncIterator[Callable[[Tenant], httpx.AsyncClient]]:
    """A client of a customers service whose billing and network are the stand-in."""
    _, port = stand_in
    url = f"http://127.0.0.1:{port}"
    settings = make_settings(
        service_urls={"billing": url, "network": url}, http_timeout_seconds=0.5
    )
    runtime = build_runtime(settings)
    app = create_customers_app(runtime)
    clients: list[httpx.AsyncClient] = []

    def client(tenant: Tenant) -> httpx.AsyncClient:
        made = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app),
            base_url="http://customers/api/v1",
            headers={"Authorization": f"Bearer {tenant.token('admin')}"},
        )
        clients.append(made)
        return made

    yield client
    for made in clients:
        await made.aclose()
    await runtime.aclose()


def plan_data(**overrides: Any) -> dict[str, Any]:
    now = datetime.now(UTC).isoformat()
    return {
        "id": str(uuid.uuid4()),
        "name": "Fiber 100M",
        "bandwidth_download": 100_000,
        "bandwidth_upload": 50_000,
        "monthly_price": "450000.00",
        "is_active": True,
        "version": 3,
        "created_at": now,
        "updated_at": now,
        "advanced": None,
        "changelog": [],  # billing's detail carries more than the snapshot: ignored
        **overrides,
    }


async def test_a_plan_only_billing_knows_is_fetched_once_and_kept(
    tenant: Tenant,
    customer_body: Body,
    stand_in: tuple[StandIn, int],
    client_of: Callable[[Tenant], httpx.AsyncClient],
) -> None:
    services, _ = stand_in
    plan = plan_data()
    services.plans[plan["id"]] = plan
    client = client_of(tenant)
    created = await client.post("/customers", json=customer_body(plan["id"]))
    assert created.status_code == 201, created.text
    assert created.json()["data"]["monthly_fee"] == "450000.00"
    asked = [call for call in services.calls if plan["id"] in call[0]]
    # The caller's own token travels on: billing authorizes the lookup as that user.
    sent_as = client.headers["Authorization"]
    assert asked == [(f"/api/v1/service-plans/{plan['id']}", sent_as)]
    # Now in the replica: billing is not asked again.
    assert (await client.post("/customers", json=customer_body(plan["id"]))).status_code == 201
    assert len([call for call in services.calls if plan["id"] in call[0]]) == 1


async def test_a_plan_billing_does_not_know_is_a_validation_error(
    tenant: Tenant, customer_body: Body, client_of: Callable[[Tenant], httpx.AsyncClient]
) -> None:
    answer = await client_of(tenant).post("/customers", json=customer_body(uuid.uuid4()))
    assert answer.status_code == 422
    assert answer.json()["error"]["message"] == "unknown service plan"
    assert answer.json()["error"]["details"]["fields"][0]["field"] == "service_plan_id"


async def test_an_inactive_plan_from_billing_is_refused(
    tenant: Tenant,
    customer_body: Body,
    stand_in: tuple[StandIn, int],
    client_of: Callable[[Tenant], httpx.AsyncClient],
) -> None:
    services, _ = stand_in
    plan = plan_data(is_active=False)
    services.plans[plan["id"]] = plan
    answer = await client_of(tenant).post("/customers", json=customer_body(plan["id"]))
    assert answer.status_code == 422
    assert "not active" in answer.json()["error"]["message"]


@pytest.mark.parametrize(
    "plan_id", [BROKEN, GARBLED, SLOW], ids=["5xx", "not-the-contract", "timeout"]
)
async def test_a_failing_billing_is_an_external_service_error(
    tenant: Tenant,
    customer_body: Body,
    client_of: Callable[[Tenant], httpx.AsyncClient],
    plan_id: uuid.UUID,
) -> None:
    answer = await client_of(tenant).post("/customers", json=customer_body(plan_id))
    assert answer.status_code == 502
    assert answer.json()["error"]["code"] == "EXTERNAL_SERVICE_ERROR"
    assert (await client_of(tenant).get("/customers")).json()["meta"]["total"] == 0


async def test_an_unreachable_billing_is_an_external_service_error(
    tenant: Tenant, customer_body: Body
) -> None:
    # The session's own service points billing at a closed port.
    answer = await tenant.client("admin").post("/customers", json=customer_body(uuid.uuid4()))
    assert answer.status_code == 502
    assert answer.json()["error"] == {
        "code": "EXTERNAL_SERVICE_ERROR",
        "message": "billing did not answer",
        "details": {"service": "billing"},
    }


async def test_an_odp_only_network_knows_is_fetched(
    tenant: Tenant,
    customer_body: Body,
    stand_in: tuple[StandIn, int],
    client_of: Callable[[Tenant], httpx.AsyncClient],
) -> None:
    services, _ = stand_in
    plan = await tenant.seed_plan()
    odc_id = str(uuid.uuid4())
    odp = {
        "id": str(uuid.uuid4()),
        "odc_id": odc_id,
        "name": "ODP-N1",
        "capacity": 1,
        "used": 0,
        "version": 1,
    }
    services.odps[odp["id"]] = odp
    client = client_of(tenant)
    placed = await client.post("/customers", json=customer_body(plan.id, odp_id=odp["id"]))
    assert placed.status_code == 201, placed.text
    assert placed.json()["data"]["odc_id"] == odc_id
    full = await client.post("/customers", json=customer_body(plan.id, odp_id=odp["id"]))
    assert full.status_code == 409
    unknown = await client.post("/customers", json=customer_body(plan.id, odp_id=str(uuid.uuid4())))
    assert unknown.status_code == 422
    assert unknown.json()["error"]["message"] == "unknown ODP"
