"""The event path on the real Postgres and the real RabbitMQ.

The tests get a migrated database of their own (schema `libmsg`: platform tables plus
`effects`, where the test handler leaves one row per application of an event) and a RabbitMQ
virtual host of their own, so that cutting every broker connection of the vhost
(`rabbitmqctl close_all_connections -p <vhost>`) cannot disturb anybody else's tests.
Each test gets its own exchange and queue names, and a tenant of its own.
"""

from __future__ import annotations

import asyncio
import os
import random
import shutil
import subprocess
import time
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit, urlunsplit

import aio_pika
import pytest
import sqlalchemy.exc
from aio_pika.abc import AbstractChannel, AbstractConnection
from sqlalchemy import text
from sqlalchemy.engine import make_url

from isp_common.contracts.tickets import TicketSnapshot
from isp_common.db import Database, UnitOfWork
from isp_common.messaging import topology
from isp_common.messaging.consumer import Consumer, Handler
from isp_common.messaging.envelope import Event
from isp_common.messaging.relay import OutboxRelay
from isp_common.messaging.topology import QueueSpec
from isp_common.settings import Settings
from isp_common.testing import (
    DEFAULT_TEST_AMQP_URL,
    create_migrated_database,
    drop_database,
    settings_for_test,
)

SCHEMA = "libmsg"
MIGRATIONS = Path(__file__).parent.parent / "schema"
EVENT_TYPE = "tickets.ticket.updated"
PRODUCER = "tickets"
# The queue the tests consume: every ticket event, as a real consumer would bind.
SPEC = QueueSpec(SCHEMA, "effects", ("tickets.ticket.*",))


# -- infrastructure ------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def messaging_database_url() -> Iterator[str]:
    for attempt in range(5):
        try:
            url = create_migrated_database("messaging", {SCHEMA: MIGRATIONS})
            break
        except sqlalchemy.exc.InternalError:
            # Roles are server-wide: a test session running at the same time may be altering
            # `isp_libmsg` too ("tuple concurrently updated"). Try again.
            if attempt == 4:
                raise
            time.sleep(0.2 + random.random())
    yield url
    database = make_url(url).database
    assert database is not None
    asyncio.run(drop_database(database))


def rabbitmqctl(*args: str) -> str:
    done = subprocess.run(
        ["rabbitmqctl", *args], capture_output=True, text=True, timeout=60, check=True
    )
    return done.stdout


@pytest.fixture(scope="session")
def vhost() -> Iterator[str | None]:
    """A vhost of this test session, or None when the broker is not ours to administer."""
    if "ISP_TEST_AMQP_URL" in os.environ or shutil.which("rabbitmqctl") is None:
        yield None
        return
    name = f"isp-test-messaging-{os.getpid()}"
    rabbitmqctl("add_vhost", name)
    rabbitmqctl("set_permissions", "-p", name, "guest", ".*", ".*", ".*")
    yield name
    rabbitmqctl("delete_vhost", name)


@pytest.fixture(scope="session")
def amqp_url(vhost: str | None) -> str:
    base = os.environ.get("ISP_TEST_AMQP_URL", DEFAULT_TEST_AMQP_URL)
    return base if vhost is None else base.rstrip("/") + "/" + quote(vhost, safe="")


async def delete_broker_names(settings: Settings, amqp_url: str) -> None:
    connection = await aio_pika.connect(amqp_url)
    async with connection:
        channel = await connection.channel()
        for name in (
            topology.queue_name(settings, SPEC),
            topology.dead_letter_name(settings, SPEC),
        ):
            await channel.queue_delete(name)
        await channel.exchange_delete(topology.dead_letter_exchange_name(settings, SPEC))
        await channel.exchange_delete(settings.events_exchange)


async def clear_outbox(db: Database) -> None:
    # The outbox is shared by every test on this database (it has no RLS): start empty so a
    # relay publishes only this test's events.
    async with db.engine.begin() as conn:
        await conn.execute(text(f"delete from {SCHEMA}.outbox"))


# -- events and effects --------------------------------------------------------------------------


def ticket(aggregate_id: uuid.UUID, version: int) -> TicketSnapshot:
    return TicketSnapshot(
        id=aggregate_id,
        ticket_number=f"T-{version}",
        title="No internet",
        category="technical",
        priority="high",
        status="open",
        version=version,
        sla_due_at=datetime.now(UTC),
    )


