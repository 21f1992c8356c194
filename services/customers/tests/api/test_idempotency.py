from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from conftest import Tenant

Body = Callable[..., dict[str, Any]]


async def test_the_same_key_and_body_replay_the_first_answer(
    tenant: Tenant, customer_body: Body
) -> None:
    plan = await tenant.seed_plan()
    client = tenant.client("admin")
    body = customer_body(plan.id)
    headers = {"Idempotency-Key": "create-budi-1"}
    first = await client.post("/customers", json=body, headers=headers)
    again = await client.post("/customers", json=body, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again.headers.get("idempotency-replayed") == "true"
    assert (await client.get("/customers")).json()["meta"]["total"] == 1


async def test_the_same_key_with_another_body_is_a_conflict(
    tenant: Tenant, customer_body: Body
) -> None:
    plan = await tenant.seed_plan()
    client = tenant.client("admin")
    headers = {"Idempotency-Key": "create-2"}
    assert (
        await client.post("/customers", json=customer_body(plan.id), headers=headers)
    ).status_code == 201
    other = await client.post("/customers", json=customer_body(plan.id), headers=headers)
    assert other.status_code == 409
    assert other.json()["error"]["code"] == "CONFLICT"
    assert (await client.get("/customers")).json()["meta"]["total"] == 1


async def test_keys_belong_to_their_tenant(
    new_tenant: Callable[[], Tenant], customer_body: Body
) -> None:
    first, second = new_tenant(), new_tenant()
    headers = {"Idempotency-Key": "shared-key"}
    for tenant in (first, second):
        plan = await tenant.seed_plan()
        answer = await tenant.client("admin").post(
            "/customers", json=customer_body(plan.id), headers=headers
        )
        assert answer.status_code == 201
        assert "idempotency-replayed" not in answer.headers
