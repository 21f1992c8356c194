import uuid
from typing import Literal

import httpx
import pytest
from fastapi import APIRouter

from isp_common.auth import Principal, Role, mint_token
from isp_common.db import Database
from isp_common.errors import Conflict, InvalidState
from isp_common.settings import Settings
from isp_common.web import RequestModel, create_app, ok, require

router = APIRouter()


class Body(RequestModel):
    name: str
    kind: Literal["a", "b"]
    password: str


@router.post("/things")
async def create_thing(body: Body, principal: Principal = require(Role.ADMIN)) -> dict[str, object]:
    return ok({"name": body.name})


@router.get("/boom")
async def boom(principal: Principal = require(Role.ADMIN)) -> dict[str, object]:
    raise RuntimeError("SELECT secret FROM customers; password=hunter2")


@router.get("/conflict")
async def conflict(principal: Principal = require(Role.VIEWER)) -> dict[str, object]:
    raise Conflict("customer_code already exists", {"field": "customer_code"})


@router.get("/state")
async def state(principal: Principal = require(Role.VIEWER)) -> dict[str, object]:
    raise InvalidState("terminated", "active")


SETTINGS = Settings(service_name="webtest")
TENANT = uuid.uuid4()


@pytest.fixture()
async def client() -> httpx.AsyncClient:
    db = Database(SETTINGS.service_dsn, "webtest", producer="webtest")  # never connects here
    app = create_app(SETTINGS, db, [router], title="webtest")
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
        yield http
    await db.dispose()


def auth(*roles: str) -> dict[str, str]:
    return {"Authorization": "Bearer " + mint_token(SETTINGS, tenant_id=TENANT, roles=roles)}


async def test_unknown_and_bad_fields_are_named_without_echoing_input(
    client: httpx.AsyncClient,
) -> None:
    response = await client.post(
        "/api/v1/things",
        json={"name": "x", "kind": "zzz", "password": "hunter2", "extra": 1},
        headers=auth("admin"),
    )
    assert response.status_code == 422
    body = response.json()
    assert body["success"] is False and body["error"]["code"] == "VALIDATION_ERROR"
    fields = {f["field"]: f["message"] for f in body["error"]["details"]["fields"]}
    assert fields["extra"] == "unknown field"
    assert "kind" in fields
    assert "hunter2" not in response.text


async def test_malformed_json_is_a_validation_error(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/api/v1/things",
        content=b"{not json",
        headers={**auth("admin"), "content-type": "application/json"},
    )
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "VALIDATION_ERROR"


async def test_auth_failures_use_the_envelope(client: httpx.AsyncClient) -> None:
    missing = await client.post("/api/v1/things", json={})
    assert (missing.status_code, missing.json()["error"]["code"]) == (401, "UNAUTHORIZED")
    wrong_role = await client.post(
        "/api/v1/things", json={"name": "x", "kind": "a", "password": "p"}, headers=auth("viewer")
    )
    assert (wrong_role.status_code, wrong_role.json()["error"]["code"]) == (403, "FORBIDDEN")


async def test_unexpected_errors_hide_everything_internal(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/v1/boom", headers=auth("admin"))
    assert response.status_code == 500
    assert response.json() == {
        "success": False,
        "error": {"code": "INTERNAL_ERROR", "message": "Internal error", "details": {}},
    }
    assert response.headers["x-request-id"]


async def test_domain_errors_map_to_their_codes(client: httpx.AsyncClient) -> None:
    conflict = await client.get("/api/v1/conflict", headers=auth("viewer"))
    assert conflict.status_code == 409 and conflict.json()["error"]["details"] == {
        "field": "customer_code"
    }
    state = await client.get("/api/v1/state", headers=auth("viewer"))
    assert state.json()["error"] == {
        "code": "INVALID_STATE",
        "message": "cannot go from terminated to active",
        "details": {"current_state": "terminated", "requested_state": "active"},
    }


async def test_unknown_routes_and_methods_answer_in_the_envelope(client: httpx.AsyncClient) -> None:
    missing = await client.get("/api/v1/nothing-here", headers=auth("admin"))
    assert (missing.status_code, missing.json()["error"]["code"]) == (404, "NOT_FOUND")
    wrong_method = await client.delete("/api/v1/things", headers=auth("admin"))
    assert wrong_method.json()["success"] is False
    # Without a token, nothing under /api/v1 says whether a route exists.
    anonymous = await client.get("/api/v1/nothing-here")
    assert (anonymous.status_code, anonymous.json()["error"]["code"]) == (401, "UNAUTHORIZED")


async def test_request_id_is_kept_when_given(client: httpx.AsyncClient) -> None:
    response = await client.get("/healthz", headers={"X-Request-ID": "req-123"})
    assert response.headers["x-request-id"] == "req-123"


@pytest.mark.parametrize(
    "body",
    [
        {"name": "a\x00b", "kind": "a", "password": "p"},
        {"name": "ok", "kind": "a", "password": "p\x00"},
    ],
    ids=["in-a-value", "in-a-secret"],
)
async def test_a_nul_character_is_a_validation_error(
    client: httpx.AsyncClient, body: dict[str, str]
) -> None:
    answer = await client.post("/api/v1/things", json=body, headers=auth("admin"))
    assert answer.status_code == 422
    assert answer.json()["error"]["code"] == "VALIDATION_ERROR"
    field = next(name for name, value in body.items() if "\x00" in value)
    assert answer.json()["error"]["details"]["fields"][0]["field"] == field
    assert "\x00" not in answer.text
