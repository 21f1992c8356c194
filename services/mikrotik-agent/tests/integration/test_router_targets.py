"""The agent is the one that sends a router's credentials: it refuses to connect to an address
outside ISP_ROUTER_NETWORKS, a link-local / multicast / unspecified one or a host name, before
it decrypts the password, whatever the directory (network's events) says."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any

import pytest

from isp_common.router_targets import parse_router_networks

from isp_mikrotik_agent.controller.lane import LaneConfig, one_off_connection
from isp_mikrotik_agent.use_cases import read_router_now
from isp_mikrotik_agent.use_cases.ports import RouterUnreachable
from routeros_sim import SimulatedRouter

if TYPE_CHECKING:
    from conftest import Tenant


@pytest.fixture
async def listener() -> AsyncIterator[tuple[int, list[bytes]]]:
    """A TCP listener on loopback that records whatever is sent to it."""
    received: list[bytes] = []

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        received.append(await reader.read(4096))
        writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    async with server:
        yield port, received


def _decrypt_spy(tenant: Tenant, opened: list[str]) -> Any:
    def decrypt(token: str) -> str:
        opened.append(token)
        return tenant.runtime.decrypt(token)

    return decrypt


async def test_no_connection_outside_the_router_networks(
    tenant: Tenant, listener: tuple[int, list[bytes]]
) -> None:
    port, received = listener
    device = await tenant.add_router_at("127.0.0.1", port)
    opened: list[str] = []
    production = LaneConfig(
        connect_attempts=1, command_timeout=0.5, router_networks=parse_router_networks("10.0.0.0/8")
    )
    answer = await read_router_now.test_connection(
        tenant.runtime.unit_of_work,
        one_off_connection(_decrypt_spy(tenant, opened), production),
        tenant.id,
        device.id,
    )
    assert answer["ok"] is False and "ISP_ROUTER_NETWORKS" in answer["error"]
    assert received == [] and opened == []  # not a byte sent, the password never decrypted


@pytest.mark.parametrize(
    "host", ["169.254.169.254", "fe80::1", "224.0.0.251", "0.0.0.0", "router.example.com"]
)
async def test_never_a_link_local_multicast_unspecified_address_or_a_host_name(
    tenant: Tenant, host: str
) -> None:
    device = await tenant.add_router_at(host, 8728)
    opened: list[str] = []
    answer = await read_router_now.test_connection(
        tenant.runtime.unit_of_work,
        one_off_connection(_decrypt_spy(tenant, opened), tenant.runtime.settings.lane_config()),
        tenant.id,
        device.id,
    )
    assert answer["ok"] is False and "not connecting" in answer["error"], answer
    assert opened == []


async def test_the_lane_records_the_refusal_and_the_simulator_on_loopback_still_works(
    tenant: Tenant, sim: SimulatedRouter, reset_router: Any, new_customer: Any
) -> None:
    reset_router(sim)
    refused = await tenant.add_router_at("169.254.169.254", sim.port)
    with pytest.raises(RouterUnreachable, match="link-local"):
        await tenant.reconcile(refused.id)
    async with tenant.client() as client:
        shown = (await client.get(f"/routers/{refused.id}")).json()["data"]
    assert "link-local" in shown["last_sync_result"]["error"], shown
    # Loopback is a router network by default: the development simulator is reached.
    device = await tenant.add_router(sim, default=False)
    probe = await read_router_now.test_connection(
        tenant.runtime.unit_of_work,
        one_off_connection(tenant.runtime.decrypt, tenant.runtime.settings.lane_config()),
        tenant.id,
        device.id,
    )
    assert probe["ok"] is True, probe
