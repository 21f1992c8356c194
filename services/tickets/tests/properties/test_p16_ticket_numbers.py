from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

if TYPE_CHECKING:
    from conftest import Tenant

Body = Callable[..., dict[str, Any]]


# Feature: isp-management-system, Property 16: Ticket numbers (docs/properties.md)
@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    first=st.integers(min_value=1, max_value=8),
    second=st.integers(min_value=0, max_value=4),
    as_customer=st.booleans(),
)
async def test_ticket_numbers_are_unique_per_tenant_under_concurrency(
    new_tenant: Callable[[], Tenant],
    ticket_body: Body,
    first: int,
    second: int,
    as_customer: bool,
) -> None:
    """Two tenants open tickets all at once (each request its own transaction): each tenant's
    numbers are distinct and are exactly TKT-000001 … TKT-00000n, whoever opened them."""
    one, two = new_tenant(), new_tenant()
    clients = [one.client("support"), two.client("technician")]
    if as_customer:
        customer = await one.seed_customer()
        clients[0] = one.client("customer", customer_id=customer.id)
    requests = [clients[0].post("/tickets", json=ticket_body()) for _ in range(first)]
    requests += [clients[1].post("/tickets", json=ticket_body()) for _ in range(second)]
    answers = await asyncio.gather(*requests)
    assert [a.status_code for a in answers] == [201] * (first + second), answers[0].text
    for count, client in ((first, clients[0]), (second, clients[1])):
        listed = (await client.get("/tickets", params={"per_page": 100})).json()
        numbers = [t["ticket_number"] for t in listed["data"]]
        assert listed["meta"]["total"] == count
        assert sorted(numbers) == [f"TKT-{n:06d}" for n in range(1, count + 1)]