async def record_effect(event: Event, uow: UnitOfWork) -> None:
    """The test handler: one row per application of an event."""
    await uow.connection.execute(
        text(
            f"insert into {SCHEMA}.effects (tenant_id, event_id, aggregate_id, aggregate_version) "
            "values (:tenant, :event, :aggregate, :version)"
        ),
        {
            "tenant": event.tenant_id,
            "event": event.id,
            "aggregate": event.aggregate_id,
            "version": event.aggregate_version,
        },
    )


class Kit:
    """One test's view of the event path: its settings (own exchange and queue), a database
    handle through the service role, a tenant, and helpers to drive and observe the path.
    (Test modules cannot import from conftest, so the helpers travel on this fixture.)"""

    EVENT_TYPE = EVENT_TYPE
    SPEC = SPEC
    record_effect = staticmethod(record_effect)
    ticket = staticmethod(ticket)

    def __init__(
        self,
        settings: Settings,
        db: Database,
        vhost: str | None,
        *,
        observer_amqp_url: str | None = None,
    ) -> None:
        self.settings = settings
        self.db = db
        self.vhost = vhost
        # The test's own look at the broker goes around any proxy the system under test uses.
        self.observer_amqp_url = observer_amqp_url or settings.amqp_url
        self.tenant = uuid.uuid4()
        self.queue = topology.queue_name(settings, SPEC)
        self.dead_letter_queue = topology.dead_letter_name(settings, SPEC)
        self._connection: AbstractConnection | None = None
        self._channel: AbstractChannel | None = None
        self._closers: list[Callable[[], Awaitable[None]]] = []

    # -- producing --

    async def commit(
        self, count: int = 1, *, aggregate_id: uuid.UUID | None = None, version: int = 1
    ) -> list[Event]:
        """`count` events in one committed unit of work, each of a new aggregate unless given."""
        aggregates = [aggregate_id or uuid.uuid4() for _ in range(count)]
        async with UnitOfWork(self.db, self.tenant) as uow:
            events = [
                uow.raise_event(EVENT_TYPE, aggregate, version, ticket(aggregate, version))
                for aggregate in aggregates
            ]
            await uow.commit()
        return events

    def relay(self, relay_class: type[OutboxRelay] = OutboxRelay) -> Any:
        relay = relay_class(self.settings, self.db, queues=(SPEC,))
        self._closers.append(relay.close)
        return relay

    # -- consuming --

    def consumer(
        self, handlers: Mapping[str, Handler] | None = None, *, retry_delay_seconds: float = 0.01
    ) -> Consumer:
        consumer = Consumer(
            self.settings,
            self.db,
            spec=SPEC,
            handlers=handlers if handlers is not None else {EVENT_TYPE: record_effect},
            uow_factory=lambda tenant_id: UnitOfWork(self.db, tenant_id),
            retry_delay_seconds=retry_delay_seconds,
        )
        self._closers.append(consumer.stop)
        return consumer

    # -- observing --

    async def effects(self, tenant: uuid.UUID | None = None) -> Counter[uuid.UUID]:
        """How many times each event of the tenant was applied."""
        async with UnitOfWork(self.db, tenant or self.tenant) as uow:
            rows = await uow.connection.execute(text(f"select event_id from {SCHEMA}.effects"))
            return Counter(row.event_id for row in rows)

    async def outbox(self) -> list[Any]:
        async with self.db.engine.connect() as conn:
            result = await conn.execute(
                text(
                    "select id, type, attempts, last_error, payload "
                    f"from {SCHEMA}.outbox order by seq"
                )
            )
            return list(result)

    async def channel(self) -> AbstractChannel:
        """A channel of the test's own (the test queue declared) to publish or look with."""
        if self._channel is None or self._channel.is_closed:
            self._connection = await aio_pika.connect(self.observer_amqp_url)
            self._channel = await self._connection.channel()
            await topology.declare_queue(self._channel, self.settings, SPEC)
        return self._channel

    async def depth(self, queue: str) -> int:
        declared = await (await self.channel()).declare_queue(queue, passive=True)
        return declared.declaration_result.message_count or 0

    async def get(self, queue: str) -> Any:
        declared = await (await self.channel()).declare_queue(queue, passive=True)
        return await declared.get(no_ack=True, fail=False)

    def close_all_connections(self) -> str:
        """What a broker restart or a network cut does to every client of the vhost."""
        if self.vhost is None:
            pytest.skip("needs rabbitmqctl on the test broker")
        return rabbitmqctl("close_all_connections", "-p", self.vhost, "test")

    @staticmethod
    async def wait_until(
        condition: Callable[[], Awaitable[bool]], *, within: float = 10.0, every: float = 0.01
    ) -> None:
        deadline = time.monotonic() + within
        while not await condition():
            if time.monotonic() > deadline:
                raise AssertionError(f"not reached within {within} s")
            await asyncio.sleep(every)

    @staticmethod
    def sample(metric: Any, **labels: str) -> float:
        """The current value of a prometheus counter or gauge child."""
        return float(metric.labels(**labels)._value.get())

    async def close(self) -> None:
        for close in reversed(self._closers):
            await close()
        if self._connection is not None:
            await self._connection.close()
        await delete_broker_names(self.settings, self.observer_amqp_url)


