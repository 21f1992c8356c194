"""Billing's consumer is level-triggered: any order of one aggregate's events, with duplicates,
through the real handling path (inbox, version tracking, handlers) ends as in order."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from isp_common.messaging.consumer import Consumer
from isp_common.testing.reordering import (
    boost_history,
    customer_history,
    customer_lives,
    deliver_all,
    history_events,
    redeliveries,
)

from isp_billing.bootstrap import Runtime
from isp_billing.consumers.replicas import replicas_consumer

if TYPE_CHECKING:
    from conftest import Tenant

ACCOUNT = """SELECT status, service_plan_id = :plan AS on_first_plan, customer_version,
    is_deleted, anchor_date, cycle_months, periods_billed, next_period_start,
    outstanding_balance, credit, is_overdue FROM billing.accounts
    WHERE tenant_id = :tenant AND customer_id = :customer"""
INVOICES = """SELECT kind, status, period_start, period_end, issue_date, due_date, total,
    amount_paid, void_reason FROM billing.invoices
    WHERE tenant_id = :tenant AND customer_id = :customer ORDER BY period_start, kind, total"""


@pytest.fixture(scope="module")
def consumer(runtime: Runtime) -> Consumer:
    return replicas_consumer(runtime)


async def _state(engine: AsyncEngine, tenant: Tenant, customer: uuid.UUID, plan: str) -> Any:
    async with engine.connect() as connection:
        keys = {"tenant": tenant.id, "customer": customer, "plan": uuid.UUID(plan)}
        account = (await connection.execute(text(ACCOUNT), keys)).mappings().first()
        invoices = (await connection.execute(text(INVOICES), keys)).mappings().all()
    return (dict(account) if account else None, [dict(i) for i in invoices])


async def _customer_delivered(
    tenant: Tenant, consumer: Consumer, verbs: list[str], days_ago: int, order: Sequence[int]
) -> tuple[uuid.UUID, str]:
    plan = await tenant.plan("150000.00")
    customer = uuid.uuid4()
    activated_on = datetime.now(UTC).date() - timedelta(days=days_ago)
    history = customer_history(
        customer, verbs, plans=[uuid.UUID(plan["id"])], activated_on=activated_on
    )
    events = history_events(tenant.id, "customers", customer, history)
    await deliver_all(consumer, events, order)
    return customer, plan["id"]


# Feature: isp-management-system, Property 30: Level-triggered consumers (docs/properties.md)
@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(verbs=customer_lives(plan_changes=False), days_ago=st.integers(0, 40), data=st.data())
async def test_any_order_of_a_customers_events_bills_as_in_order(
    new_tenant: Callable[[], Tenant],
    consumer: Consumer,
    owner_engine: AsyncEngine,
    verbs: list[str],
    days_ago: int,
    data: st.DataObject,
) -> None:
    order = data.draw(redeliveries(len(verbs)), label="order")
    in_order, shuffled = new_tenant(), new_tenant()
    expected = await _customer_delivered(in_order, consumer, verbs, days_ago, range(len(verbs)))
    actual = await _customer_delivered(shuffled, consumer, verbs, days_ago, order)
    assert await _state(owner_engine, shuffled, *actual) == await _state(
        owner_engine, in_order, *expected
    )


BOOST_LIVES = st.sampled_from(
    [
        ["pending"],
        ["pending", "rejected"],
        ["pending", "approved"],
        ["pending", "approved", "activated"],
        ["pending", "approved", "activated", "expired"],
        ["pending", "approved", "activated", "ended"],
    ]
)


async def _boost_delivered(
    tenant: Tenant, consumer: Consumer, statuses: list[str], order: Sequence[int]
) -> tuple[uuid.UUID, str]:
    plan = await tenant.plan("150000.00")
    customer = await tenant.active_customer(plan["id"], datetime.now(UTC).date())
    boost = uuid.uuid4()
    started = datetime.now(UTC) - timedelta(hours=1)
    history = boost_history(customer, boost, statuses, started=started)
    events = history_events(tenant.id, "boost", boost, history)
    await deliver_all(consumer, events, order)
    return customer, plan["id"]


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(statuses=BOOST_LIVES, data=st.data())
async def test_any_order_of_a_boosts_events_charges_it_once_as_in_order(
    new_tenant: Callable[[], Tenant],
    consumer: Consumer,
    owner_engine: AsyncEngine,
    statuses: list[str],
    data: st.DataObject,
) -> None:
    order = data.draw(redeliveries(len(statuses)), label="order")
    in_order, shuffled = new_tenant(), new_tenant()
    expected = await _boost_delivered(in_order, consumer, statuses, range(len(statuses)))
    actual = await _boost_delivered(shuffled, consumer, statuses, order)
    assert await _state(owner_engine, shuffled, *actual) == await _state(
        owner_engine, in_order, *expected
    )
