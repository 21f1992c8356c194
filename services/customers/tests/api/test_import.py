from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from conftest import Tenant


def _csv(*lines: str) -> bytes:
    return ("\n".join(lines) + "\n").encode()


async def test_a_good_file_creates_every_row(tenant: Tenant) -> None:
    plan = await tenant.seed_plan()
    odp = await tenant.seed_odp()
    content = _csv(
        "full_name,phone,address,service_plan_id,email,odp_id,pppoe_username,pppoe_password,latitude",
        f"Ani,+62 811 1,Jl. A 1,{plan.id},ani@example.id,{odp.id},ani,pw-ani,-6.9",
        f'"Budi, Jr.",+62 811 2,"Jl. B 2, RT 3",{plan.id},,,budi,,',
    )
    client = tenant.client("admin")
    answer = await client.post("/customers/import", files={"file": ("c.csv", content, "text/csv")})
    assert answer.status_code == 201, answer.text
    data = answer.json()["data"]
    assert data["imported"] == 2
    assert [c["customer_code"] for c in data["customers"]] == ["CUST-000001", "CUST-000002"]
    assert "pw-ani" not in answer.text
    budi = (await client.get("/customers", params={"search": "budi, jr"})).json()["data"][0]
    assert budi["address"] == "Jl. B 2, RT 3"
    assert budi["email"] is None
    assert budi["has_pppoe_password"] is False


async def test_one_bad_row_and_nothing_is_created(tenant: Tenant) -> None:
    plan = await tenant.seed_plan()
    retired = await tenant.seed_plan(is_active=False)
    full = await tenant.seed_odp(capacity=1)
    content = _csv(
        "full_name,phone,address,service_plan_id,customer_code,odp_id,pppoe_username",
        f"Ani,+62 811 1,Jl. A 1,{plan.id},IMP-1,{full.id},ani",
        f"Budi,+62 811 2,Jl. B 2,{plan.id},IMP-1,,budi",  # line 3: code taken by line 2
        f"Cici,+62 811 3,Jl. C 3,{retired.id},,,",  # line 4: plan not active
        f"Dodi,+62 811 4,Jl. D 4,{plan.id},,{full.id},",  # line 5: ODP full (line 2 took it)
        f"Euis,+62 811 5,Jl. E 5,{plan.id},,,ani",  # line 6: PPPoE name taken by line 2
        f"Fajar,+62 811 6,Jl. F 6,{plan.id},,,",
    )
    client = tenant.client("admin")
    answer = await client.post("/customers/import", files={"file": ("c.csv", content, "text/csv")})
    assert answer.status_code == 422, answer.text
    error = answer.json()["error"]
    assert error["code"] == "VALIDATION_ERROR"
    rows = {row["row"]: row["errors"] for row in error["details"]["rows"]}
    assert sorted(rows) == [3, 4, 5, 6]
    assert rows[3][0]["field"] == "customer_code"
    assert rows[4][0]["field"] == "service_plan_id"
    assert "full" in rows[5][0]["message"]
    assert rows[6][0]["field"] == "pppoe_username"
    assert (await client.get("/customers")).json()["meta"]["total"] == 0
    # Nothing consumed the counter either: the next code is still the first.
    created = await client.post(
        "/customers",
        json={
            "full_name": "G",
            "phone": "+62 811 7",
            "address": "x",
            "service_plan_id": str(plan.id),
        },
    )
    assert created.json()["data"]["customer_code"] == "CUST-000001"


async def test_rows_that_do_not_parse_are_listed_without_their_values(tenant: Tenant) -> None:
    plan = await tenant.seed_plan()
    content = _csv(
        "full_name,phone,address,service_plan_id,pppoe_password,latitude",
        f"Ani,+62 811 1,Jl. A 1,{plan.id},,",
        f"Budi,not a phone,Jl. B 2,{plan.id},,",
        ",+62 811 3,Jl. C 3,not-a-uuid,,",
        f"Dedi,+62 811 4,Jl. D 4,{plan.id},,north",
        f"Eka,+62 811 5,Jl. E 5,{plan.id},,,extra",
    )
    answer = await tenant.client("admin").post(
        "/customers/import", files={"file": ("c.csv", content, "text/csv")}
    )
    assert answer.status_code == 422
    rows = {
        row["row"]: {e["field"] for e in row["errors"]}
        for row in answer.json()["error"]["details"]["rows"]
    }
    assert rows == {3: {"phone"}, 4: {"full_name", "service_plan_id"}, 5: {"latitude"}, 6: {None}}
    assert "not a phone" not in answer.text


async def test_a_bad_header_is_refused(tenant: Tenant) -> None:
    content = _csv(
        "full_name,phone,address,service_plan_id,shoe_size", f"A,+62 1111,x,{uuid.uuid4()},42"
    )
    answer = await tenant.client("admin").post(
        "/customers/import", files={"file": ("c.csv", content)}
    )
    assert answer.status_code == 422
    assert answer.json()["error"]["details"]["rows"][0]["errors"] == [
        {"field": "shoe_size", "message": "unknown column"}
    ]
    missing = _csv("full_name,phone", "A,+62 1111")
    answer = await tenant.client("admin").post(
        "/customers/import", files={"file": ("c.csv", missing)}
    )
    fields = {e["field"] for e in answer.json()["error"]["details"]["rows"][0]["errors"]}
    assert fields == {"address", "service_plan_id"}


async def test_empty_binary_and_missing_files(tenant: Tenant) -> None:
    client = tenant.client("admin")
    header_only = _csv("full_name,phone,address,service_plan_id")
    assert (
        await client.post("/customers/import", files={"file": ("c.csv", header_only)})
    ).status_code == 422
    assert (
        await client.post("/customers/import", files={"file": ("c.csv", b"\xff\xfe\x00")})
    ).status_code == 422
    no_file = await client.post("/customers/import", data={"x": "1"})
    assert no_file.status_code == 422
    assert no_file.json()["error"]["details"]["fields"][0]["field"] == "file"


async def test_only_writers_import(tenant: Tenant) -> None:
    answer = await tenant.client("viewer").post(
        "/customers/import", files={"file": ("c.csv", b"a\n")}
    )
    assert answer.status_code == 403
