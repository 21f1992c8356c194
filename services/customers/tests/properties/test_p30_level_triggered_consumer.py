"""Customers follows billing's accounts level-triggered: any order of one account's events, with
duplicates, through the real handling path (inbox, version tracking, handlers) suspends and
restores the subscriber as in-order delivery does."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from isp_common.contracts.billing import AccountSnapshot
from isp_common.messaging.consumer import Consumer
from isp_common.testing.reordering import deliver_all, history_events, redeliveries

from isp_customers.bootstrap import Runtime
from isp_customers.consumers.replicas import replicas_consumer

if TYPE_CHECKING:
    from conftest import Tenant

Body = Callable[..., dict[str, Any]]
SEEN = ("status", "suspension_reason", "outstanding_balance", "due_date", "is_overdue")


@pytest.fixture(scope="module")
def consumer(runtime: Runtime) -> Consumer:
    return replicas_consumer(runtime)


def _account_history(customer: uuid.UUID, overdue: list[bool]) -> list[tuple[str, Any]]:
    """Billing's events for the account: `overdue`/`settled` when the verdict flips."""
    history, was = [], False
    for version, now in enumerate(overdue, start=1):
        verb = "overdue" if now and not was else "settled" if was and not now else "updated"
        snapshot = AccountSnapshot(
            customer_id=customer,
            outstanding_balance=Decimal(150_000 * version if now else 0),
            credit=Decimal(0),
            due_date=date(2026, 1, version),
            is_overdue=now,
            version=version,
        )
        history.append((f"billing.account.{verb}", snapshot))
        was = now
    return history


async def _delivered(
    tenant: Tenant,
    consumer: Consumer,
    customer_body: Body,
    manual: bool,
    overdue: list[bool],
    order: Sequence[int],
) -> dict[str, Any]:
    plan = await tenant.seed_plan()
    client = tenant.client("admin")
    created = (await client.post("/customers", json=customer_body(plan.id))).json()["data"]
    url = f"/customers/{created['id']}"
    assert (await client.post(f"{url}/activate")).status_code == 200
    if manual:
        answer = await client.post(f"{url}/suspend", json={"reason": "maintenance"})
        assert answer.status_code == 200, answer.text
    customer = uuid.UUID(created["id"])
    events = history_events(tenant.id, "billing", customer, _account_history(customer, overdue))
    await deliver_all(consumer, events, order)
    after = (await client.get(url)).json()["data"]
    return {key: after.get(key) for key in SEEN}


# Feature: isp-management-system, Property 30: Level-triggered consumers (docs/properties.md)
@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    manual=st.booleans(),
    overdue=st.lists(st.booleans(), min_size=1, max_size=6),
    data=st.data(),
)
async def test_any_order_of_an_accounts_events_suspends_and_restores_as_in_order(
    new_tenant: Callable[[], Tenant],
    consumer: Consumer,
    customer_body: Body,
    manual: bool,
    overdue: list[bool],
    data: st.DataObject,
) -> None:
    order = data.draw(redeliveries(len(overdue)), label="order")
    in_order, shuffled = new_tenant(), new_tenant()
    expected = await _delivered(
        in_order, consumer, customer_body, manual, overdue, range(len(overdue))
    )
    actual = await _delivered(shuffled, consumer, customer_body, manual, overdue, order)
    assert actual == expected
    # In order, the last verdict decides: an active subscriber is suspended while overdue.
    if not manual:
        suspended = ("suspended", "overdue") if overdue[-1] else ("active", None)
        assert (actual["status"], actual["suspension_reason"]) == suspended
