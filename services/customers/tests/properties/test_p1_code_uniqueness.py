from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

if TYPE_CHECKING:
    from conftest import Tenant

Body = Callable[..., dict[str, Any]]

# None: let the service generate one. The explicit ones collide with each other, with generated
# codes (CUST-00000n) and differ only by case (codes are case-sensitive).
requested_codes = st.lists(
    st.one_of(st.none(), st.sampled_from(["CUST-000001", "CUST-000003", "A-1", "a-1", "B.2"])),
    min_size=1,
    max_size=8,
)


# Feature: isp-management-system, Property 1: Customer code uniqueness (docs/properties.md)
@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(requests=requested_codes)
async def test_codes_are_unique_within_a_tenant(
    new_tenant: Callable[[], Tenant], customer_body: Body, requests: list[str | None]
) -> None:
    tenant = new_tenant()
    plan = await tenant.seed_plan()
    client = tenant.client("admin")
    held: list[str] = []
    for code in requests:
        body = customer_body(plan.id, **({"customer_code": code} if code else {}))
        answer = await client.post("/customers", json=body)
        if code is not None and code in held:
            assert answer.status_code == 409, answer.text
            continue
        assert answer.status_code == 201, answer.text
        given_or_generated = answer.json()["data"]["customer_code"]
        assert code is None or given_or_generated == code
        held.append(given_or_generated)
    listed = await client.get("/customers", params={"per_page": 100})
    codes = [c["customer_code"] for c in listed.json()["data"]]
    assert sorted(codes) == sorted(held)
    assert len(set(codes)) == len(codes)


# Feature: isp-management-system, Property 1: Customer code uniqueness
async def test_codes_are_unique_under_concurrent_creation(
    new_tenant: Callable[[], Tenant], customer_body: Body
) -> None:
    tenant = new_tenant()
    plan = await tenant.seed_plan()
    client = tenant.client("admin")
    answers = await asyncio.gather(
        *(client.post("/customers", json=customer_body(plan.id)) for _ in range(50))
    )
    assert [a.status_code for a in answers] == [201] * 50
    codes = {a.json()["data"]["customer_code"] for a in answers}
    assert codes == {f"CUST-{n:06d}" for n in range(1, 51)}
