"""The keys a TokenVerifier accepts: several at once, so they rotate without downtime.

HS256: the secrets of ISP_JWT_SECRET (the first signs, all verify). JWKS: every key of the
provider's set, fetched again once it is ISP_JWKS_REFRESH_SECONDS old, so a key the provider
removed stops verifying, even for tokens a verifier already remembers. Both at once
(CombinedKeys) when ISP_JWT_SECRET is set explicitly beside ISP_JWKS_URL (`key_set_for`); a
service may also hand its TokenVerifier a set of its own (identity verifies its own keys from
its database).
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

import httpx
import jwt

from isp_common.errors import ServiceUnavailable
from isp_common.logging import get_logger

if TYPE_CHECKING:
    from isp_common.settings import Settings

log = get_logger(__name__)

# What a JWKS key may verify: public-key algorithms only, so a token can never pick HS256
# and be "signed" with a public key (algorithm confusion).
ASYMMETRIC_ALGORITHMS = frozenset(
    {"RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"}
)


@dataclass(frozen=True)
class VerificationKey:
    id: str  # what a remembered token keeps, to find out later whether its key is still current
    key: Any
    algorithm: str


class KeySet(Protocol):
    async def candidates(self, kid: str | None) -> Sequence[VerificationKey]:
        """The keys that may have signed a token with this `kid` header, best first."""
        ...

    async def still_has(self, key_id: str) -> bool: ...


def _fingerprint(material: str) -> str:
    return hashlib.sha256(material.encode()).hexdigest()[:16]


class HmacKeys:
    def __init__(self, secrets: Sequence[str]) -> None:
        self._keys = tuple(
            VerificationKey(f"hs:{_fingerprint(secret)}", secret, "HS256") for secret in secrets
        )
        self._ids = frozenset(key.id for key in self._keys)

    async def candidates(self, kid: str | None) -> Sequence[VerificationKey]:
        return self._keys

    async def still_has(self, key_id: str) -> bool:
        return key_id in self._ids


class JwksKeys:
    """A JWKS document's keys, loaded again when older than `refresh_seconds`, and at once (at
    most every `retry_seconds`) when a token names a kid the set lacks: a key just added.
    `load` gives the document: an OIDC provider's over HTTP (`from_url`), or identity's own
    from its database."""

    def __init__(
        self,
        load: Callable[[], Awaitable[Any]],
        *,
        refresh_seconds: float,
        retry_seconds: float = 10.0,
        source: str = "the identity provider",
    ) -> None:
        self._load = load
        self._refresh_seconds = refresh_seconds
        self._retry_seconds = retry_seconds
        self._source = source
        self._keys: dict[str, VerificationKey] = {}
        self._fresh_until = float("-inf")
        self._next_forced = float("-inf")
        self._lock = asyncio.Lock()

    @classmethod
    def from_url(cls, url: str, *, refresh_seconds: float, timeout_seconds: float) -> JwksKeys:
        async def fetch() -> Any:
            async with httpx.AsyncClient(timeout=timeout_seconds) as client:
                response = await client.get(url)
                response.raise_for_status()
                return response.json()

        return cls(fetch, refresh_seconds=refresh_seconds, source=url)

    async def candidates(self, kid: str | None) -> Sequence[VerificationKey]:
        keys = await self._current()
        if kid is None:
            return list(keys.values())
        if kid not in keys and time.monotonic() >= self._next_forced:
            keys = await self._refresh(force=True)
        if kid in keys:
            return [keys[kid]]
        return [key for key in keys.values() if key.id.startswith("jwk:")]  # keys without a kid

    async def still_has(self, key_id: str) -> bool:
        return key_id in await self._current()

    def forget(self) -> None:
        """Load the document again at the next token (a key was just made)."""
        self._fresh_until = float("-inf")
        self._next_forced = float("-inf")

    async def _current(self) -> Mapping[str, VerificationKey]:
        if time.monotonic() < self._fresh_until:
            return self._keys
        return await self._refresh(force=False)

    async def _refresh(self, *, force: bool) -> Mapping[str, VerificationKey]:
        async with self._lock:
            now = time.monotonic()
            if force:
                if now < self._next_forced:
                    return self._keys
            elif now < self._fresh_until:
                return self._keys  # another request refreshed while this one waited
            self._next_forced = now + self._retry_seconds
            try:
                self._keys = _keys_of(await self._load())
                self._fresh_until = now + self._refresh_seconds
            except (httpx.HTTPError, ValueError, jwt.PyJWTError) as exc:
                if not self._keys:
                    raise ServiceUnavailable(
                        "the identity provider's keys cannot be fetched"
                    ) from exc
                # Keep the keys we had (an outage must not log everyone out); try again soon.
                self._fresh_until = now + self._retry_seconds
                log.warning("jwks_refresh_failed", source=self._source, error=type(exc).__name__)
            return self._keys


def _keys_of(document: Any) -> dict[str, VerificationKey]:
    keys: dict[str, VerificationKey] = {}
    for entry in document.get("keys", []) if isinstance(document, dict) else []:
        if not isinstance(entry, dict) or entry.get("use", "sig") != "sig":
            continue
        try:
            jwk = jwt.PyJWK.from_dict(entry)
        except jwt.PyJWTError:
            continue  # a key type this library cannot use; the others still verify
        if jwk.algorithm_name not in ASYMMETRIC_ALGORITHMS:
            continue
        key_id = jwk.key_id or f"jwk:{_fingerprint(json.dumps(entry, sort_keys=True))}"
        keys[key_id] = VerificationKey(key_id, jwk.key, jwk.algorithm_name)
    return keys


class CombinedKeys:
    """Several key sets accepted at once: an OIDC provider's JWKS beside the HS256 secrets of
    ISP_JWT_SECRET, or identity's own keys beside them. Each key keeps its own algorithm (the
    verifier tries a key only for a token whose header names that algorithm), so a token can
    never have its RS256 public key taken for an HMAC secret."""

    def __init__(self, *sets: KeySet) -> None:
        self._sets = sets

    async def candidates(self, kid: str | None) -> Sequence[VerificationKey]:
        found: list[VerificationKey] = []
        unavailable: ServiceUnavailable | None = None
        for keys in self._sets:
            try:
                found.extend(await keys.candidates(kid))
            except ServiceUnavailable as exc:
                unavailable = exc  # another set may still verify this token
        if not found and unavailable is not None:
            raise unavailable
        return found

    async def still_has(self, key_id: str) -> bool:
        for keys in self._sets:
            try:
                if await keys.still_has(key_id):
                    return True
            except ServiceUnavailable:
                continue
        return False


def accepted_hmac_secrets(settings: Settings) -> tuple[str, ...]:
    """The HS256 secrets a service accepts: ISP_JWT_SECRET's when no JWKS is configured; beside
    ISP_JWKS_URL only when ISP_JWT_SECRET is set explicitly (the development default is never
    accepted next to a real provider, and production refuses it anyway)."""
    if not settings.jwks_url or "jwt_secret" in settings.model_fields_set:
        return settings.jwt_secrets
    return ()


def key_set_for(settings: Settings) -> KeySet:
    """What a service verifies with, from its settings (identity passes its own set instead)."""
    secrets = accepted_hmac_secrets(settings)
    if not settings.jwks_url:
        return HmacKeys(secrets)
    jwks = JwksKeys.from_url(
        settings.jwks_url,
        refresh_seconds=settings.jwks_refresh_seconds,
        timeout_seconds=settings.http_timeout_seconds,
    )
    return CombinedKeys(jwks, HmacKeys(secrets)) if secrets else jwks
