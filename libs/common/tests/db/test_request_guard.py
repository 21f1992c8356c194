"""Every service's edge: a capped body, and no body read for a caller without a token."""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from fastapi import APIRouter, Request

from isp_common.auth import Principal, Role, mint_token
from isp_common.db import Database
from isp_common.settings import Settings
from isp_common.testing import settings_for_test
from isp_common.web import create_app, created, require

pytestmark = pytest.mark.integration

CAP = 4096
router = APIRouter()


@router.post("/uploads", status_code=201)
async def upload(request: Request, principal: Principal = require(Role.ADMIN)) -> object:
    return created({"bytes": len(await request.body())})


@router.post("/callbacks/pay", status_code=201)
async def callback(request: Request) -> object:
    return created({"bytes": len(await request.body())})


@pytest.fixture()
async def service(library_database_url: str) -> AsyncIterator[tuple[Any, Settings]]:
    settings = settings_for_test("libtest", library_database_url).model_copy(
        update={"max_body_bytes": CAP}
    )
    db = Database(settings.service_dsn, "libtest", producer="libtest")
    app = create_app(settings, db, [router], title="guard", public_paths=["/callbacks"])
    yield app, settings
    await db.dispose()


def bearer(settings: Settings) -> dict[str, str]:
    token = mint_token(settings, tenant_id=uuid.uuid4(), roles=["admin"])
    return {"Authorization": f"Bearer {token}"}


async def call(app: Any, path: str, headers: dict[str, str], chunks: list[bytes]) -> dict[str, Any]:
    """Drive the ASGI app by hand, to see how much of the body it asked for."""
    pending = list(chunks)
    read = 0
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        nonlocal read
        if not pending:
            return {"type": "http.disconnect"}
        chunk = pending.pop(0)
        read += len(chunk)
        return {"type": "http.request", "body": chunk, "more_body": bool(pending)}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
        "client": ("127.0.0.1", 5000),
        "server": ("t", 80),
    }
    await app(scope, receive, send)
    start = next(m for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return {"status": start["status"], "json": json.loads(body), "read": read}


async def test_no_token_is_401_before_any_of_the_body_is_read(service) -> None:
    app, _ = service
    answer = await call(app, "/api/v1/uploads", {}, [b"x" * 1000] * 50)
    assert answer["status"] == 401
    assert answer["json"]["error"]["code"] == "UNAUTHORIZED"
    assert answer["read"] == 0


async def test_a_forged_token_is_401_before_any_of_the_body_is_read(service) -> None:
    app, _ = service
    answer = await call(
        app, "/api/v1/uploads", {"Authorization": "Bearer not.a.jwt"}, [b"x" * 1000] * 50
    )
    assert answer["status"] == 401 and answer["read"] == 0


async def test_a_declared_length_over_the_cap_is_413_unread(service) -> None:
    app, settings = service
    headers = {**bearer(settings), "Content-Length": str(CAP + 1)}
    answer = await call(app, "/api/v1/uploads", headers, [b"x" * (CAP + 1)])
    assert answer["status"] == 413 and answer["read"] == 0
    error = answer["json"]["error"]
    assert error["code"] == "VALIDATION_ERROR" and error["details"]["max_body_bytes"] == CAP


async def test_a_streamed_body_over_the_cap_is_413(service) -> None:
    app, settings = service
    answer = await call(app, "/api/v1/uploads", bearer(settings), [b"x" * 1024] * 10)
    assert answer["status"] == 413
    assert answer["read"] <= CAP + 1024, "reading stops at the chunk that passes the cap"
    assert answer["json"]["error"]["details"]["max_body_bytes"] == CAP


async def test_a_streamed_body_over_the_cap_is_413_through_idempotency(service) -> None:
    app, settings = service
    headers = {**bearer(settings), "Idempotency-Key": "big"}
    answer = await call(app, "/api/v1/uploads", headers, [b"x" * 1024] * 10)
    assert answer["status"] == 413


async def test_a_body_within_the_cap_reaches_the_route(service) -> None:
    app, settings = service
    answer = await call(app, "/api/v1/uploads", bearer(settings), [b"x" * 1024] * 3)
    assert answer["status"] == 201 and answer["json"]["data"]["bytes"] == 3072


async def test_a_public_path_is_reached_without_a_token_but_still_capped(service) -> None:
    app, _ = service
    small = await call(app, "/api/v1/callbacks/pay", {}, [b"{}"])
    assert small["status"] == 201
    big = await call(app, "/api/v1/callbacks/pay", {}, [b"x" * 1024] * 10)
    assert big["status"] == 413


async def test_health_needs_no_token(service) -> None:
    app, _ = service
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        assert (await client.get("/healthz")).status_code == 200
