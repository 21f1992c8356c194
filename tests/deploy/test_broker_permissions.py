"""The broker permissions compose and Kubernetes give each service (isp_cli.broker), on the real
RabbitMQ: a user made with exactly those permissions (rabbitmqctl) may publish its own events
and declare its own queues, and is refused another service's routing keys and queues.

The user's names (exchange, queue prefix) are unique to the run, so the test never touches the
platform's own; the user is deleted afterwards.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import shutil
import subprocess
import uuid
from collections.abc import Iterator
from typing import Any, cast

import aio_pika
import aiormq
import pytest
from sqlalchemy.engine import make_url

from isp_common.contracts import all_contracts
from isp_common.messaging import topology
from isp_common.messaging.relay import OutboxRelay
from isp_common.settings import SERVICE_PORTS, Settings
from isp_common.testing import settings_for_test
from isp_common.testing.broker import forget_broker_names

from isp_cli import broker

pytestmark = pytest.mark.integration

OWNER_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/isp_unused"


def rabbitmqctl(*args: str) -> subprocess.CompletedProcess[str]:
    found = shutil.which("rabbitmqctl")
    if found is None:
        pytest.skip("rabbitmqctl is not installed")
    done = subprocess.run([found, *args], capture_output=True, text=True, check=False, timeout=60)
    if done.returncode != 0 and "add_user" in args[:1]:
        pytest.skip(f"rabbitmqctl cannot manage the local broker: {done.stderr.strip()[:200]}")
    return done


@pytest.fixture
def service_user() -> Iterator[tuple[Settings, Settings]]:
    """(the customers service's settings as its own broker user, the admin's settings)."""
    admin = settings_for_test("customers", OWNER_URL)
    grant = broker.grant("customers", admin)
    user = f"{grant.user}-test-{uuid.uuid4().hex[:8]}"
    grant = broker.Grant(**{**grant.__dict__, "user": user})
    password = uuid.uuid4().hex
    try:
        for command in broker.rabbitmqctl_commands(grant, password):
            done = rabbitmqctl(*command)
            assert done.returncode == 0, done.stderr
        url = make_url(admin.amqp_url.replace("amqp://", "postgresql://", 1))
        host = f"{url.host}:{url.port or 5672}"
        own = admin.model_copy(update={"amqp_url": f"amqp://{user}:{password}@{host}/"})
        yield own, admin
    finally:
        rabbitmqctl("delete_user", user)
        asyncio.run(forget_broker_names(admin))


async def _publish(settings: Settings, routing_key: str) -> None:
    connection = await aio_pika.connect(settings.amqp_url)
    async with connection:
        channel = await connection.channel(publisher_confirms=True)
        exchange = await topology.declare_exchange(channel, settings)
        await exchange.publish(aio_pika.Message(b"{}"), routing_key=routing_key, timeout=10)


async def _declare(settings: Settings, service: str, purpose: str) -> None:
    connection = await aio_pika.connect(settings.amqp_url)
    async with connection:
        channel = await connection.channel()
        await topology.declare_queue(channel, settings, topology.queue_spec(service, purpose))


async def _dead_letter(settings: Settings) -> int:
    """What the consumer does with a failed message: its service's dead-letter exchange, to its
    `.dead`."""
    spec = topology.queue_spec("customers", "replicas")
    connection = await aio_pika.connect(settings.amqp_url)
    async with connection:
        channel = await connection.channel(publisher_confirms=True, on_return_raises=True)
        await topology.declare_queue(channel, settings, spec)
        dead = topology.dead_letter_name(settings, spec)
        exchange = await channel.get_exchange(
            topology.dead_letter_exchange_name(settings, spec), ensure=False
        )
        await exchange.publish(
            aio_pika.Message(b"{}"), routing_key=dead, mandatory=True, timeout=10
        )
        queue = await channel.declare_queue(dead, passive=True)
        return int(queue.declaration_result.message_count or 0)


async def _put_into_queue_by_name(own: Settings, admin: Settings, service: str) -> int:
    """The customers user publishes on the default exchange with another service's queue name
    as the routing key; returns how many messages that queue then holds."""
    spec = topology.queue_spec(service, "replicas")
    connection = await aio_pika.connect(admin.amqp_url)
    async with connection:
        channel = await connection.channel()
        await topology.declare_queue(channel, admin, spec)
        target = topology.queue_name(admin, spec)
        with contextlib.suppress(aiormq.exceptions.ChannelAccessRefused):
            forger = await aio_pika.connect(own.amqp_url)
            async with forger:
                forged = await forger.channel(publisher_confirms=True)
                await forged.default_exchange.publish(
                    aio_pika.Message(b"{}"), routing_key=target, mandatory=True, timeout=10
                )
        queue = await channel.declare_queue(target, passive=True)
        return int(queue.declaration_result.message_count or 0)


def test_the_customers_user_cannot_put_a_message_into_another_services_queue(
    service_user: tuple[Settings, Settings],
) -> None:
    own, admin = service_user
    assert asyncio.run(_put_into_queue_by_name(own, admin, "billing")) == 0


def test_the_customers_user_cannot_dead_letter_into_another_services_queue(
    service_user: tuple[Settings, Settings],
) -> None:
    own, admin = service_user
    assert asyncio.run(_put_into_dead_letters_of(own, admin, "billing")) == 0


async def _put_into_dead_letters_of(own: Settings, admin: Settings, service: str) -> int:
    """The customers user publishes on another service's dead-letter exchange; returns how many
    messages that service's dead-letter queue then holds."""
    spec = topology.queue_spec(service, "replicas")
    connection = await aio_pika.connect(admin.amqp_url)
    async with connection:
        channel = await connection.channel()
        await topology.declare_queue(channel, admin, spec)
        target = topology.dead_letter_name(admin, spec)
        with contextlib.suppress(aiormq.exceptions.ChannelAccessRefused):
            forger = await aio_pika.connect(own.amqp_url)
            async with forger:
                forged = await forger.channel(publisher_confirms=True)
                exchange = await forged.get_exchange(
                    topology.dead_letter_exchange_name(admin, spec), ensure=False
                )
                await exchange.publish(
                    aio_pika.Message(b"{}"), routing_key=target, mandatory=True, timeout=10
                )
        queue = await channel.declare_queue(target, passive=True)
        return int(queue.declaration_result.message_count or 0)


