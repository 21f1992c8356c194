"""One router's lane: every operation on the router runs here, one at a time, so the router
sees an ordered stream of changes. The lane reconciles dirty subscribers when woken (or polled),
runs a full sync periodically and on reconnect, samples traffic, and backs off behind a circuit
breaker while the router is down; its desired state waits in the database meanwhile."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import time
from dataclasses import dataclass
from uuid import UUID

from isp_common.logging import get_logger
from isp_common.router_targets import (
    DEFAULT_ROUTER_NETWORKS,
    IPNetwork,
    parse_router_networks,
    router_target_problem,
)

from isp_mikrotik_agent.adapters.routeros_client import RouterAddress, RouterClient
from isp_mikrotik_agent.controller.metrics import RECONCILE_SECONDS, ROUTER_UP
from isp_mikrotik_agent.domain.resilience import CircuitBreaker, backoff
from isp_mikrotik_agent.domain.stored_state import RouterRecord
from isp_mikrotik_agent.domain.traffic import IntervalCounter
from isp_mikrotik_agent.use_cases.ports import Decrypt, RouterUnreachable, UowFactory
from isp_mikrotik_agent.use_cases.reconcile import reconcile
from isp_mikrotik_agent.use_cases.router_status import (
    publish_traffic,
    read_traffic,
    record_connection,
)

log = get_logger(__name__)


@dataclass(frozen=True)
class LaneConfig:
    poll_seconds: float = 2.0  # how often a lane looks for dirty subscribers without a wake-up
    full_sync_seconds: float = 60.0
    traffic_seconds: float | None = 30.0
    command_timeout: float = 3.0
    connect_attempts: int = 2
    backoff_base: float = 0.2
    backoff_cap: float = 10.0
    breaker_threshold: int = 3
    breaker_cooldown: float = 1.0
    breaker_max_cooldown: float = 30.0
    # Where a router may be (ISP_ROUTER_NETWORKS): the agent is the one that sends credentials.
    router_networks: tuple[IPNetwork, ...] = parse_router_networks(DEFAULT_ROUTER_NETWORKS)


class ConnectionHolder:
    """Keeps one logged-in connection per lane; reconnects with bounded, jittered retries."""

    def __init__(self, decrypt: Decrypt, config: LaneConfig) -> None:
        self._decrypt = decrypt
        self._config = config
        self._client: RouterClient | None = None
        self._address: RouterAddress | None = None

    def address_of(self, router: RouterRecord) -> RouterAddress:
        if not router.host:
            raise RouterUnreachable("the router has no address")
        # Checked before the password is even decrypted: it never leaves for such an address.
        problem = router_target_problem(router.host, self._config.router_networks)
        if problem is not None:
            raise RouterUnreachable(f"not connecting to {router.host}: {problem}")
        password = self._decrypt(router.password_encrypted) if router.password_encrypted else ""
        return RouterAddress(router.host, router.port, router.username or "admin", password)

    async def client(self, router: RouterRecord) -> RouterClient:
        try:
            address = self.address_of(router)
        except ValueError as error:
            raise RouterUnreachable("the router's password cannot be decrypted") from error
        if self._client is not None and not self._client.broken and address == self._address:
            return self._client
        await self.close()
        last: RouterUnreachable | None = None
        for attempt in range(1, self._config.connect_attempts + 1):
            try:
                self._client = await RouterClient.connect(
                    address, timeout=self._config.command_timeout
                )
                self._address = address
                return self._client
            except RouterUnreachable as error:
                last = error
                if attempt < self._config.connect_attempts:
                    await asyncio.sleep(
                        backoff(
                            attempt, base=self._config.backoff_base, cap=self._config.backoff_cap
                        )
                    )
        assert last is not None
        raise last

    async def close(self) -> None:
        if self._client is not None:
            await self._client.close()
        self._client = None


def one_off_connection(decrypt: Decrypt, config: LaneConfig) -> ConnectionHolder:
    """A connection of its own for one answer read from the router now: one attempt, no
    retry, so the caller hears at once that the router cannot be reached."""
    return ConnectionHolder(decrypt, dataclasses.replace(config, connect_attempts=1))


class RouterLane:
    def __init__(
        self,
        tenant_id: UUID,
        router_id: UUID,
        uow_factory: UowFactory,
        decrypt: Decrypt,
        config: LaneConfig,
    ) -> None:
        self.tenant_id = tenant_id
        self.router_id = router_id
        self._uow_factory = uow_factory
        self._decrypt = decrypt
        self._config = config
        self._connections = ConnectionHolder(decrypt, config)
        self._breaker = CircuitBreaker(
            threshold=config.breaker_threshold,
            cooldown=config.breaker_cooldown,
            max_cooldown=config.breaker_max_cooldown,
        )
        self._wake = asyncio.Event()
        self._failures = 0
        self._online: bool | None = None
        self._traffic = IntervalCounter()
        self.reconciles = 0  # observable by tests and metrics

    def wake(self) -> None:
        self._wake.set()

    async def run(self) -> None:
        last_full = float("-inf")
        last_traffic = time.monotonic()
        try:
            while True:
                self._wake.clear()
                now = time.monotonic()
                if not self._breaker.allows(now):
                    await self._sleep(self._breaker.retry_in(now))
                    continue
                full = now - last_full >= self._config.full_sync_seconds
                try:
                    with RECONCILE_SECONDS.labels("full" if full else "targeted").time():
                        report = await reconcile(
                            self._uow_factory,
                            self._connections,
                            self._decrypt,
                            self.tenant_id,
                            self.router_id,
                            full=full,
                        )
                    if report is not None:
                        self.reconciles += 1
                        if await self._connection_is(True, None):
                            last_full = float("-inf")  # back online: a full sync next
                            continue
                    if full:
                        last_full = now
                    self._breaker.record_success()
                    self._failures = 0
                    traffic = self._config.traffic_seconds
                    if traffic is not None and time.monotonic() - last_traffic >= traffic:
                        last_traffic = time.monotonic()
                        await self._sample_traffic()
                except RouterUnreachable as error:
                    await self._connections.close()
                    self._breaker.record_failure(time.monotonic())
                    self._failures += 1
                    await self._connection_is(False, str(error))
                    await self._sleep(
                        backoff(
                            self._failures,
                            base=self._config.backoff_base,
                            cap=self._config.backoff_cap,
                        )
                    )
                    continue
                except Exception as error:  # the database, a bug: log, pause, go on
                    log.warning(
                        "lane cycle failed", router_id=str(self.router_id), error=str(error)
                    )
                    await asyncio.sleep(self._config.poll_seconds)
                    continue
                await self._sleep(self._config.poll_seconds)
        finally:
            await self._connections.close()

    async def _sleep(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), timeout=max(seconds, 0.0))

    async def _connection_is(self, online: bool, error: str | None) -> bool:
        """Records a change of connection state; True if the router has just come back."""
        if self._online is online:
            return False
        came_back = online and self._online is False
        self._online = online
        ROUTER_UP.labels(str(self.router_id)).set(1 if online else 0)
        async with self._uow_factory(self.tenant_id) as uow:
            await record_connection(uow, self.router_id, online, error)
            await uow.commit()
        return came_back

    async def _sample_traffic(self) -> None:
        async with self._uow_factory(self.tenant_id) as uow:
            router = await uow.routers.get(self.router_id)
        if router is None:
            return
        client = await self._connections.client(router)
        samples = []
        for sample in await read_traffic(client):
            bytes_in, bytes_out = self._traffic.interval(
                sample.customer_id, sample.bytes_in, sample.bytes_out
            )
            samples.append(sample.model_copy(update={"bytes_in": bytes_in, "bytes_out": bytes_out}))
        if samples:
            async with self._uow_factory(self.tenant_id) as uow:
                await publish_traffic(uow, self.router_id, samples)
                await uow.commit()
