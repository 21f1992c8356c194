"""Bad input answers 422 in the envelope, naming the field, and never echoes the value."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from conftest import Tenant

Body = Callable[..., dict[str, Any]]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"favourite_colour": "blue"}, "favourite_colour"),
        ({"status": "active"}, "status"),
        ({"service_plan_id": "not-a-uuid"}, "service_plan_id"),
        ({"odp_id": "123"}, "odp_id"),
        ({"full_name": ""}, "full_name"),
        ({"full_name": "a\x00b"}, "full_name"),
        ({"phone": "call me"}, "phone"),
        ({"email": "nobody"}, "email"),
        ({"latitude": 91}, "latitude"),
        ({"longitude": "east"}, "longitude"),
        ({"remote_address": "10.0.0.300"}, "remote_address"),
        ({"pppoe_username": "has space"}, "pppoe_username"),
        ({"customer_code": "-x"}, "customer_code"),
        ({"pppoe_password": ""}, "pppoe_password"),
    ],
)
async def test_bad_bodies(
    tenant: Tenant, customer_body: Body, overrides: dict[str, Any], field: str
) -> None:
    body = customer_body(uuid.uuid4(), **overrides)
    answer = await tenant.client("admin").post("/customers", json=body)
    assert answer.status_code == 422, answer.text
    error = answer.json()["error"]
    assert error["code"] == "VALIDATION_ERROR"
    assert field in [f["field"] for f in error["details"]["fields"]]
    if field == "favourite_colour":
        assert error["details"]["fields"][0]["message"] == "unknown field"


async def test_missing_required_fields(tenant: Tenant) -> None:
    answer = await tenant.client("admin").post("/customers", json={"full_name": "x"})
    fields = {f["field"] for f in answer.json()["error"]["details"]["fields"]}
    assert fields == {"phone", "address", "service_plan_id"}


async def test_not_json(tenant: Tenant) -> None:
    answer = await tenant.client("admin").post(
        "/customers", content=b"{nope", headers={"content-type": "application/json"}
    )
    assert answer.status_code == 422
    assert answer.json()["success"] is False


@pytest.mark.parametrize(
    "params",
    [
        {"per_page": 0},
        {"per_page": 101},
        {"page": 0},
        {"status": "sleeping"},
        {"service_plan_id": "x"},
        {"odp_id": "1"},
        {"search": "x" * 101},
        {"sort": "-nik"},
    ],
)
async def test_bad_list_queries(tenant: Tenant, params: dict[str, Any]) -> None:
    answer = await tenant.client("viewer").get("/customers", params=params)
    assert answer.status_code == 422, params
    assert answer.json()["error"]["code"] == "VALIDATION_ERROR"
    [name] = params
    assert answer.json()["error"]["details"]["fields"][0]["field"].endswith(name)


async def test_bad_ids_in_paths(tenant: Tenant) -> None:
    client = tenant.client("admin")
    assert (await client.get("/customers/not-a-uuid")).status_code == 422
    assert (await client.post("/customers/123/activate")).status_code == 422
    assert (await client.get(f"/customers/{uuid.uuid4()}")).status_code == 404


async def test_per_page_bounds_are_inclusive(tenant: Tenant) -> None:
    for per_page in (1, 100):
        answer = await tenant.client("viewer").get("/customers", params={"per_page": per_page})
        assert answer.status_code == 200
        assert answer.json()["meta"] == {"page": 1, "per_page": per_page, "total": 0}
