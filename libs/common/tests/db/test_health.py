"""/healthz, /readyz against the real database and broker, and /metrics."""

from __future__ import annotations

import httpx
import pytest

from isp_common.db import Database
from isp_common.testing import settings_for_test
from isp_common.web import create_app, create_ops_app

pytestmark = pytest.mark.integration


async def probe(
    settings: object, db: Database, path: str, *, worker: bool = False
) -> httpx.Response:
    app = (
        create_ops_app(settings, db)  # type: ignore[arg-type]
        if worker
        else create_app(settings, db, [], title="health")  # type: ignore[arg-type]
    )
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
        return await c.get(path)


async def test_ready_when_database_and_broker_answer(library_database_url: str) -> None:
    settings = settings_for_test("libtest", library_database_url)
    db = Database(settings.service_dsn, "libtest", producer="libtest")
    response = await probe(settings, db, "/readyz")
    await db.dispose()
    assert response.status_code == 200


async def test_a_worker_is_not_ready_without_database_and_broker(library_database_url: str) -> None:
    settings = settings_for_test(
        "libtest", library_database_url, amqp_url="amqp://guest:guest@127.0.0.1:1/"
    )
    db = Database("postgresql+asyncpg://nobody@127.0.0.1:1/none", "libtest", producer="libtest")
    response = await probe(settings, db, "/readyz", worker=True)
    await db.dispose()
    assert response.status_code == 503
    body = response.json()
    assert body["error"]["code"] == "SERVICE_UNAVAILABLE"
    assert set(body["error"]["details"]) == {"database", "broker"}


async def test_an_api_stays_ready_through_a_broker_outage(library_database_url: str) -> None:
    # Its writes wait in the outbox: taking every replica out of the load balancer would turn
    # a broker outage into a full one.
    settings = settings_for_test(
        "libtest", library_database_url, amqp_url="amqp://guest:guest@127.0.0.1:1/"
    )
    db = Database(settings.service_dsn, "libtest", producer="libtest")
    assert (await probe(settings, db, "/readyz")).status_code == 200
    assert (await probe(settings, db, "/readyz", worker=True)).status_code == 503
    await db.dispose()


async def test_an_api_without_its_database_is_not_ready(library_database_url: str) -> None:
    settings = settings_for_test("libtest", library_database_url)
    db = Database("postgresql+asyncpg://nobody@127.0.0.1:1/none", "libtest", producer="libtest")
    response = await probe(settings, db, "/readyz")
    await db.dispose()
    assert response.status_code == 503
    assert set(response.json()["error"]["details"]) == {"database"}


async def test_metrics_expose_request_latency(library_database_url: str) -> None:
    settings = settings_for_test("libtest", library_database_url)
    db = Database(settings.service_dsn, "libtest", producer="libtest")
    await probe(settings, db, "/healthz")
    response = await probe(settings, db, "/metrics")
    await db.dispose()
    assert "isp_http_request_duration_seconds_bucket" in response.text
    assert 'route="/healthz"' in response.text
