"""Refreshing a session's tokens once, however many requests notice at the same time.

A page fires several htmx requests together; each carries the same cookie, so each would spend
the same refresh token, and identity takes a spent token presented again for a stolen one and
ends the session. Here the first request refreshes; the others of this process wait for it and
get its answer, which is remembered for a short while for requests still carrying the old cookie.
"""

from __future__ import annotations

import asyncio
import hashlib
import time
from collections.abc import Awaitable, Callable

from isp_console.domain.session import Session

REMEMBER_SECONDS = 60.0


class Refresher:
    def __init__(self) -> None:
        self._running: dict[str, asyncio.Future[Session]] = {}
        self._done: dict[str, tuple[float, Session]] = {}

    async def refreshed(
        self, session: Session, refresh: Callable[[Session], Awaitable[Session]]
    ) -> Session:
        key = hashlib.sha256(session.refresh_token.encode()).hexdigest()
        self._forget_old()
        done = self._done.get(key)
        if done is not None:
            return done[1]
        running = self._running.get(key)
        if running is not None:
            return await asyncio.shield(running)
        future: asyncio.Future[Session] = asyncio.get_running_loop().create_future()
        self._running[key] = future
        try:
            fresh = await refresh(session)
        except BaseException as exc:
            future.set_exception(exc)
            future.exception()  # retrieved: no "never retrieved" warning when nobody waits
            raise
        else:
            future.set_result(fresh)
            self._done[key] = (time.monotonic(), fresh)
            return fresh
        finally:
            del self._running[key]

    def _forget_old(self) -> None:
        horizon = time.monotonic() - REMEMBER_SECONDS
        for key in [k for k, (at, _) in self._done.items() if at < horizon]:
            del self._done[key]