def test_the_customers_user_publishes_only_customers_events(
    service_user: tuple[Settings, Settings],
) -> None:
    own, _ = service_user
    asyncio.run(_publish(own, "customers.x.y"))  # accepted: confirmed by the broker
    with pytest.raises(aiormq.exceptions.ChannelAccessRefused):
        asyncio.run(_publish(own, "billing.x.y"))
    with pytest.raises(aiormq.exceptions.ChannelAccessRefused):
        asyncio.run(_publish(own, "customersx.y.z"))  # a prefix, not a look-alike


def test_the_customers_user_declares_only_its_own_queues(
    service_user: tuple[Settings, Settings],
) -> None:
    own, _ = service_user
    asyncio.run(_declare(own, "customers", "replicas"))  # with every binding of the topology
    with pytest.raises(aiormq.exceptions.ChannelAccessRefused):
        asyncio.run(_declare(own, "billing", "replicas"))
    assert asyncio.run(_dead_letter(own)) == 1


def test_the_relay_of_a_limited_user_declares_its_own_queues_and_publishes(
    service_user: tuple[Settings, Settings],
) -> None:
    own, _ = service_user

    async def connect() -> None:
        relay = OutboxRelay(own, cast(Any, None))  # the broker side only: no database used
        try:
            exchange = await relay._ensure_broker()
            await exchange.publish(
                aio_pika.Message(b"{}"), routing_key="customers.a.b", mandatory=False
            )
        finally:
            await relay.close()

    asyncio.run(connect())


def test_every_event_type_has_a_publishing_service() -> None:
    assert not broker.unowned_event_types()
    prefixes = {c.type.split(".", 1)[0] for c in all_contracts()}
    assert "mikrotik" in prefixes
    assert broker.grant("mikrotik-agent").topic_write == r"^mikrotik\."


def test_each_grant_names_only_its_own_queues() -> None:
    settings = Settings()
    for service in SERVICE_PORTS:
        grant = broker.grant(service, settings)
        for spec in topology.PLATFORM_QUEUES:
            for name in (spec.base_name, f"{spec.base_name}.dead"):
                allowed = re.fullmatch(grant.configure, name) is not None
                assert allowed == (spec.service == service), (service, name)
                assert (re.fullmatch(grant.read, name) is not None) == allowed, (service, name)
        for spec in topology.PLATFORM_QUEUES:
            dead_exchange = topology.dead_letter_exchange_name(settings, spec)
            for permission in (grant.configure, grant.write, grant.read):
                allowed = re.fullmatch(permission, dead_exchange) is not None
                assert allowed == (spec.service == service), (service, dead_exchange)
        assert re.fullmatch(grant.configure, settings.events_exchange)
        assert not re.fullmatch(grant.write, "amq.default"), service
        assert not re.match(grant.topic_write, "audit.entry.logged") or service == "audit"
