"""The asyncio TCP server: one `SimulatedRouter` per port, each serving any number of API
connections to its `Router`, with the faults of `Faults` applied as replies go out.

Per connection: nothing but /login (and /quit) works until a login succeeds. Commands without a
`.tag` run one after the other; a tagged command runs as its own task, so several can be in
flight at once and their replies interleave (each reply sentence carries the command's tag).
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import secrets
from collections.abc import Sequence
from types import TracebackType

from routeros_sim.faults import Faults
from routeros_sim.protocol import ProtocolError, encode_sentence, read_sentence
from routeros_sim.router import Router
from routeros_sim.sentences import Sentence, Trap

log = logging.getLogger(__name__)

BAD_LOGIN = "invalid user name or password (6)"


class _Dropped(Exception):
    """The connection was cut on purpose (fault injection or the router going down)."""


class _Connection:
    def __init__(
        self,
        owner: SimulatedRouter,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
    ) -> None:
        self.owner = owner
        self.reader = reader
        self.writer = writer
        self.logged_in = False
        self.challenge: str | None = None
        self.sent = 0
        self._write_lock = asyncio.Lock()
        self._tasks: set[asyncio.Task[None]] = set()

    async def serve(self) -> None:
        try:
            while True:
                words = await read_sentence(self.reader)
                if not words:
                    continue  # an empty sentence is a keep-alive
                tag = _tag(words)
                if tag is None:
                    await self.handle(words, None)
                else:
                    task = asyncio.create_task(self.handle(words, tag))
                    self._tasks.add(task)
                    task.add_done_callback(self._tasks.discard)
        except (asyncio.IncompleteReadError, ConnectionError, _Dropped, ProtocolError):
            pass
        finally:
            for task in self._tasks:
                task.cancel()
            self.abort()

    async def handle(self, words: Sequence[str], tag: str | None) -> None:
        try:
            for sentence in self.replies(words):
                await self.send(sentence, tag)
        except (_Dropped, ConnectionError):
            self.abort()

    def replies(self, words: Sequence[str]) -> list[Sentence]:
        command = words[0]
        if command == "/quit":
            return [["!fatal", "session terminated on request"]]
        if command == "/login":
            return self.login(words)
        if not self.logged_in:
            return Trap("not logged in", category=0).sentences()
        trap_message = self.owner.faults.trap_commands.get(command)
        if trap_message is not None:
            return Trap(trap_message, category=4).sentences()
        return self.owner.router.execute([w for w in words if not w.startswith(".tag=")])

    def login(self, words: Sequence[str]) -> list[Sentence]:
        arguments = dict(w[1:].partition("=")[::2] for w in words[1:] if w.startswith("="))
        name = arguments.get("name")
        if name is None:
            # The pre-6.43 challenge: reply a random challenge, expect an MD5 response to it.
            self.challenge = secrets.token_hex(16)
            return [["!done", f"=ret={self.challenge}"]]
        if "response" in arguments and self.challenge is not None:
            ok = arguments["response"] == _challenge_response(self.owner.password, self.challenge)
        else:
            ok = secrets.compare_digest(arguments.get("password", ""), self.owner.password)
        if name != self.owner.user or not ok or self.owner.faults.refuse_login:
            return Trap(BAD_LOGIN).sentences()
        self.logged_in = True
        return [["!done"]]

    async def send(self, sentence: Sentence, tag: str | None) -> None:
        faults = self.owner.faults
        if faults.latency:
            await asyncio.sleep(faults.latency)
        if faults.down:
            raise _Dropped
        if tag is not None:
            sentence = [*sentence, f".tag={tag}"]
        async with self._write_lock:
            if faults.drop_after_sentences is not None and self.sent >= faults.drop_after_sentences:
                raise _Dropped
            if sentence[0] == "!fatal":
                # A !fatal's message is a bare word, and the router hangs up after it.
                self.writer.write(encode_sentence(sentence))
                await self.writer.drain()
                raise _Dropped
            self.writer.write(encode_sentence(sentence))
            self.sent += 1
            await self.writer.drain()

    def abort(self) -> None:
        if not self.writer.is_closing():
            self.writer.transport.abort()

    async def fatal(self, message: str) -> None:
        """The router ends the session itself (reboot, admin kick): `!fatal`, then close."""
        with contextlib.suppress(_Dropped, ConnectionError):
            await self.send(["!fatal", message], None)
        self.abort()


def _tag(words: Sequence[str]) -> str | None:
    for word in words:
        if word.startswith(".tag="):
            return word[len(".tag=") :]
    return None


def _challenge_response(password: str, challenge: str) -> str:
    digest = hashlib.md5(
        b"\x00" + password.encode() + bytes.fromhex(challenge), usedforsecurity=False
    )
    return "00" + digest.hexdigest()


class SimulatedRouter:
    """One simulated router listening on a TCP port.

    async with SimulatedRouter(user="admin", password="admin") as sim:
        sim.router.add("/ppp/secret", {"name": "alice", "password": "x"})
        ... connect to sim.host:sim.port ...
        sim.faults.latency = 0.2
    """

    def __init__(
        self,
        router: Router | None = None,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        user: str = "admin",
        password: str = "admin",  # noqa: S107  (a simulator's well-known test login)
        faults: Faults | None = None,
        tick_interval: float | None = 1.0,
    ) -> None:
        self.router = router or Router()
        self.host = host
        self.port = port
        self.user = user
        self.password = password
        self.faults = faults or Faults()
        self.tick_interval = tick_interval
        self._server: asyncio.Server | None = None
        self._connections: set[_Connection] = set()
        self._ticker: asyncio.Task[None] | None = None

    async def start(self) -> None:
        await self._listen()
        if self.tick_interval and self._ticker is None:
            self._ticker = asyncio.create_task(self._tick(self.tick_interval))

    async def stop(self) -> None:
        if self._ticker is not None:
            self._ticker.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._ticker
            self._ticker = None
        await self._close_listener()
        for connection in list(self._connections):
            connection.abort()

    async def __aenter__(self) -> SimulatedRouter:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.stop()

    @property
    def address(self) -> tuple[str, int]:
        return self.host, self.port

    @property
    def connections(self) -> int:
        return len(self._connections)

    async def go_down(self) -> None:
        """The router disappears: open connections are cut and new ones refused (the listening
        socket is closed, so a client gets "connection refused")."""
        self.faults.down = True
        await self._close_listener()
        for connection in list(self._connections):
            connection.abort()

    async def come_up(self) -> None:
        """Back on the same port, with the same state (like a link coming back, not a reboot)."""
        self.faults.down = False
        await self._listen()

    async def kick_all(self, message: str = "session terminated by administrator") -> None:
        """End every session from the router's side with `!fatal`."""
        await asyncio.gather(*(c.fatal(message) for c in list(self._connections)))

    async def _listen(self) -> None:
        if self._server is not None:
            return
        self._server = await asyncio.start_server(self._accept, self.host, self.port)
        # Port 0 asks the OS for a free port; keep the real one so come_up reuses it.
        self.port = self._server.sockets[0].getsockname()[1]

    async def _close_listener(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        connection = _Connection(self, reader, writer)
        if self.faults.down:
            connection.abort()
            return
        self._connections.add(connection)
        try:
            await connection.serve()
        except Exception:  # a bug here must not kill the server, only this connection
            log.exception("connection to %s:%s failed", self.host, self.port)
            connection.abort()
        finally:
            self._connections.discard(connection)

    async def _tick(self, interval: float) -> None:
        while True:
            await asyncio.sleep(interval)
            self.router.tick(interval)
