"""Identity's own verifiable keys as an isp_common KeySet, read from its database rather than
fetched over HTTP from itself; cached for a few seconds, and read again at once (at most once a
second) for a kid the cache lacks: a key made by another replica just now."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence

import jwt

from isp_common.token_keys import ASYMMETRIC_ALGORITHMS, VerificationKey

from isp_identity.domain.sessions import SigningKey

CACHE_SECONDS = 5.0
RETRY_SECONDS = 1.0


class LocalKeys:
    def __init__(self, load: Callable[[], Awaitable[list[SigningKey]]]) -> None:
        self._load = load
        self._keys: dict[str, VerificationKey] = {}
        self._fresh_until = float("-inf")
        self._next_forced = float("-inf")
        self._lock = asyncio.Lock()

    async def candidates(self, kid: str | None) -> Sequence[VerificationKey]:
        keys = await self._current()
        if kid is None:
            return list(keys.values())
        if kid not in keys and time.monotonic() >= self._next_forced:
            keys = await self._refresh(force=True)
        return [keys[kid]] if kid in keys else []

    async def still_has(self, key_id: str) -> bool:
        return key_id in await self._current()

    def forget(self) -> None:
        """Read the keys again at the next token: this process's signer has just picked a key
        (perhaps a new one) and its tokens must verify at once."""
        self._fresh_until = float("-inf")
        self._next_forced = float("-inf")

    async def _current(self) -> Mapping[str, VerificationKey]:
        if time.monotonic() < self._fresh_until:
            return self._keys
        return await self._refresh(force=False)

    async def _refresh(self, *, force: bool) -> Mapping[str, VerificationKey]:
        async with self._lock:
            now = time.monotonic()
            if (force and now < self._next_forced) or (not force and now < self._fresh_until):
                return self._keys
            self._next_forced = now + RETRY_SECONDS
            keys: dict[str, VerificationKey] = {}
            for key in await self._load():
                jwk = jwt.PyJWK.from_dict(key.public_jwk)
                if jwk.algorithm_name in ASYMMETRIC_ALGORITHMS:
                    keys[key.kid] = VerificationKey(key.kid, jwk.key, jwk.algorithm_name)
            self._keys = keys
            self._fresh_until = now + CACHE_SECONDS
            return self._keys
