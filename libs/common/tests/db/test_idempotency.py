"""`Idempotency-Key` on the real Postgres: a retried POST is done once."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import APIRouter, Request
from sqlalchemy import text

from isp_common.auth import Principal, Role, mint_token
from isp_common.db import Database, UnitOfWork
from isp_common.testing import settings_for_test
from isp_common.web import RequestModel, create_app, created, require, shown_once

pytestmark = pytest.mark.integration


class NewWidget(RequestModel):
    name: str


router = APIRouter()


@router.post("/widgets", status_code=201)
async def create_widget(
    body: NewWidget, request: Request, principal: Principal = require(Role.ADMIN)
) -> object:
    if body.name == "explode":
        raise RuntimeError("boom")
    db: Database = request.app.state.db
    widget_id = uuid.uuid4()
    async with UnitOfWork(db, principal.tenant_id) as uow:
        await asyncio.sleep(0.05)  # long enough for concurrent retries to overlap
        await uow.connection.execute(
            text("insert into libtest.widgets (id, tenant_id, name) values (:i, :t, :n)"),
            {"i": widget_id, "t": principal.tenant_id, "n": body.name},
        )
        await uow.commit()
    answer = created({"id": str(widget_id), "name": body.name})
    # A widget named "secret…" stands for an answer revealing a one-time secret.
    return shown_once(answer) if body.name.startswith("secret") else answer


@pytest.fixture()
async def setup(
    library_database_url: str,
) -> AsyncIterator[tuple[httpx.AsyncClient, Database, object]]:
    settings = settings_for_test("libtest", library_database_url)
    db = Database(settings.service_dsn, "libtest", producer="libtest")
    app = create_app(settings, db, [router], title="idempotency")
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        yield client, db, settings
    await db.dispose()


def headers(
    settings: object, tenant: uuid.UUID, key: str | None, *, sub: str = "cli", role: str = "admin"
) -> dict[str, str]:
    token = mint_token(settings, tenant_id=tenant, roles=[role], sub=sub)  # type: ignore[arg-type]
    result = {"Authorization": f"Bearer {token}"}
    if key:
        result["Idempotency-Key"] = key
    return result


async def widgets(db: Database, tenant: uuid.UUID) -> int:
    async with UnitOfWork(db, tenant) as uow:
        return int(
            (
                await uow.connection.execute(text("select count(*) from libtest.widgets"))
            ).scalar_one()
        )


async def test_a_retry_gets_the_first_answer_and_does_nothing_again(setup) -> None:
    client, db, settings = setup
    tenant = uuid.uuid4()
    first = await client.post(
        "/api/v1/widgets", json={"name": "a"}, headers=headers(settings, tenant, "k1")
    )
    again = await client.post(
        "/api/v1/widgets", json={"name": "a"}, headers=headers(settings, tenant, "k1")
    )
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert again.headers["idempotency-replayed"] == "true"
    assert await widgets(db, tenant) == 1


async def test_the_same_key_with_another_body_is_a_conflict(setup) -> None:
    client, db, settings = setup
    tenant = uuid.uuid4()
    await client.post("/api/v1/widgets", json={"name": "a"}, headers=headers(settings, tenant, "k"))
    other = await client.post(
        "/api/v1/widgets", json={"name": "b"}, headers=headers(settings, tenant, "k")
    )
    assert other.status_code == 409
    assert other.json()["error"]["code"] == "CONFLICT"
    assert await widgets(db, tenant) == 1


async def test_concurrent_retries_do_the_work_once(setup) -> None:
    client, db, settings = setup
    tenant = uuid.uuid4()
    responses = await asyncio.gather(
        *(
            client.post(
                "/api/v1/widgets", json={"name": "c"}, headers=headers(settings, tenant, "same")
            )
            for _ in range(8)
        )
    )
    assert sorted({r.status_code for r in responses}) in ([201], [201, 409])
    assert (
        sum(r.status_code == 201 and "idempotency-replayed" not in r.headers for r in responses)
        == 1
    )
    assert await widgets(db, tenant) == 1


async def test_keys_belong_to_their_tenant(setup) -> None:
    client, db, settings = setup
    tenant_a, tenant_b = uuid.uuid4(), uuid.uuid4()
    for tenant in (tenant_a, tenant_b):
        response = await client.post(
            "/api/v1/widgets", json={"name": "x"}, headers=headers(settings, tenant, "shared")
        )
        assert response.status_code == 201
        assert "idempotency-replayed" not in response.headers
    assert await widgets(db, tenant_a) == await widgets(db, tenant_b) == 1


async def test_a_server_error_releases_the_key_for_a_retry(setup) -> None:
    client, _, settings = setup
    tenant = uuid.uuid4()
    failed = await client.post(
        "/api/v1/widgets", json={"name": "explode"}, headers=headers(settings, tenant, "r")
    )
    assert failed.status_code == 500
    retried = await client.post(
        "/api/v1/widgets", json={"name": "explode"}, headers=headers(settings, tenant, "r")
    )
    assert retried.status_code == 500
    assert "idempotency-replayed" not in retried.headers


async def test_without_a_key_each_post_is_its_own(setup) -> None:
    client, db, settings = setup
    tenant = uuid.uuid4()
    for _ in range(2):
        await client.post(
            "/api/v1/widgets", json={"name": "n"}, headers=headers(settings, tenant, None)
        )
    assert await widgets(db, tenant) == 2


async def test_an_oversized_key_is_a_validation_error(setup) -> None:
    client, _, settings = setup
    response = await client.post(
        "/api/v1/widgets", json={"name": "n"}, headers=headers(settings, uuid.uuid4(), "k" * 300)
    )
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "VALIDATION_ERROR"


async def test_keys_belong_to_their_caller_not_only_their_tenant(setup) -> None:
    """Another user of the same tenant who sends the same key gets nothing of the first answer."""
    client, db, settings = setup
    tenant = uuid.uuid4()
    first = await client.post(
        "/api/v1/widgets", json={"name": "s"}, headers=headers(settings, tenant, "k", sub="ana")
    )
    other = await client.post(
        "/api/v1/widgets", json={"name": "s"}, headers=headers(settings, tenant, "k", sub="budi")
    )
    assert first.status_code == other.status_code == 201
    assert "idempotency-replayed" not in other.headers
    assert first.json()["data"]["id"] != other.json()["data"]["id"]
    assert await widgets(db, tenant) == 2


async def test_an_answer_that_did_no_work_releases_the_key(setup) -> None:
    """A 422 (bad body) or a 403 (wrong role) did nothing: a corrected request may reuse the key."""
    client, db, settings = setup
    tenant = uuid.uuid4()
    invalid = await client.post(
        "/api/v1/widgets", json={"nome": "typo"}, headers=headers(settings, tenant, "fix")
    )
    assert invalid.status_code == 422
    forbidden = await client.post(
        "/api/v1/widgets",
        json={"name": "f"},
        headers=headers(settings, tenant, "role", role="support"),
    )
    assert forbidden.status_code == 403
    fixed = await client.post(
        "/api/v1/widgets", json={"name": "f"}, headers=headers(settings, tenant, "fix")
    )
    assert fixed.status_code == 201 and "idempotency-replayed" not in fixed.headers
    async with UnitOfWork(db, tenant) as uow:
        held = (
            await uow.connection.execute(
                text("select count(*) from libtest.idempotency_keys where status_code is null")
            )
        ).scalar_one()
    assert held == 0, "a released claim must not linger as 'in progress'"
    assert await widgets(db, tenant) == 1


async def test_a_key_past_its_lifetime_is_free_again(setup) -> None:
    client, db, settings = setup
    tenant = uuid.uuid4()
    first = await client.post(
        "/api/v1/widgets", json={"name": "old"}, headers=headers(settings, tenant, "day")
    )
    assert first.status_code == 201
    async with UnitOfWork(db, tenant) as uow:
        await uow.connection.execute(
            text(
                "update libtest.idempotency_keys set created_at = now() - interval '25 hours'"
                " where tenant_id = :t"
            ),
            {"t": tenant},
        )
        await uow.commit()
    # Housekeeping has not run: the old row is still there, and must not answer any more.
    again = await client.post(
        "/api/v1/widgets", json={"name": "new body"}, headers=headers(settings, tenant, "day")
    )
    assert again.status_code == 201 and "idempotency-replayed" not in again.headers
    replayed = await client.post(
        "/api/v1/widgets", json={"name": "new body"}, headers=headers(settings, tenant, "day")
    )
    assert replayed.headers.get("idempotency-replayed") == "true"
    assert await widgets(db, tenant) == 2


async def test_the_key_row_names_neither_the_caller_nor_the_key(setup) -> None:
    client, db, settings = setup
    tenant = uuid.uuid4()
    await client.post(
        "/api/v1/widgets", json={"name": "p"}, headers=headers(settings, tenant, "order-77")
    )
    async with UnitOfWork(db, tenant) as uow:
        stored = (
            await uow.connection.execute(
                text("select key from libtest.idempotency_keys where tenant_id = :t"), {"t": tenant}
            )
        ).scalar_one()
    assert "order-77" not in stored and len(stored) == 64


async def test_an_answer_shown_once_is_not_kept_and_its_retry_does_nothing(setup) -> None:
    client, db, settings = setup
    tenant = uuid.uuid4()
    first = await client.post(
        "/api/v1/widgets", json={"name": "secret-1"}, headers=headers(settings, tenant, "k1")
    )
    again = await client.post(
        "/api/v1/widgets", json={"name": "secret-1"}, headers=headers(settings, tenant, "k1")
    )
    assert first.status_code == 201
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "CONFLICT"
    assert first.json()["data"]["id"] not in again.text
    assert await widgets(db, tenant) == 1
    async with UnitOfWork(db, tenant) as uow:
        kept = (
            await uow.connection.execute(
                text("select string_agg(response_body, '') from libtest.idempotency_keys")
            )
        ).scalar_one()
    assert first.json()["data"]["id"] not in kept
