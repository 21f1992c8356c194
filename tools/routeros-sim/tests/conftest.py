"""A running simulated router per test, and a minimal raw API client that shows the exact
sentences on the wire (the independent libraries are used in test_client_libraries.py)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable

import pytest

from routeros_sim import SimulatedRouter
from routeros_sim.protocol import encode_sentence, read_sentence


class RawClient:
    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader = reader
        self.writer = writer

    async def send(self, *words: str) -> None:
        self.writer.write(encode_sentence(words))
        await self.writer.drain()

    async def read(self) -> list[str]:
        return await asyncio.wait_for(read_sentence(self.reader), 5)

    async def read_after_send(self, *words: str) -> list[str]:
        await self.send(*words)
        return await self.read()

    async def call(self, *words: str) -> list[list[str]]:
        """Send one untagged command; the reply sentences up to and including !done/!fatal."""
        await self.send(*words)
        replies = []
        while True:
            sentence = await self.read()
            replies.append(sentence)
            if sentence[0] in ("!done", "!fatal"):
                return replies

    async def login(self, user: str = "admin", password: str = "admin") -> list[list[str]]:
        return await self.call("/login", f"=name={user}", f"=password={password}")

    def close(self) -> None:
        self.writer.close()


def attributes(sentence: list[str]) -> dict[str, str]:
    return dict(word[1:].split("=", 1) for word in sentence[1:] if word.startswith("="))


@pytest.fixture
async def sim() -> AsyncIterator[SimulatedRouter]:
    async with SimulatedRouter(tick_interval=None) as simulator:
        yield simulator


Connect = Callable[..., Awaitable[RawClient]]


@pytest.fixture
async def connect(sim: SimulatedRouter) -> AsyncIterator[Connect]:
    clients: list[RawClient] = []

    async def _connect(*, login: bool = True) -> RawClient:
        client = RawClient(*await asyncio.open_connection(sim.host, sim.port))
        clients.append(client)
        if login:
            assert (await client.login()) == [["!done"]]
        return client

    yield _connect
    for client in clients:
        client.close()


@pytest.fixture
def attrs() -> Callable[[list[str]], dict[str, str]]:
    return attributes
