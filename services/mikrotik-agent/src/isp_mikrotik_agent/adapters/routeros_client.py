"""RouterOS API I/O through librouteros' asyncio API: connect with a timeout, read menus with a
property list and query words, and add / set / unset / remove. Every failure becomes one of two
errors: the router is unreachable (connection, login, timeout) or it refused a command (!trap)."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import librouteros
from librouteros.exceptions import LibRouterosError, MultiTrapError, TrapError

from isp_mikrotik_agent.use_cases.ports import RouterRefused, RouterUnreachable


@dataclass(frozen=True)
class RouterAddress:
    host: str
    port: int
    username: str
    password: str

    def __repr__(self) -> str:  # never the password, not even in a traceback
        return f"RouterAddress({self.host}:{self.port}, user={self.username})"


@dataclass(frozen=True)
class RouterFacts:
    identity: str
    version: str
    uptime: str
    latency_ms: float


class RouterClient:
    """One logged-in API connection; commands on it run one at a time."""

    def __init__(self, api: librouteros.AsyncApi, timeout: float) -> None:
        self._api = api
        self._timeout = timeout
        self._lock = asyncio.Lock()
        self.broken = False

    @classmethod
    async def connect(cls, address: RouterAddress, *, timeout: float) -> RouterClient:  # noqa: ASYNC109
        try:
            api = await asyncio.wait_for(
                librouteros.async_connect(
                    address.host,
                    address.username,
                    address.password,
                    port=address.port,
                    timeout=timeout,
                    encoding="utf-8",
                ),
                timeout * 2,
            )
        except (TrapError, MultiTrapError) as error:
            raise RouterUnreachable(f"login refused: {error}") from error
        except (OSError, TimeoutError, LibRouterosError, EOFError) as error:
            raise RouterUnreachable(_describe(error)) from error
        return cls(api, timeout)

    async def _run(self, command: str, *words: str) -> list[dict[str, str]]:
        if self.broken:
            raise RouterUnreachable("connection is broken")
        async with self._lock:
            try:
                rows = await asyncio.wait_for(self._collect(command, words), self._timeout * 4)
            except (OSError, TimeoutError, LibRouterosError, EOFError) as error:
                self.broken = True
                raise RouterUnreachable(_describe(error)) from error
        if isinstance(rows, RouterRefused):
            raise rows
        return rows

    async def _collect(
        self, command: str, words: Sequence[str]
    ) -> list[dict[str, str]] | RouterRefused:
        """The raw reply, values as the router printed them: librouteros' own parsing turns
        "yes" into True and "007" stays but "7" becomes 7, which a comparison must not see."""
        protocol = self._api.protocol
        await protocol.writeSentence(command, *words)
        rows: list[dict[str, str]] = []
        traps: list[str] = []
        while True:
            reply, reply_words = await protocol.readSentence()
            if reply == "!trap":
                fields = _fields(reply_words)
                traps.append(fields.get("message", "trap"))
            elif reply in ("!re", "!done") and reply_words:
                rows.append(_fields(reply_words))
            if reply == "!done":
                break
        if traps:
            return RouterRefused("; ".join(traps))
        return rows

    async def print(
        self,
        menu: str,
        proplist: Sequence[str] = (),
        where: Mapping[str, str] | None = None,
    ) -> list[dict[str, str]]:
        words = [f"=.proplist={','.join(proplist)}"] if proplist else []
        words += [f"?{k}={v}" for k, v in (where or {}).items()]
        rows = await self._run(f"{menu}/print", *words)
        # An `add`/`print` with nothing to say gives a `!done` with no words: no row.
        return [row for row in rows if row and "ret" not in row]

    async def add(self, menu: str, attributes: Mapping[str, str]) -> str:
        rows = await self._run(f"{menu}/add", *_words(attributes))
        return next((row["ret"] for row in rows if "ret" in row), "")

    async def set(self, menu: str, object_id: str, attributes: Mapping[str, str]) -> None:
        await self._run(f"{menu}/set", f"=.id={object_id}", *_words(attributes))

    async def unset(self, menu: str, object_id: str, name: str) -> None:
        await self._run(f"{menu}/unset", f"=.id={object_id}", f"=value-name={name}")

    async def remove(self, menu: str, object_id: str) -> None:
        await self._run(f"{menu}/remove", f"=.id={object_id}")

    async def facts(self) -> RouterFacts:
        started = time.perf_counter()
        identity = await self._run("/system/identity/print")
        latency_ms = (time.perf_counter() - started) * 1000
        resource = await self._run("/system/resource/print")
        first = resource[0] if resource else {}
        return RouterFacts(
            identity=(identity[0] if identity else {}).get("name", ""),
            version=first.get("version", ""),
            uptime=first.get("uptime", ""),
            latency_ms=round(latency_ms, 2),
        )

    async def close(self) -> None:
        self.broken = True
        with contextlib.suppress(OSError, TimeoutError, LibRouterosError, EOFError):
            await asyncio.wait_for(self._api.close(), self._timeout)


def _fields(words: Sequence[str]) -> dict[str, str]:
    fields = {}
    for word in words:
        _, key, value = word.split("=", 2) if word.count("=") >= 2 else ("", word, "")
        fields[key] = value
    return fields


def _words(attributes: Mapping[str, str]) -> list[str]:
    return [f"={k}={v}" for k, v in attributes.items()]


def _describe(error: BaseException) -> str:
    text = str(error) or type(error).__name__
    return f"{type(error).__name__}: {text}"[:500]
