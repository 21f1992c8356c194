"""No event lost, none applied twice, when the relay or the broker dies mid-stream."""

from __future__ import annotations

import asyncio
import random
import re

import pytest

from isp_common import metrics
from isp_common.messaging.relay import OutboxRelay

pytestmark = pytest.mark.integration


class RelayKilled(Exception):
    """The relay process dies."""


class RelayKilledBeforeDelete(OutboxRelay):
    """Dies in the worst place: every publish confirmed by the broker, no row deleted yet."""

    async def _settle(self, conn, rows, outcomes):  # type: ignore[no-untyped-def]
        assert all(outcome is None for outcome in outcomes)
        raise RelayKilled


def handled(kit, outcome: str) -> float:
    return kit.sample(metrics.CONSUMER_HANDLED, queue=kit.queue, outcome=outcome)


async def test_a_relay_killed_between_confirm_and_delete_loses_nothing_and_applies_once(kit):
    events = await kit.commit(20)

    with pytest.raises(RelayKilled):
        await kit.relay(RelayKilledBeforeDelete).publish_pending()

    # The broker has every event, and so, still, has the outbox.
    assert await kit.depth(kit.queue) == 20
    assert len(await kit.outbox()) == 20

    async with kit.consumer():
        assert await kit.relay().publish_pending() == 20  # the restarted relay sends them again

        async def all_forty_handled() -> bool:
            return handled(kit, "applied") + handled(kit, "duplicate") == 40

        await kit.wait_until(all_forty_handled)

    assert await kit.effects() == {e.id: 1 for e in events}
    assert handled(kit, "duplicate") == 20
    assert await kit.outbox() == []


async def test_a_relay_killed_at_arbitrary_points_loses_nothing_and_applies_once(kit):
    kit.settings.relay_batch_size = 25
    events = await kit.commit(300)
    rng = random.Random(27)

    async with kit.consumer():
        for _ in range(6):
            running = asyncio.create_task(kit.relay().run())
            await asyncio.sleep(rng.uniform(0.0, 0.03))
            running.cancel()  # wherever it is: claiming, publishing, awaiting confirms, deleting
            await asyncio.gather(running, return_exceptions=True)
        running = asyncio.create_task(kit.relay().run())
        try:

            async def all_applied() -> bool:
                return len(await kit.effects()) == 300

            await kit.wait_until(all_applied, within=20)
            await asyncio.sleep(0.2)  # let any late duplicate arrive
        finally:
            running.cancel()
            await asyncio.gather(running, return_exceptions=True)

    assert await kit.effects() == {e.id: 1 for e in events}
    assert await kit.outbox() == []


async def test_closing_every_broker_connection_mid_stream_loses_and_doubles_nothing(kit):
    kit.settings.relay_batch_size = 20
    kit.settings.relay_poll_seconds = 0.05

    async def slowish(event, uow) -> None:
        await asyncio.sleep(0.01)  # so that deliveries are in hand when the cut comes
        await kit.record_effect(event, uow)

    committed = []
    running = asyncio.create_task(kit.relay().run())
    try:
        async with kit.consumer({kit.EVENT_TYPE: slowish}):
            committed += await kit.commit(10)

            async def some_applied() -> bool:
                return len(await kit.effects()) > 0

            await kit.wait_until(some_applied)
            # In a thread, taking its ~0.4 s while events keep being committed, relayed and
            # consumed: the cut lands mid-stream.
            cutting = asyncio.create_task(asyncio.to_thread(kit.close_all_connections))
            for _ in range(29):
                committed += await kit.commit(10)
                await asyncio.sleep(0.03)
            report = await cutting

            async def all_applied() -> bool:
                return len(await kit.effects()) == len(committed)

            await kit.wait_until(all_applied, within=30)
            await asyncio.sleep(0.2)  # let any late duplicate arrive
    finally:
        running.cancel()
        await asyncio.gather(running, return_exceptions=True)

    closed = re.search(r"Closed (\d+) connections", report)
    assert closed and int(closed.group(1)) >= 2  # at least the relay's and the consumer's
    assert len(committed) == 300
    assert await kit.effects() == {e.id: 1 for e in committed}
    assert await kit.outbox() == []
