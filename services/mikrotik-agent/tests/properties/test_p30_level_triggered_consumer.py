"""The agent's desired state is level-triggered: any order of one aggregate's events (a
customer's, a boost's), with duplicates, through the real handling path (inbox, version
tracking, handlers) leaves the subscriber's desired state as in-order delivery does."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from isp_common.messaging.consumer import Consumer
from isp_common.testing.reordering import (
    boost_history,
    customer_history,
    customer_lives,
    deliver_all,
    history_events,
    redeliveries,
)

from isp_mikrotik_agent.adapters.tables import subscribers
from isp_mikrotik_agent.adapters.unit_of_work import AgentUnitOfWork
from isp_mikrotik_agent.bootstrap import Runtime
from isp_mikrotik_agent.consumers.desired import desired_consumer

if TYPE_CHECKING:
    from conftest import Tenant

# What the reconciler works from; not the revision counters (how often it was woken).
DESIRED = (
    "status",
    "is_deleted",
    "pppoe_username",
    "remote_address",
    "customer_version",
    "boost_upload",
    "boost_download",
    "boost_expires_at",
)


@pytest.fixture(scope="module")
def consumer(runtime: Runtime) -> Consumer:
    return desired_consumer(runtime)


async def _desired(uow: AgentUnitOfWork, customer: uuid.UUID, plans: list[uuid.UUID]) -> Any:
    query = select(subscribers).where(subscribers.c.customer_id == customer)
    row = (await uow.connection.execute(query)).mappings().first()
    if row is None:
        return None
    seen = {key: row[key] for key in DESIRED}
    seen["plan"] = plans.index(row["plan_id"]) if row["plan_id"] in plans else row["plan_id"]
    seen["has_boost"] = row["boost_id"] is not None
    return seen


async def _customer_delivered(
    tenant: Tenant, consumer: Consumer, verbs: list[str], order: Sequence[int]
) -> Any:
    plans = [(await tenant.add_plan()).id, (await tenant.add_plan()).id]
    customer = uuid.uuid4()
    history = customer_history(
        customer,
        verbs,
        plans=plans,
        activated_on=datetime.now(UTC).date(),
        pppoe_username="ppp-subscriber",
    )
    await deliver_all(consumer, history_events(tenant.id, "customers", customer, history), order)
    return await tenant.runtime.run(tenant.id, _desired, customer, plans)


# Feature: isp-management-system, Property 30: Level-triggered consumers (docs/properties.md)
@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(verbs=customer_lives(), data=st.data())
async def test_any_order_of_a_customers_events_gives_the_in_order_desired_state(
    new_tenant: Callable[[], Tenant], consumer: Consumer, verbs: list[str], data: st.DataObject
) -> None:
    order = data.draw(redeliveries(len(verbs)), label="order")
    in_order, shuffled = new_tenant(), new_tenant()
    expected = await _customer_delivered(in_order, consumer, verbs, range(len(verbs)))
    actual = await _customer_delivered(shuffled, consumer, verbs, order)
    assert actual == expected


BOOST_LIVES = st.sampled_from(
    [
        ["pending", "approved", "activated"],
        ["pending", "approved", "activated", "expired"],
        ["pending", "approved", "activated", "ended"],
    ]
)
STARTED = datetime(2030, 1, 1, tzinfo=UTC)  # expiring after the test, whenever it runs


async def _boost_delivered(
    tenant: Tenant, consumer: Consumer, statuses: list[str], order: Sequence[int]
) -> Any:
    plans = [(await tenant.add_plan()).id]
    customer = uuid.uuid4()
    life = customer_history(
        customer,
        ["created", "activated"],
        plans=plans,
        activated_on=datetime.now(UTC).date(),
        pppoe_username="ppp-subscriber",
    )
    await deliver_all(consumer, history_events(tenant.id, "customers", customer, life), [0, 1])
    boost = uuid.uuid4()
    history = boost_history(customer, boost, statuses, started=STARTED)
    events = history_events(tenant.id, "boost", boost, history)
    await deliver_all(consumer, events, order)
    return await tenant.runtime.run(tenant.id, _desired, customer, plans)


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(statuses=BOOST_LIVES, data=st.data())
async def test_any_order_of_a_boosts_events_gives_the_in_order_desired_state(
    new_tenant: Callable[[], Tenant], consumer: Consumer, statuses: list[str], data: st.DataObject
) -> None:
    order = data.draw(redeliveries(len(statuses)), label="order")
    in_order, shuffled = new_tenant(), new_tenant()
    expected = await _boost_delivered(in_order, consumer, statuses, range(len(statuses)))
    actual = await _boost_delivered(shuffled, consumer, statuses, order)
    assert actual == expected
    assert actual["has_boost"] is (statuses[-1] == "activated")
