"""The simulator against two independent RouterOS client libraries (synchronous, so they run in
a thread while the simulator serves from the test's event loop)."""

from __future__ import annotations

import asyncio

import librouteros
import routeros_api

from routeros_sim import SimulatedRouter


async def test_librouteros_login_add_print_update_remove(sim: SimulatedRouter) -> None:
    def session() -> list[dict[str, object]]:
        api = librouteros.connect(
            host=sim.host, username="admin", password="admin", port=sim.port, timeout=5
        )
        try:
            secrets = api.path("ppp", "secret")
            secret_id = secrets.add(name="alice", password="x", service="pppoe")
            assert secret_id == "*1"
            queues = api.path("queue", "simple")
            queues.add(name="q-alice", target="10.0.0.2", **{"max-limit": "10M/20M"})
            secrets.update(**{".id": secret_id, "disabled": True, "comment": "isp:x"})
            name = librouteros.query.Key("name")
            found = list(
                secrets.select(name, librouteros.query.Key("disabled")).where(name == "alice")
            )
            queues_found = list(queues)
            queues.remove(queues_found[0][".id"])
            return [*found, *queues_found]
        finally:
            api.close()

    [secret, queue] = await asyncio.to_thread(session)
    assert secret == {"name": "alice", "disabled": True}
    assert queue["max-limit"] == "10000000/20000000" and queue["target"] == "10.0.0.2/32"
    assert sim.router.items("/queue/simple") == []
    assert sim.router.find("/ppp/secret", name="alice")[0]["comment"] == "isp:x"


async def test_librouteros_refused_login_and_trap(sim: SimulatedRouter) -> None:
    def refused() -> str:
        try:
            librouteros.connect(host=sim.host, username="admin", password="no", port=sim.port)
        except librouteros.exceptions.TrapError as error:
            return str(error)
        return "connected"

    assert "invalid user name or password" in await asyncio.to_thread(refused)

    def duplicate() -> str:
        api = librouteros.connect(host=sim.host, username="admin", password="admin", port=sim.port)
        try:
            api.path("ppp", "secret").add(name="a")
            api.path("ppp", "secret").add(name="a")
        except librouteros.exceptions.TrapError as error:
            return str(error)
        finally:
            api.close()
        return "added twice"

    assert "already have such name" in await asyncio.to_thread(duplicate)


async def test_routeros_api_both_login_styles(sim: SimulatedRouter) -> None:
    def session(plaintext: bool) -> list[dict[str, str]]:
        pool = routeros_api.RouterOsApiPool(
            sim.host, username="admin", password="admin", port=sim.port,
            plaintext_login=plaintext,
        )  # fmt: skip
        api = pool.get_api()
        try:
            secrets = api.get_resource("/ppp/secret")
            secrets.add(name=f"user-{plaintext}", password="p")
            [added] = secrets.get(name=f"user-{plaintext}")
            secrets.set(id=added["id"], comment="isp:managed")
            result = secrets.get(comment="isp:managed")
            secrets.remove(id=added["id"])
            return list(result)
        finally:
            pool.disconnect()

    for plaintext in (True, False):  # post-6.43 plaintext, then the old challenge login
        [secret] = await asyncio.to_thread(session, plaintext)
        assert secret["name"] == f"user-{plaintext}" and secret["comment"] == "isp:managed"
    assert sim.router.items("/ppp/secret") == []
