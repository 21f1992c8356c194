"""A database outage holds events in the consumer; it does not use up their delivery attempts."""

from __future__ import annotations

import asyncio

import asyncpg
import pytest
from sqlalchemy.engine import make_url

from isp_common.db import Database, UnitOfWork
from isp_common.messaging.consumer import Consumer
from isp_common.messaging.outage import is_database_outage

pytestmark = pytest.mark.integration


async def test_events_wait_out_a_database_outage_and_are_applied_once(kit) -> None:
    url = make_url(kit.settings.service_dsn)
    proxy = kit.CuttableProxy(url.host or "127.0.0.1", url.port or 5432)
    port = await proxy.start()
    through_proxy = Database(
        url.set(port=port).render_as_string(hide_password=False), kit.db.schema, producer="t"
    )
    kit.settings.max_delivery_attempts = 2
    consumer = Consumer(
        kit.settings,
        through_proxy,
        spec=kit.SPEC,
        handlers={kit.EVENT_TYPE: kit.record_effect},
        uow_factory=lambda tenant_id: UnitOfWork(through_proxy, tenant_id),
        retry_delay_seconds=0.01,
    )
    try:
        await consumer.start()
        proxy.refusing = True
        proxy.cut()
        events = await kit.commit(3)
        assert await kit.relay().publish_pending() == 3
        # Far longer than two attempts at 10 ms would take to reach the dead-letter queue.
        await asyncio.sleep(2.0)
        assert await kit.depth(kit.dead_letter_queue) == 0
        assert sum((await kit.effects()).values()) == 0
        proxy.refusing = False
        await kit.wait_until(lambda: _applied(kit, 3), within=15)
        assert await kit.effects() == {event.id: 1 for event in events}
        assert await kit.depth(kit.dead_letter_queue) == 0
    finally:
        await consumer.stop()
        await through_proxy.dispose()
        await proxy.stop()


async def _applied(kit, count: int) -> bool:
    return sum((await kit.effects()).values()) >= count


def test_only_the_database_layer_can_declare_an_outage() -> None:
    assert is_database_outage(asyncpg.exceptions.ConnectionDoesNotExistError())
    # A handler's own network error (another service, say) is the event's failure.
    assert not is_database_outage(ConnectionRefusedError())
    assert not is_database_outage(ValueError("bad event"))
