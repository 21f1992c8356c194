"""The menus and commands over real TCP, with the exact words a RouterOS 7 router uses."""

from __future__ import annotations

import asyncio

from routeros_sim import SimulatedRouter


async def test_login_ok_and_refused(sim: SimulatedRouter, connect) -> None:
    client = await connect(login=False)
    assert await client.call("/ppp/secret/print") == [
        ["!trap", "=category=0", "=message=not logged in"],
        ["!done"],
    ]
    assert await client.login(password="wrong") == [
        ["!trap", "=message=invalid user name or password (6)"],
        ["!done"],
    ]
    assert await client.login() == [["!done"]]
    assert (await client.call("/system/identity/print"))[0] == ["!re", "=name=MikroTik"]


async def test_old_challenge_login(sim: SimulatedRouter, connect) -> None:
    import hashlib

    client = await connect(login=False)
    [[done, ret]] = await client.call("/login")
    challenge = ret.removeprefix("=ret=")
    assert done == "!done" and len(challenge) == 32
    response = "00" + hashlib.md5(b"\x00admin" + bytes.fromhex(challenge)).hexdigest()
    assert await client.call("/login", "=name=admin", f"=response={response}") == [["!done"]]


async def test_secret_add_print_set_remove(sim: SimulatedRouter, connect, attrs) -> None:
    client = await connect()
    reply = await client.call(
        "/ppp/secret/add", "=name=alice", "=password=s3cret", "=service=pppoe",
        "=remote-address=10.0.0.2", "=comment=isp:managed",
    )  # fmt: skip
    assert reply == [["!done", "=ret=*1"]]
    [re, done] = await client.call("/ppp/secret/print")
    assert done == ["!done"]
    assert attrs(re) == {
        ".id": "*1",
        "name": "alice",
        "service": "pppoe",
        "caller-id": "",
        "password": "s3cret",
        "profile": "default",
        "remote-address": "10.0.0.2",
        "routes": "",
        "limit-bytes-in": "0",
        "limit-bytes-out": "0",
        "last-logged-out": "never",
        "disabled": "false",
        "comment": "isp:managed",
    }
    assert await client.call("/ppp/secret/set", "=.id=*1", "=disabled=yes") == [["!done"]]
    assert await client.call("/ppp/secret/set", "=numbers=alice", "=password=new") == [["!done"]]
    assert sim.router.find("/ppp/secret", name="alice")[0]["disabled"] == "true"
    assert await client.call("/ppp/secret/enable", "=.id=*1") == [["!done"]]
    assert sim.router.find("/ppp/secret", name="alice")[0]["password"] == "new"
    assert await client.call("/ppp/secret/remove", "=.id=*1") == [["!done"]]
    assert await client.call("/ppp/secret/print") == [["!done"]]


async def test_ids_are_hex_after_the_star(sim: SimulatedRouter, connect) -> None:
    client = await connect()
    ids = [
        (await client.call("/ip/firewall/address-list/add", "=list=l", f"=address=10.0.0.{n}"))[0][
            1
        ]
        for n in range(1, 12)
    ]
    assert ids[8:] == ["=ret=*9", "=ret=*A", "=ret=*B"]


async def test_queue_attributes_are_normalised_like_routeros(sim, connect, attrs) -> None:
    client = await connect()
    await client.call("/ppp/profile/add", "=name=isolir", "=address-list=isolated")
    reply = await client.call(
        "/queue/simple/add", "=name=q-alice", "=target=10.0.0.2", "=max-limit=10M/20M",
        "=burst-limit=20M/40M", "=burst-threshold=8M/16M", "=burst-time=10s/10s",
        "=comment=isp:managed",
    )  # fmt: skip
    assert reply == [["!done", "=ret=*1"]]
    [re, _] = await client.call("/queue/simple/print", "?name=q-alice")
    queue = attrs(re)
    assert queue["target"] == "10.0.0.2/32"
    assert queue["max-limit"] == "10000000/20000000"
    assert queue["burst-limit"] == "20000000/40000000"
    assert queue["burst-time"] == "10s/10s"
    assert queue["limit-at"] == "0/0"
    assert queue["priority"] == "8/8"
    assert queue["queue"] == "default-small/default-small"
    assert queue["parent"] == "none"
    assert (queue["bytes"], queue["packets"], queue["rate"]) == ("0/0", "0/0", "0/0")
    await client.call("/queue/simple/set", "=.id=*1", "=max-limit=5000000")
    assert sim.router.items("/queue/simple")[0]["max-limit"] == "5000000/5000000"
    assert await client.call("/queue/simple/set", "=.id=*1", "=bytes=1/1") == [
        ["!trap", "=category=1", "=message=unknown parameter bytes"],
        ["!done"],
    ]


