from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from conftest import Tenant

Body = Callable[..., dict[str, Any]]


async def test_create_generates_codes_and_starts_pending(
    tenant: Tenant,
    customer_body: Body,
    outbox_events: Callable[[uuid.UUID], Awaitable[list[dict[str, Any]]]],
) -> None:
    plan = await tenant.seed_plan(monthly_price="175000.50")
    client = tenant.client("support")
    first = (await client.post("/customers", json=customer_body(plan.id))).json()["data"]
    second = (await client.post("/customers", json=customer_body(plan.id))).json()["data"]
    assert (first["customer_code"], second["customer_code"]) == ("CUST-000001", "CUST-000002")
    assert first["status"] == "pending_activation"
    assert first["monthly_fee"] == "175000.50"
    assert first["provisioning_status"] == "pending"
    assert first["outstanding_balance"] == "0.00"
    assert first["version"] == 1
    assert first["created_at"] == first["updated_at"]
    [event] = await outbox_events(uuid.UUID(first["id"]))
    assert event["type"] == "customers.customer.created"
    assert event["aggregate_version"] == 1
    assert event["data"]["customer_code"] == "CUST-000001"
    assert event["actor"]["sub"] == "user-support"


async def test_all_seed_fields_round_trip(tenant: Tenant, customer_body: Body) -> None:
    plan = await tenant.seed_plan()
    odp = await tenant.seed_odp()
    router_id = str(uuid.uuid4())
    body = customer_body(
        plan.id,
        nik="3273010101010001",
        photo_url="https://cdn.example.id/p.jpg",
        rt="003",
        rw="007",
        kelurahan="Cihapit",
        kecamatan="Bandung Wetan",
        postal_code="40114",
        latitude=-6.914744,
        longitude=107.60981,
        house_photo_url="https://cdn.example.id/h.jpg",
        odp_id=str(odp.id),
        olt_port="1/1/3",
        onu_serial="ZTEG12345678",
        router_id=router_id,
        remote_address="10.20.0.7",
        pppoe_username="budi.cihapit",
        customer_code="BDG-0001",
    )
    client = tenant.client("admin")
    created = await client.post("/customers", json=body)
    assert created.status_code == 201, created.text
    data = (await client.get(f"/customers/{created.json()['data']['id']}")).json()["data"]
    for field in (
        "nik",
        "rt",
        "rw",
        "kelurahan",
        "kecamatan",
        "postal_code",
        "olt_port",
        "onu_serial",
        "router_id",
        "remote_address",
        "pppoe_username",
        "customer_code",
        "photo_url",
        "house_photo_url",
        "full_name",
        "phone",
        "address",
        "email",
    ):
        assert data[field] == body[field], field
    assert (data["latitude"], data["longitude"]) == (-6.914744, 107.60981)
    # The ODP decides the rest of the fiber path.
    assert (data["odc_id"], data["olt_id"]) == (str(odp.odc_id), str(odp.olt_id))


async def test_a_given_code_that_exists_is_a_conflict(tenant: Tenant, customer_body: Body) -> None:
    plan = await tenant.seed_plan()
    client = tenant.client("admin")
    assert (
        await client.post("/customers", json=customer_body(plan.id, customer_code="X-1"))
    ).status_code == 201
    again = await client.post("/customers", json=customer_body(plan.id, customer_code="X-1"))
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "CONFLICT"
    assert again.json()["error"]["details"]["fields"][0]["field"] == "customer_code"


async def test_generated_codes_step_over_codes_given_by_hand(
    tenant: Tenant, customer_body: Body
) -> None:
    plan = await tenant.seed_plan()
    client = tenant.client("admin")
    await client.post("/customers", json=customer_body(plan.id, customer_code="CUST-000001"))
    generated = await client.post("/customers", json=customer_body(plan.id))
    assert generated.json()["data"]["customer_code"] == "CUST-000002"


async def test_pppoe_usernames_and_fixed_addresses_are_unique(
    tenant: Tenant, customer_body: Body
) -> None:
    plan = await tenant.seed_plan()
    client = tenant.client("admin")
    taken = {"pppoe_username": "andi", "remote_address": "10.0.0.9"}
    assert (
        await client.post("/customers", json=customer_body(plan.id, **taken))
    ).status_code == 201
    again = await client.post("/customers", json=customer_body(plan.id, **taken))
    assert again.status_code == 409
    fields = {f["field"] for f in again.json()["error"]["details"]["fields"]}
    assert fields == {"pppoe_username", "remote_address"}


async def test_plan_rules(tenant: Tenant, customer_body: Body) -> None:
    client = tenant.client("admin")
    retired = await tenant.seed_plan(is_active=False, name="Old 5M")
    inactive = await client.post("/customers", json=customer_body(retired.id))
    assert inactive.status_code == 422
    assert "not active" in inactive.json()["error"]["message"]
    deleted = await tenant.seed_plan(is_deleted=True)
    assert (await client.post("/customers", json=customer_body(deleted.id))).status_code == 422


