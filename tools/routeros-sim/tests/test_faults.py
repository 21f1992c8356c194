"""Each fault of Faults, switched on while the router runs."""

from __future__ import annotations

import asyncio

import pytest

from routeros_sim import SimulatedRouter


async def test_latency_delays_each_reply(sim: SimulatedRouter, connect) -> None:
    client = await connect()
    sim.faults.latency = 0.1
    loop = asyncio.get_running_loop()
    started = loop.time()
    await client.call("/system/identity/print")  # !re + !done
    assert loop.time() - started >= 0.2


async def test_drop_after_n_sentences(sim: SimulatedRouter, connect) -> None:
    sim.router.add("/ppp/secret", {"name": "alice"})
    sim.router.add("/ppp/secret", {"name": "bob"})
    client = await connect()  # the login's !done is sentence 1
    sim.faults.drop_after_sentences = 2
    assert (await client.read_after_send("/ppp/secret/print"))[0] == "!re"
    with pytest.raises((asyncio.IncompleteReadError, ConnectionError)):
        await client.read()


async def test_refuse_login(sim: SimulatedRouter, connect) -> None:
    sim.faults.refuse_login = True
    client = await connect(login=False)
    assert (await client.login())[0][0] == "!trap"
    sim.faults.refuse_login = False
    assert await client.login() == [["!done"]]


async def test_trap_on_a_command_path(sim: SimulatedRouter, connect) -> None:
    client = await connect()
    sim.faults.trap_commands["/ppp/secret/add"] = "failure: simulated"
    assert await client.call("/ppp/secret/add", "=name=a") == [
        ["!trap", "=category=4", "=message=failure: simulated"],
        ["!done"],
    ]
    assert sim.router.items("/ppp/secret") == []
    assert await client.call("/ppp/secret/print") == [["!done"]]  # other paths still work


async def test_down_refuses_connections_and_up_restores_state(sim, connect) -> None:
    sim.router.add("/ppp/secret", {"name": "alice"})
    client = await connect()
    await sim.go_down()
    with pytest.raises((asyncio.IncompleteReadError, ConnectionError)):
        await client.call("/ppp/secret/print")
    with pytest.raises(ConnectionRefusedError):
        await asyncio.open_connection(sim.host, sim.port)
    await sim.come_up()
    client = await connect()
    assert len(await client.call("/ppp/secret/print")) == 2


async def test_down_flag_resets_new_connections(sim: SimulatedRouter, connect) -> None:
    sim.faults.down = True
    with pytest.raises((asyncio.IncompleteReadError, ConnectionError)):
        await connect()
    sim.faults.clear()
    await connect()
