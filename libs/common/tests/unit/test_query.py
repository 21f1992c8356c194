"""Every route refuses a query parameter it does not declare, and pages stay within bounds."""

import uuid

import httpx
import pytest
from fastapi import APIRouter

from isp_common.auth import Principal, Role, mint_token
from isp_common.db import Database
from isp_common.settings import Settings
from isp_common.web import MAX_PAGE, PageParams, create_app, ok, require

router = APIRouter()


@router.get("/things")
async def things(
    page: PageParams, status: str | None = None, principal: Principal = require(Role.VIEWER)
) -> dict[str, object]:
    return ok({"offset": page.offset, "limit": page.limit, "status": status})


SETTINGS = Settings(service_name="querytest")


@pytest.fixture()
async def client() -> httpx.AsyncClient:
    db = Database(SETTINGS.service_dsn, "querytest", producer="querytest")  # never connects
    app = create_app(SETTINGS, db, [router], title="querytest")
    token = mint_token(SETTINGS, tenant_id=uuid.uuid4(), roles=["viewer"])
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app),
        base_url="http://t/api/v1",
        headers={"Authorization": f"Bearer {token}"},
    ) as http:
        yield http
    await db.dispose()


async def test_declared_parameters_pass_including_a_dependencys(client: httpx.AsyncClient) -> None:
    answer = await client.get("/things", params={"status": "open", "page": 3, "per_page": 10})
    assert answer.status_code == 200
    assert answer.json()["data"] == {"offset": 20, "limit": 10, "status": "open"}


async def test_a_misspelt_filter_is_a_validation_error(client: httpx.AsyncClient) -> None:
    answer = await client.get("/things", params={"statuss": "open", "colour": "red"})
    assert answer.status_code == 422
    assert answer.json()["error"]["code"] == "VALIDATION_ERROR"
    fields = [field["field"] for field in answer.json()["error"]["details"]["fields"]]
    assert fields == ["query.colour", "query.statuss"]


@pytest.mark.parametrize(
    ("page", "per_page"), [(0, 20), (MAX_PAGE + 1, 20), (1, 0), (1, 101), (10**30, 20)]
)
async def test_pages_out_of_bounds_are_refused(
    client: httpx.AsyncClient, page: int, per_page: int
) -> None:
    answer = await client.get("/things", params={"page": page, "per_page": per_page})
    assert answer.status_code == 422
    assert answer.json()["error"]["code"] == "VALIDATION_ERROR"
