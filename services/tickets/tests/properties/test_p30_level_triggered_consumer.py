"""Tickets' consumer is level-triggered: any order of one customer's events, with duplicates,
through the real handling path (inbox, version tracking, handlers) leaves the replica and the
customer's tickets as in-order delivery does (a deleted customer's tickets are closed)."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from isp_common.messaging.consumer import Consumer
from isp_common.testing.reordering import (
    customer_history,
    customer_lives,
    deliver_all,
    history_events,
    redeliveries,
)

from isp_tickets.bootstrap import Runtime
from isp_tickets.consumers.customers import customers_consumer

if TYPE_CHECKING:
    from conftest import Tenant

Body = Callable[..., dict[str, Any]]


@pytest.fixture(scope="module")
def consumer(runtime: Runtime) -> Consumer:
    return customers_consumer(runtime)


async def _delivered(
    tenant: Tenant, consumer: Consumer, ticket_body: Body, verbs: list[str], order: Sequence[int]
) -> list[Any]:
    customer = uuid.uuid4()
    history = customer_history(
        customer, verbs, plans=[uuid.uuid4()], activated_on=datetime.now(UTC).date()
    )
    events = history_events(tenant.id, "customers", customer, history)
    # Created first, so tickets can be opened for the customer; it comes again later in the
    # drawn order (a duplicate the inbox absorbs).
    await deliver_all(consumer, events, [0])
    client = tenant.client("admin")
    tickets = []
    for actions in ((), ("start",)):
        answer = await client.post("/tickets", json=ticket_body(customer_id=str(customer)))
        assert answer.status_code == 201, answer.text
        tickets.append(answer.json()["data"]["id"])
        for action in actions:
            assert (await client.post(f"/tickets/{tickets[-1]}/{action}")).status_code == 200
    await deliver_all(consumer, events, order)
    seen = []
    for ticket_id in tickets:
        ticket = (await client.get(f"/tickets/{ticket_id}")).json()["data"]
        seen.append(
            (ticket["status"], [(a["from_status"], a["to_status"]) for a in ticket["activities"]])
        )
    listed = await client.get("/tickets", params={"customer_id": str(customer)})
    seen.append(listed.status_code)
    return seen


# Feature: isp-management-system, Property 30: Level-triggered consumers (docs/properties.md)
@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(verbs=customer_lives(), data=st.data())
async def test_any_order_of_a_customers_events_closes_their_tickets_as_in_order(
    new_tenant: Callable[[], Tenant],
    consumer: Consumer,
    ticket_body: Body,
    verbs: list[str],
    data: st.DataObject,
) -> None:
    order = data.draw(redeliveries(len(verbs)), label="order")
    in_order, shuffled = new_tenant(), new_tenant()
    expected = await _delivered(in_order, consumer, ticket_body, verbs, range(len(verbs)))
    actual = await _delivered(shuffled, consumer, ticket_body, verbs, order)
    assert actual == expected
    if verbs[-1] == "deleted":
        assert [status for status, _ in actual[:2]] == ["closed", "closed"]