async def test_counters_move_only_for_online_subscribers(sim: SimulatedRouter) -> None:
    router = sim.router
    router.add("/ppp/secret", {"name": "alice", "remote-address": "10.0.0.2"})
    router.add("/ppp/secret", {"name": "bob", "remote-address": "10.0.0.3"})
    router.add("/queue/simple", {"name": "qa", "target": "10.0.0.2", "max-limit": "10M/20M"})
    router.add("/queue/simple", {"name": "qb", "target": "10.0.0.3", "max-limit": "10M/20M"})
    router.connect_session("alice")
    router.tick(8)
    [qa] = router.find("/queue/simple", name="qa")
    [qb] = router.find("/queue/simple", name="qb")
    assert qa["rate"] == "10000000/20000000"
    assert qa["bytes"] == "10000000/20000000"  # 8 s at 10/20 Mbit/s
    assert qb["bytes"] == "0/0" and qb["rate"] == "0/0"
    router.disconnect_session("alice")
    router.tick(1)
    assert router.find("/queue/simple", name="qa")[0]["rate"] == "0/0"


async def test_session_in_isolation_profile_lands_in_its_address_list(sim, connect) -> None:
    router = sim.router
    router.add("/ppp/profile", {"name": "isolir", "address-list": "isolated"})
    router.add("/ppp/secret", {"name": "alice", "profile": "isolir", "remote-address": "10.0.0.2"})
    router.connect_session("alice")
    [entry] = router.items("/ip/firewall/address-list")
    assert (entry["list"], entry["address"], entry["dynamic"]) == ("isolated", "10.0.0.2", "true")
    client = await connect()
    [re, _] = await client.call("/ppp/active/print", "=.proplist=.id,name,address")
    assert re == ["!re", "=.id=*1", "=name=alice", "=address=10.0.0.2"]
    assert (await client.call("/ppp/active/add", "=name=x"))[0][-1] == (
        "=message=no such command prefix"
    )
    assert await client.call("/ppp/active/remove", "=.id=*1") == [["!done"]]
    assert router.online() == {} and router.items("/ip/firewall/address-list") == []


async def test_default_profiles(sim: SimulatedRouter, connect, attrs) -> None:
    client = await connect()
    replies = await client.call("/ppp/profile/print", "=.proplist=.id,name,use-encryption")
    assert replies == [
        ["!re", "=.id=*0", "=name=default", "=use-encryption=default"],
        ["!re", "=.id=*FFFFFFFE", "=name=default-encryption", "=use-encryption=yes"],
        ["!done"],
    ]
    assert (await client.call("/ppp/secret/add", "=name=a", "=profile=nope"))[0][-1] == (
        "=message=input does not match any value of profile"
    )


async def test_duplicate_name_and_no_such_item(sim: SimulatedRouter, connect) -> None:
    client = await connect()
    await client.call("/ppp/secret/add", "=name=alice")
    assert await client.call("/ppp/secret/add", "=name=alice") == [
        ["!trap", "=category=4", "=message=failure: already have such name"],
        ["!done"],
    ]
    await client.call("/ppp/secret/add", "=name=bob")
    assert (await client.call("/ppp/secret/set", "=.id=*2", "=name=alice"))[0][-1] == (
        "=message=failure: already have such name"
    )
    assert await client.call("/ppp/secret/remove", "=.id=*99") == [
        ["!trap", "=category=0", "=message=no such item"],
        ["!done"],
    ]
    assert await client.call("/ppp/nothing/print") == [
        ["!trap", "=category=0", "=message=no such command prefix"],
        ["!done"],
    ]


async def test_queries_count_and_proplist(sim: SimulatedRouter, connect) -> None:
    for name, comment in (("a", "isp:1"), ("b", None), ("c", "isp:3")):
        values = {"name": name, "password": "p"} | ({"comment": comment} if comment else {})
        sim.router.add("/ppp/secret", values)
    client = await connect()

    async def names(*words: str) -> list[str]:
        replies = await client.call("/ppp/secret/print", "=.proplist=name", *words)
        return [r[1].removeprefix("=name=") for r in replies[:-1]]

    assert await names("?name=b") == ["b"]
    assert await names("?=name=c") == ["c"]
    assert await names("?comment") == ["a", "c"]
    assert await names("?-comment") == ["b"]
    assert await names("?name=a", "?name=c", "?#|") == ["a", "c"]
    assert await names("?name=a", "?#!") == ["b", "c"]
    assert await client.call("/ppp/secret/print", "=count-only=", "?comment") == [
        ["!done", "=ret=2"]
    ]


async def test_tags_with_concurrent_commands(sim: SimulatedRouter, connect) -> None:
    sim.router.add("/ppp/secret", {"name": "alice"})
    client = await connect()
    sim.faults.latency = 0.05
    for tag in ("one", "two", "three"):
        await client.send("/ppp/secret/print", f".tag={tag}")
    started = asyncio.get_running_loop().time()
    replies = [await client.read() for _ in range(6)]
    elapsed = asyncio.get_running_loop().time() - started
    # Each command's 2 replies take 2 × latency; run one after the other they would take 6 ×.
    assert elapsed < 0.25
    for tag in ("one", "two", "three"):
        mine = [r for r in replies if r[-1] == f".tag={tag}"]
        assert [r[0] for r in mine] == ["!re", "!done"]
        assert "=name=alice" in mine[0]


async def test_quit_and_kick_send_fatal(sim: SimulatedRouter, connect) -> None:
    client = await connect()
    assert await client.call("/quit") == [["!fatal", "session terminated on request"]]
    other = await connect()
    await sim.kick_all()
    assert await other.read() == ["!fatal", "session terminated by administrator"]
