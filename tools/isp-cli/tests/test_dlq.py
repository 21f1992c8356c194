"""`isp dlq list` and `isp dlq replay` against the real broker, on queues of their own."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator

import aio_pika
import pytest
from typer.testing import CliRunner

from isp_common.messaging import topology
from isp_common.messaging.topology import queue_spec
from isp_common.settings import Settings

from isp_cli.main import app

pytestmark = pytest.mark.integration


@pytest.fixture()
async def broker_names() -> AsyncIterator[dict[str, str]]:
    run = uuid.uuid4().hex[:8]
    env = {"ISP_EVENTS_EXCHANGE": f"isp.events.dlq.{run}", "ISP_QUEUE_PREFIX": f"dlq.{run}."}
    yield env
    settings = Settings(
        events_exchange=env["ISP_EVENTS_EXCHANGE"], queue_prefix=env["ISP_QUEUE_PREFIX"]
    )
    connection = await aio_pika.connect(settings.amqp_url)
    async with connection:
        channel = await connection.channel()
        for spec in topology.PLATFORM_QUEUES:
            await channel.queue_delete(topology.queue_name(settings, spec))
            await channel.queue_delete(topology.dead_letter_name(settings, spec))
        for exchange in topology.dead_letter_exchange_names(settings):
            await channel.exchange_delete(exchange)
        await channel.exchange_delete(settings.events_exchange)


async def test_list_then_replay_moves_the_waiting_event_back(broker_names: dict[str, str]) -> None:
    settings = Settings(
        events_exchange=broker_names["ISP_EVENTS_EXCHANGE"],
        queue_prefix=broker_names["ISP_QUEUE_PREFIX"],
    )
    spec = queue_spec("billing", "replicas")
    connection = await aio_pika.connect(settings.amqp_url)
    async with connection:
        channel = await connection.channel()
        await topology.declare_platform(channel, settings)
        await channel.default_exchange.publish(
            aio_pika.Message(
                b"{}",
                headers={"x-error": "boom", "x-original-routing-key": "customers.customer.created"},
            ),
            routing_key=topology.dead_letter_name(settings, spec),
        )
    runner = CliRunner()

    listed = await asyncio.to_thread(runner.invoke, app, ["dlq", "list"], env=broker_names)
    assert listed.exit_code == 0, listed.output
    assert "billing.replicas.dead" in listed.output
    line = next(row for row in listed.output.splitlines() if "billing.replicas.dead" in row)
    assert line.split()[-1] == "1"

    replayed = await asyncio.to_thread(
        runner.invoke, app, ["dlq", "replay", "billing.replicas"], env=broker_names
    )
    assert replayed.exit_code == 0, replayed.output
    assert "replayed 1 event(s) from billing.replicas.dead" in replayed.output
    after = await asyncio.to_thread(runner.invoke, app, ["dlq", "list"], env=broker_names)
    line = next(row for row in after.output.splitlines() if "billing.replicas.dead" in row)
    assert line.split()[-1] == "0"
    # Back on the exchange, the event reached every queue bound to its type, billing's included.
    connection = await aio_pika.connect(settings.amqp_url)
    async with connection:
        channel = await connection.channel()
        queue = await channel.declare_queue(topology.queue_name(settings, spec), passive=True)
        assert queue.declaration_result.message_count == 1


def test_an_unknown_queue_is_named_with_the_known_ones() -> None:
    answer = CliRunner().invoke(app, ["dlq", "replay", "billing.nothing"])
    assert answer.exit_code == 2
    assert "no queue 'billing.nothing'" in answer.output
    assert "customers.replicas" in answer.output
