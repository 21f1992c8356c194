"""Boost's consumer is level-triggered: any order of one customer's events, with duplicates,
through the real handling path (inbox, version tracking, handlers) ends the customer's boost
and open requests as in-order delivery does (same statuses, same end reasons)."""

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

from isp_boost.bootstrap import Runtime
from isp_boost.consumers.replicas import replicas_consumer

if TYPE_CHECKING:
    from conftest import Tenant

Body = Callable[..., dict[str, Any]]
SEEN = ("status", "end_reason", "rejection_reason")


@pytest.fixture(scope="module")
def consumer(runtime: Runtime) -> Consumer:
    return replicas_consumer(runtime)


async def _delivered(
    tenant: Tenant, consumer: Consumer, boost_body: Body, verbs: list[str], order: Sequence[int]
) -> list[dict[str, Any]]:
    plan = await tenant.seed_plan()
    await tenant.set_price("2000.00")
    customer = uuid.uuid4()
    history = customer_history(
        customer, verbs, plans=[plan.id], activated_on=datetime.now(UTC).date()
    )
    events = history_events(tenant.id, "customers", customer, history)
    # Created and activated first, so the customer can ask for boosts; both come again later
    # in the drawn order (as duplicates the inbox absorbs).
    await deliver_all(consumer, events, [0, 1])
    client = tenant.client("admin")
    running = (await client.post("/speed-boosts", json=boost_body(customer))).json()["data"]
    assert (await client.post(f"/speed-boosts/{running['id']}/approve")).status_code == 200
    assert (await client.post(f"/speed-boosts/{running['id']}/activate")).status_code == 200
    waiting = await client.post("/speed-boosts", json=boost_body(customer))
    assert waiting.status_code == 201, waiting.text
    await deliver_all(consumer, events, order)
    requests = []
    for request_id in (running["id"], waiting.json()["data"]["id"]):
        request = (await client.get(f"/speed-boosts/{request_id}")).json()["data"]
        requests.append({key: request.get(key) for key in SEEN})
    return requests


# Feature: isp-management-system, Property 30: Level-triggered consumers (docs/properties.md)
@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(verbs=customer_lives(start=("created", "activated")), data=st.data())
async def test_any_order_of_a_customers_events_ends_their_boosts_as_in_order(
    new_tenant: Callable[[], Tenant],
    consumer: Consumer,
    boost_body: Body,
    verbs: list[str],
    data: st.DataObject,
) -> None:
    order = data.draw(redeliveries(len(verbs)), label="order")
    in_order, shuffled = new_tenant(), new_tenant()
    expected = await _delivered(in_order, consumer, boost_body, verbs, range(len(verbs)))
    actual = await _delivered(shuffled, consumer, boost_body, verbs, order)
    assert actual == expected
