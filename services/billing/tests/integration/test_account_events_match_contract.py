"""The account events are written by set-based SQL (adapters/ledger_sql.REFRESH_ACCOUNTS), not by
the unit of work's raise_event: the statement spells the envelope and the snapshot out itself,
for the billing run's speed (bench/billing_run.py). So every outbox row it writes is decoded here
with the contract (isp_common.contracts) and compared with the event raise_event would have
built in the same context: a field renamed, added or spelled differently on either side fails."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import asyncpg
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from isp_common import context
from isp_common.contracts import contract_for, decode, producer_of
from isp_common.db import asyncpg_dsn, outbox_channel
from isp_common.messaging.envelope import Event, new_event

from isp_billing.adapters.tables import SCHEMA
from isp_billing.bootstrap import Runtime
from isp_billing.domain.enums import PaymentFor, PaymentMethod
from isp_billing.use_cases.overdue_check import overdue_check
from isp_billing.use_cases.record_payment import NewPayment, record_payment

if TYPE_CHECKING:
    from conftest import Tenant

ACCOUNT_EVENTS = {"billing.account.updated", "billing.account.overdue", "billing.account.settled"}
# Told apart from the reference event built below: they are made anew for every event.
PER_EVENT = {"id", "occurred_at"}
_ROWS = text(
    f"SELECT id, type, tenant_id, payload FROM {SCHEMA}.outbox "
    "WHERE tenant_id = :tenant ORDER BY seq"
)


@contextlib.contextmanager
def request_context(**values: Any) -> Iterator[context.RequestContext]:
    ctx = context.RequestContext(**values)
    token = context.current.set(ctx)
    try:
        yield ctx
    finally:
        context.current.reset(token)


@contextlib.asynccontextmanager
async def outbox_notifications(runtime: Runtime) -> AsyncIterator[asyncio.Event]:
    """Set when a committed transaction NOTIFYs the billing outbox (what wakes the relay)."""
    woken = asyncio.Event()
    conn = await asyncpg.connect(asyncpg_dsn(runtime.settings.service_dsn))
    try:
        await conn.add_listener(outbox_channel(SCHEMA), lambda *_: woken.set())
        yield woken
    finally:
        await conn.close()


async def _rows(engine: AsyncEngine, tenant_id: uuid.UUID) -> list[Any]:
    async with engine.connect() as conn:
        return list(await conn.execute(_ROWS, {"tenant": tenant_id}))


def _assert_as_raise_event_builds(row: Any, ctx: context.RequestContext) -> Event:
    payload = row.payload
    assert set(payload) == set(Event.model_fields), row.type
    event = Event.model_validate(payload)
    assert (event.id, event.type, event.tenant_id) == (row.id, row.type, row.tenant_id)
    contract = contract_for(event.type)
    snapshot = decode(event, contract.model)
    assert snapshot.model_dump(mode="json") == payload["data"], event.type
    reference = new_event(
        event.type,
        tenant_id=event.tenant_id,
        producer=producer_of(event.type),
        aggregate_id=event.aggregate_id,
        aggregate_version=event.aggregate_version,
        data=snapshot,
    )
    if ctx.correlation_id is None:  # a new chain starts at this event
        assert event.correlation_id == str(event.id)
        reference = reference.model_copy(update={"correlation_id": event.correlation_id})
    assert event.model_dump(mode="json", exclude=PER_EVENT) == reference.model_dump(
        mode="json", exclude=PER_EVENT
    )
    assert abs(event.occurred_at - datetime.now(UTC)) < timedelta(minutes=5)
    if event.type in ACCOUNT_EVENTS:
        assert str(event.aggregate_id) == payload["data"]["customer_id"]
        assert event.aggregate_version == payload["data"]["version"]
    return event


async def test_every_outbox_row_of_the_account_refresh_decodes_as_its_contract(
    tenant: Tenant, runtime: Runtime, owner_engine: AsyncEngine
) -> None:
    plan = await tenant.plan("150000.00")
    today = datetime.now(UTC).date()
    seen: list[Any] = []
    written: list[Any] = []

    async def check_new_rows(ctx: context.RequestContext) -> list[str]:
        rows = (await _rows(owner_engine, tenant.id))[len(seen) :]
        seen.extend(rows)
        events = [_assert_as_raise_event_builds(row, ctx) for row in rows]
        written.extend(e for e in events if e.type in ACCOUNT_EVENTS)
        return [e.type for e in events]

    seen.extend(await _rows(owner_engine, tenant.id))  # the plan's events, from raise_event

    # As a consumer sees the activation with no request behind it: the opening invoice, for one
    # customer (an id list).
    customer = await tenant.active_customer(plan["id"], today - timedelta(days=40))
    assert "billing.account.updated" in await check_new_rows(context.get())

    # As staff asks for the check: every account of the tenant at once (no id list), and the
    # statement's own NOTIFY wakes the relay at commit.
    actor = context.Actor(sub="finance-1", roles=("finance",), ip="203.0.113.7")
    with request_context(
        correlation_id="corr-check", causation_id="cause-check", actor=actor
    ) as ctx:
        async with outbox_notifications(runtime) as woken:
            result = await runtime.run(tenant.id, overdue_check, today)
            await asyncio.wait_for(woken.wait(), timeout=10)
        assert result.became_overdue == 1
        assert await check_new_rows(ctx) == ["billing.account.overdue"]

    outstanding = Decimal((await tenant.account(customer))["outstanding_balance"])
    payment = NewPayment(customer, outstanding, PaymentMethod.CASH, PaymentFor.MONTHLY_SUBSCRIPTION)
    with request_context(correlation_id="corr-pay", causation_id=None, actor=actor) as ctx:
        await runtime.run(tenant.id, record_payment, payment)
        assert await check_new_rows(ctx) == ["billing.account.settled"]

    assert {e.type for e in written} == ACCOUNT_EVENTS
    assert [e.aggregate_version for e in written] == list(range(1, len(written) + 1))
