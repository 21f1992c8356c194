"""Key sets side by side: identity's (or a provider's) RSA keys beside HS256 secrets, each key
verifying only with its own algorithm; which HS256 secrets a service accepts beside a JWKS."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from collections.abc import Sequence
from uuid import uuid4

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from isp_common.auth import TokenVerifier, mint_token
from isp_common.errors import ServiceUnavailable, Unauthorized
from isp_common.settings import DEV_JWT_SECRET, ConfigurationError, Settings
from isp_common.token_keys import (
    CombinedKeys,
    HmacKeys,
    VerificationKey,
    accepted_hmac_secrets,
)

PRIVATE = rsa.generate_private_key(public_exponent=65537, key_size=2048)


class RsaKeys:
    def __init__(self, *, down: bool = False) -> None:
        self.down = down

    async def candidates(self, kid: str | None) -> Sequence[VerificationKey]:
        if self.down:
            raise ServiceUnavailable("the provider is down")
        return [VerificationKey("rsa-1", PRIVATE.public_key(), "RS256")]

    async def still_has(self, key_id: str) -> bool:
        return key_id == "rsa-1"


def claims(**extra: object) -> dict[str, object]:
    now = int(time.time())
    return {
        "sub": "u",
        "tenant_id": str(uuid4()),
        "roles": ["admin"],
        "iat": now,
        "exp": now + 60,
        **extra,
    }


SETTINGS = Settings(service_name="customers")


async def test_both_kinds_verify_through_one_set() -> None:
    verifier = TokenVerifier(SETTINGS, CombinedKeys(RsaKeys(), HmacKeys(SETTINGS.jwt_secrets)))
    rs = jwt.encode(claims(sid="s1"), PRIVATE, algorithm="RS256", headers={"kid": "rsa-1"})
    assert (await verifier.verify(rs)).session_id == "s1"
    hs = mint_token(SETTINGS, tenant_id=uuid4(), roles=["viewer"])
    assert (await verifier.verify(hs)).roles == {"viewer"}


def _hs256_by_hand(payload: dict[str, object], key: bytes) -> str:
    """pyjwt refuses a PEM as an HMAC key, so the forgery is signed by hand."""

    def b64(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    head = b64(json.dumps({"alg": "HS256", "kid": "rsa-1"}).encode())
    body = b64(json.dumps(payload).encode())
    signature = hmac.new(key, f"{head}.{body}".encode(), hashlib.sha256).digest()
    return f"{head}.{body}.{b64(signature)}"


async def test_the_public_key_is_never_an_hmac_secret() -> None:
    pem = PRIVATE.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    verifier = TokenVerifier(SETTINGS, CombinedKeys(RsaKeys(), HmacKeys(SETTINGS.jwt_secrets)))
    with pytest.raises(Unauthorized):
        await verifier.verify(_hs256_by_hand(claims(), pem))
    with pytest.raises(Unauthorized):
        await verifier.verify(jwt.encode(claims(), None, algorithm="none"))


async def test_one_set_down_does_not_stop_the_other() -> None:
    verifier = TokenVerifier(
        SETTINGS, CombinedKeys(RsaKeys(down=True), HmacKeys(SETTINGS.jwt_secrets))
    )
    hs = mint_token(SETTINGS, tenant_id=uuid4(), roles=["viewer"])
    assert (await verifier.verify(hs)).roles == {"viewer"}
    alone = TokenVerifier(SETTINGS, CombinedKeys(RsaKeys(down=True)))
    with pytest.raises(ServiceUnavailable):
        await alone.verify(hs)


def test_beside_a_jwks_only_an_explicit_secret_is_accepted() -> None:
    assert accepted_hmac_secrets(Settings(service_name="customers")) == SETTINGS.jwt_secrets
    with_jwks = Settings(service_name="customers", jwks_url="http://identity/.well-known/jwks.json")
    assert accepted_hmac_secrets(with_jwks) == ()
    explicit = Settings(
        service_name="customers",
        jwks_url="http://identity/.well-known/jwks.json",
        jwt_secret="s" * 40,
    )
    assert accepted_hmac_secrets(explicit) == ("s" * 40,)


PRODUCTION = {
    "environment": "production",
    "jwks_url": "https://identity.example/.well-known/jwks.json",
    "jwt_issuer": "https://identity.example",
    "jwt_audience": "isp",
    "service_db_password": "a-real-password",
}


def test_production_refuses_the_development_secret_even_beside_a_jwks() -> None:
    Settings(service_name="tickets", **PRODUCTION)  # type: ignore[arg-type]
    Settings(service_name="tickets", jwt_secret="r" * 40, **PRODUCTION)  # type: ignore[arg-type]
    for secret in (DEV_JWT_SECRET, "short"):
        with pytest.raises(ConfigurationError, match="ISP_JWT_SECRET"):
            Settings(service_name="tickets", jwt_secret=secret, **PRODUCTION)  # type: ignore[arg-type]
