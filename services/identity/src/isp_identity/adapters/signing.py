"""RSA signing keys and RS256 access tokens (pyjwt + cryptography).

A key's private half is stored as PEM encrypted with ISP_SECRET_KEY; its public half as the JWK
the JWKS document serves. The signer keeps the current key decrypted in memory for up to a
minute (and never past its signing window), so issuing a token costs one RSA signature and
hardly ever a database round trip, while a key deleted by hand, or a newer key another replica
made, is picked up within that minute.
"""

from __future__ import annotations

import asyncio
import json
import secrets
import time
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from isp_common.logging import get_logger

from isp_identity.domain.sessions import SigningKey
from isp_identity.use_cases.ports import SecretCipher

ALGORITHM = "RS256"
KEY_SIZE = 2048
KEY_CACHE_SECONDS = 60.0
log = get_logger(__name__)


def public_jwk(private_key: rsa.RSAPrivateKey, kid: str) -> dict[str, Any]:
    jwk: dict[str, Any] = json.loads(RSAAlgorithm.to_jwk(private_key.public_key()))
    return {**jwk, "kid": kid, "use": "sig", "alg": ALGORITHM}


class RsaKeyFactory:
    def __init__(self, cipher: SecretCipher) -> None:
        self._cipher = cipher

    def new_key(self, now: datetime, signs_until: datetime, verifies_until: datetime) -> SigningKey:
        private_key = rsa.generate_private_key(public_exponent=65537, key_size=KEY_SIZE)
        kid = secrets.token_urlsafe(16)
        pem = private_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ).decode()
        return SigningKey(
            kid=kid,
            private_key_encrypted=self._cipher.encrypt(pem),
            public_jwk=public_jwk(private_key, kid),
            created_at=now,
            signs_until=signs_until,
            verifies_until=verifies_until,
        )


class JwtSigner:
    """`current_key(now)`: the key that signs now, made if none does (a use case in the
    platform tenant's unit of work). `replace_unreadable(kid, now)`: the key that signs now
    once the current one, whose private half ISP_SECRET_KEY cannot decrypt, stopped signing;
    so a lost secret key costs a new signing key, not every login until the old key's window
    ends."""

    def __init__(
        self,
        cipher: SecretCipher,
        current_key: Callable[[datetime], Awaitable[SigningKey]],
        replace_unreadable: Callable[[str, datetime], Awaitable[SigningKey]],
    ) -> None:
        self._cipher = cipher
        self._current_key = current_key
        self._replace_unreadable = replace_unreadable
        self._key: SigningKey | None = None
        self._private: Any = None
        self._fresh_until = float("-inf")
        self._lock = asyncio.Lock()

    async def sign(self, claims: dict[str, Any], now: datetime) -> str:
        key, private = await self._signing_key(now)
        return jwt.encode(claims, private, algorithm=ALGORITHM, headers={"kid": key.kid})

    def _usable(self, now: datetime) -> SigningKey | None:
        key = self._key
        if key is None or key.signs_until <= now or time.monotonic() >= self._fresh_until:
            return None
        return key

    async def _signing_key(self, now: datetime) -> tuple[SigningKey, Any]:
        key = self._usable(now)
        if key is None:
            async with self._lock:
                key = self._usable(now)
                if key is None:
                    key = await self._current_key(now)
                    if self._key is None or key.kid != self._key.kid:
                        key, self._private = await self._load(key, now)
                    self._key = key
                    self._fresh_until = time.monotonic() + KEY_CACHE_SECONDS
        return key, self._private

    async def _load(self, key: SigningKey, now: datetime) -> tuple[SigningKey, Any]:
        try:
            pem = self._cipher.decrypt(key.private_key_encrypted)
        except ValueError:
            log.error("signing key unreadable with ISP_SECRET_KEY: replaced", kid=key.kid)
            key = await self._replace_unreadable(key.kid, now)
            pem = self._cipher.decrypt(key.private_key_encrypted)
        return key, serialization.load_pem_private_key(pem.encode(), None)

    def forget(self) -> None:
        """The next token loads the current key again (after a rotation, say)."""
        self._key = None