def make_settings(url: str, amqp: str, **overrides: Any) -> Settings:
    return settings_for_test(SCHEMA, url, amqp_url=amqp, **overrides)


async def open_kit(
    url: str,
    amqp: str,
    vhost: str | None,
    *,
    observer_amqp_url: str | None = None,
    **overrides: Any,
) -> Kit:
    settings = make_settings(url, amqp, **overrides)
    # The test events are tickets events, so they come from the producer that owns them.
    db = Database(settings.service_dsn, SCHEMA, producer=PRODUCER, pool_size=20)
    await clear_outbox(db)
    return Kit(settings, db, vhost, observer_amqp_url=observer_amqp_url)


async def close_kit(kit: Kit) -> None:
    await kit.close()
    await kit.db.dispose()


@pytest.fixture()
async def kit(messaging_database_url: str, amqp_url: str, vhost: str | None) -> AsyncIterator[Kit]:
    k = await open_kit(messaging_database_url, amqp_url, vhost)
    yield k
    await close_kit(k)


class CuttableProxy:
    """A TCP proxy in front of the real broker (or database) that can sever every connection
    through it at once, like a network cut (toxiproxy in forty lines). Both ends see the
    connection die: the broker requeues what was unacked, the clients reconnect through it."""

    def __init__(self, upstream_host: str, upstream_port: int) -> None:
        self.upstream = (upstream_host, upstream_port)
        self._links: set[tuple[asyncio.StreamWriter, asyncio.StreamWriter]] = set()
        self.cuts = 0
        # While set, new connections are refused too: the upstream is "down".
        self.refusing = False

    async def start(self) -> int:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        port: int = self._server.sockets[0].getsockname()[1]
        return port

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if self.refusing:
            writer.transport.abort()
            return
        try:
            up_reader, up_writer = await asyncio.open_connection(*self.upstream)
        except OSError:
            writer.transport.abort()
            return
        link = (writer, up_writer)
        self._links.add(link)
        try:
            await asyncio.gather(
                _pipe(reader, up_writer), _pipe(up_reader, writer), return_exceptions=True
            )
        finally:
            self._links.discard(link)
            for w in link:
                w.transport.abort()

    def cut(self) -> int:
        links = list(self._links)
        for client, broker in links:
            client.transport.abort()
            broker.transport.abort()
        self.cuts += 1
        return len(links)

    async def stop(self) -> None:
        self.cut()
        self._server.close()
        await self._server.wait_closed()


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    while data := await reader.read(65536):
        writer.write(data)
        await writer.drain()
    writer.transport.abort()


@pytest.fixture(scope="module")
async def proxied_kit(
    messaging_database_url: str, amqp_url: str, vhost: str | None
) -> AsyncIterator[tuple[Kit, CuttableProxy]]:
    """For Hypothesis: the examples share one kit (and one queue) to stay fast. Relay and
    consumer reach the broker through a `CuttableProxy`, which cuts in a millisecond what
    `rabbitmqctl` takes half a second to."""
    broker = urlsplit(amqp_url)
    proxy = CuttableProxy(broker.hostname or "127.0.0.1", broker.port or 5672)
    port = await proxy.start()
    through_proxy = urlunsplit(
        broker._replace(netloc=f"{broker.username}:{broker.password}@127.0.0.1:{port}")
    )
    k = await open_kit(
        messaging_database_url,
        through_proxy,
        vhost,
        observer_amqp_url=amqp_url,
        max_delivery_attempts=20,
    )
    yield k, proxy
    await close_kit(k)
    await proxy.stop()


Kit.CuttableProxy = CuttableProxy  # type: ignore[attr-defined]