async def test_a_full_odp_takes_nobody_more(tenant: Tenant, customer_body: Body) -> None:
    plan = await tenant.seed_plan()
    odp = await tenant.seed_odp(capacity=1)
    client = tenant.client("admin")
    first = await client.post("/customers", json=customer_body(plan.id, odp_id=str(odp.id)))
    assert first.status_code == 201
    full = await client.post("/customers", json=customer_body(plan.id, odp_id=str(odp.id)))
    assert full.status_code == 409
    assert full.json()["error"]["details"] == {"odp_id": str(odp.id), "capacity": 1, "used": 1}
    # Terminating the first frees its port.
    await client.post(
        f"/customers/{first.json()['data']['id']}/terminate", json={"reason": "moved"}
    )
    assert (
        await client.post("/customers", json=customer_body(plan.id, odp_id=str(odp.id)))
    ).status_code == 201


async def test_an_odp_is_never_overfilled_by_concurrent_placements(
    tenant: Tenant, customer_body: Body
) -> None:
    import asyncio

    plan = await tenant.seed_plan()
    odp = await tenant.seed_odp(capacity=3)
    client = tenant.client("admin")
    answers = await asyncio.gather(
        *(
            client.post("/customers", json=customer_body(plan.id, odp_id=str(odp.id)))
            for _ in range(8)
        )
    )
    assert sorted(a.status_code for a in answers) == [201] * 3 + [409] * 5
    listed = await client.get("/customers", params={"odp_id": str(odp.id)})
    assert listed.json()["meta"]["total"] == 3


async def test_read_by_code(tenant: Tenant, customer_body: Body) -> None:
    plan = await tenant.seed_plan()
    client = tenant.client("viewer")
    created = await tenant.client("admin").post("/customers", json=customer_body(plan.id))
    code = created.json()["data"]["customer_code"]
    found = await client.get(f"/customers/by-code/{code}")
    assert found.status_code == 200
    assert found.json()["data"]["id"] == created.json()["data"]["id"]
    missing = await client.get("/customers/by-code/NOPE-1")
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "NOT_FOUND"


async def test_list_filters_search_and_sort(tenant: Tenant, customer_body: Body) -> None:
    basic = await tenant.seed_plan(name="Basic")
    fast = await tenant.seed_plan(name="Fast")
    odp = await tenant.seed_odp()
    admin = tenant.client("admin")
    made = {}
    for name, plan, extra in [
        ("Agus Salim", basic, {"pppoe_username": "agus.pppoe"}),
        ("Bambang Pamungkas", fast, {"odp_id": str(odp.id)}),
        ("Cut Nyak Dien", basic, {"email": "cut.100%@example.id", "phone": "+62 899 123"}),
    ]:
        answer = await admin.post(
            "/customers", json=customer_body(plan.id, full_name=name, **extra)
        )
        made[name] = answer.json()["data"]
    await admin.post(f"/customers/{made['Bambang Pamungkas']['id']}/activate")

    async def names(**params: Any) -> list[str]:
        answer = await tenant.client("finance").get("/customers", params=params)
        assert answer.status_code == 200, answer.text
        return [c["full_name"] for c in answer.json()["data"]]

    assert await names(sort="full_name") == ["Agus Salim", "Bambang Pamungkas", "Cut Nyak Dien"]
    assert (await names(sort="-full_name"))[:1] == ["Cut Nyak Dien"]
    assert await names(search="bambang") == ["Bambang Pamungkas"]
    assert await names(search="AGUS.PPP") == ["Agus Salim"]
    assert await names(search=made["Cut Nyak Dien"]["customer_code"]) == ["Cut Nyak Dien"]
    assert await names(search="899 12") == ["Cut Nyak Dien"]
    assert await names(search="100%") == ["Cut Nyak Dien"]  # % is a character, not a wildcard
    assert await names(search="_") == []
    assert await names(status="active") == ["Bambang Pamungkas"]
    assert await names(service_plan_id=str(basic.id), sort="full_name") == [
        "Agus Salim",
        "Cut Nyak Dien",
    ]
    assert await names(odp_id=str(odp.id)) == ["Bambang Pamungkas"]
    page = await tenant.client("admin").get(
        "/customers", params={"per_page": 2, "page": 2, "sort": "full_name"}
    )
    assert page.json()["meta"] == {"page": 2, "per_page": 2, "total": 3}
    assert [c["full_name"] for c in page.json()["data"]] == ["Cut Nyak Dien"]


async def test_a_bad_sort_is_a_validation_error(tenant: Tenant) -> None:
    answer = await tenant.client("admin").get("/customers", params={"sort": "pppoe_password"})
    assert answer.status_code == 422
    assert answer.json()["error"]["details"]["fields"][0]["field"] == "sort"
