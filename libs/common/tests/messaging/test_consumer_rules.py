"""What the consumer refuses outright, and what it retries and then dead-letters, on the real
broker and Postgres: an event of another producer's type and an event older than the retention
go straight to the dead-letter queue without a handler seeing them; a handler's programming
error (a misused connection, a bad statement) ends there after the bounded attempts instead of
being held as if the database were down."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import aio_pika
import pytest
from sqlalchemy import text

from isp_common.db import UnitOfWork
from isp_common.messaging.envelope import Event, new_event

pytestmark = pytest.mark.integration


def ticket_event(kit: Any, *, producer: str = "tickets") -> Event:
    aggregate = uuid.uuid4()
    return new_event(
        kit.EVENT_TYPE,
        tenant_id=kit.tenant,
        producer=producer,
        aggregate_id=aggregate,
        aggregate_version=1,
        data=kit.ticket(aggregate, 1),
    )


async def publish(kit: Any, event: Event) -> None:
    exchange = await (await kit.channel()).get_exchange(kit.settings.events_exchange)
    await exchange.publish(
        aio_pika.Message(event.model_dump_json().encode(), message_id=str(event.id)),
        routing_key=event.type,
    )


async def dead_letter(kit: Any) -> Any:
    async def arrived() -> bool:
        return await kit.depth(kit.dead_letter_queue) >= 1

    await kit.wait_until(arrived, within=15)
    return await kit.get(kit.dead_letter_queue)


async def in_inbox(kit: Any, event: Event) -> bool:
    async with UnitOfWork(kit.db, kit.tenant) as uow:
        found = await uow.connection.scalar(
            text(f"select count(*) from {kit.db.schema}.inbox where event_id = :id"),
            {"id": event.id},
        )
    return bool(found)


async def test_an_event_typed_as_another_producers_goes_straight_to_the_dead_letter_queue(kit):
    calls: list[Event] = []

    async def handler(event: Event, uow: UnitOfWork) -> None:
        calls.append(event)

    consumer = kit.consumer({kit.EVENT_TYPE: handler})
    await consumer.start()
    forged = ticket_event(kit, producer="billing")  # billing may emit billing.* only
    await publish(kit, forged)

    message = await dead_letter(kit)
    assert message.message_id == str(forged.id)
    assert "producer 'billing' may not emit tickets.ticket.updated" in message.headers["x-error"]
    assert message.headers["x-attempts"] == 1  # not retried: retrying cannot change the answer
    assert calls == []
    assert not await in_inbox(kit, forged)
    assert consumer.outcomes["refused"] == 1

    # The genuine producer's event still goes through.
    genuine = ticket_event(kit)
    await publish(kit, genuine)
    await kit.wait_until(lambda: _applied(kit, genuine))
    assert [event.id for event in calls] == [genuine.id]


async def test_an_event_older_than_the_retention_is_refused(kit):
    kit.settings.inbox_retention_days = 3
    calls: list[Event] = []

    async def handler(event: Event, uow: UnitOfWork) -> None:
        calls.append(event)

    consumer = kit.consumer({kit.EVENT_TYPE: handler})
    await consumer.start()
    old = ticket_event(kit).model_copy(
        update={"occurred_at": datetime.now(UTC) - timedelta(days=3, minutes=1)}
    )
    await publish(kit, old)

    message = await dead_letter(kit)
    assert message.message_id == str(old.id)
    assert "longer ago than the 3-day retention" in message.headers["x-error"]
    assert calls == []
    assert not await in_inbox(kit, old)


async def _applied(kit: Any, event: Event) -> bool:
    return await in_inbox(kit, event)


# -- programming errors --------------------------------------------------------------------------


async def concurrent_operations_on_the_driver(event: Event, uow: UnitOfWork) -> None:
    """asyncpg's InterfaceError: two statements at once on one connection."""
    driver = (await uow.connection.get_raw_connection()).driver_connection
    assert driver is not None
    results = await asyncio.gather(
        driver.execute("select pg_sleep(0.02)"), driver.execute("select 1"), return_exceptions=True
    )
    for result in results:
        if isinstance(result, BaseException):
            raise result


async def concurrent_operations_through_sqlalchemy(event: Event, uow: UnitOfWork) -> None:
    """The same misuse, raised as SQLAlchemy's InterfaceError."""
    driver = (await uow.connection.get_raw_connection()).driver_connection
    assert driver is not None
    results = await asyncio.gather(
        driver.execute("select pg_sleep(0.02)"),
        uow.connection.execute(text("select 1")),
        return_exceptions=True,
    )
    for result in results:
        if isinstance(result, BaseException):
            raise result


async def statement_missing_its_parameter(event: Event, uow: UnitOfWork) -> None:
    """A bad statement: the driver's InterfaceError "the server expects 1 argument"."""
    await uow.connection.exec_driver_sql("select $1::int")


async def statement_with_a_syntax_error(event: Event, uow: UnitOfWork) -> None:
    await uow.connection.execute(text("selec 1"))


@pytest.mark.parametrize(
    ("handler", "error"),
    [
        (concurrent_operations_on_the_driver, "InterfaceError: cannot perform operation"),
        (concurrent_operations_through_sqlalchemy, "another operation is in progress"),
        (statement_missing_its_parameter, "the server expects 1 argument"),
        (statement_with_a_syntax_error, "ProgrammingError"),
    ],
    ids=["driver-misuse", "sqlalchemy-misuse", "missing-parameter", "syntax-error"],
)
async def test_a_programming_error_is_dead_lettered_after_the_bounded_attempts(kit, handler, error):
    kit.settings.max_delivery_attempts = 2
    attempts = 0

    async def counting(event: Event, uow: UnitOfWork) -> None:
        nonlocal attempts
        attempts += 1
        await handler(event, uow)

    consumer = kit.consumer({kit.EVENT_TYPE: counting})
    await consumer.start()
    event = ticket_event(kit)
    await publish(kit, event)

    message = await dead_letter(kit)
    assert message.message_id == str(event.id)
    assert error in message.headers["x-error"]
    assert message.headers["x-attempts"] == 2
    assert attempts == 2
    assert await kit.depth(kit.queue) == 0
