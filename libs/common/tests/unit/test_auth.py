import asyncio
import json
import threading
import time
import uuid
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from isp_common.auth import Principal, Role, TokenVerifier, ensure_customer_visible, mint_token
from isp_common.errors import NotFound, Unauthorized
from isp_common.settings import Settings

TENANT = uuid.uuid4()


async def test_minted_token_verifies_into_a_principal() -> None:
    settings = Settings()
    customer = uuid.uuid4()
    token = mint_token(
        settings, tenant_id=TENANT, roles=["customer"], sub="u1", customer_id=customer
    )
    principal = await TokenVerifier(settings).verify(token)
    assert principal == Principal(TENANT, "u1", frozenset({"customer"}), customer)
    assert principal.is_customer


@pytest.mark.parametrize(
    "claims",
    [
        {"sub": "x", "roles": ["admin"]},  # no tenant
        {"sub": "x", "tenant_id": "not-a-uuid", "roles": ["admin"]},
        {"sub": "x", "tenant_id": str(TENANT), "roles": ["root"]},  # unknown role only
        {"sub": "x", "tenant_id": str(TENANT), "roles": ["customer"]},  # customer without id
        {"tenant_id": str(TENANT), "roles": ["admin"]},  # no sub
    ],
)
async def test_tokens_without_a_valid_identity_are_refused(claims: dict[str, object]) -> None:
    settings = Settings()
    token = jwt.encode({**claims, "exp": int(time.time()) + 60}, settings.jwt_secret, "HS256")
    with pytest.raises(Unauthorized):
        await TokenVerifier(settings).verify(token)


async def test_expired_or_foreign_signed_tokens_are_refused() -> None:
    settings = Settings()
    expired = mint_token(settings, tenant_id=TENANT, roles=["admin"], ttl_seconds=-10)
    forged = mint_token(
        Settings(jwt_secret="another-secret-entirely-different-xx"),
        tenant_id=TENANT,
        roles=["admin"],
    )
    for token in (expired, forged, "garbage"):
        with pytest.raises(Unauthorized):
            await TokenVerifier(settings).verify(token)


def test_a_subscriber_sees_only_their_own_customer() -> None:
    own = uuid.uuid4()
    subscriber = Principal(TENANT, "s", frozenset({Role.CUSTOMER}), own)
    subscriber.ensure_can_see_customer(own)
    with pytest.raises(NotFound):
        subscriber.ensure_can_see_customer(uuid.uuid4())
    Principal(TENANT, "a", frozenset({Role.ADMIN})).ensure_can_see_customer(uuid.uuid4())


def test_a_subscribers_scope_is_its_own_customer_whatever_it_names() -> None:
    own, other = uuid.uuid4(), uuid.uuid4()
    subscriber = Principal(TENANT, "s", frozenset({Role.CUSTOMER}), own)
    staff = Principal(TENANT, "a", frozenset({Role.SUPPORT}))
    assert (subscriber.only_customer_id, staff.only_customer_id) == (own, None)
    assert subscriber.customer_filter(None) == own
    assert subscriber.customer_filter(own) == own
    with pytest.raises(NotFound) as refused:
        subscriber.customer_filter(other)
    assert refused.value.message == "customer not found"
    assert (staff.customer_filter(None), staff.customer_filter(other)) == (None, other)
    with pytest.raises(NotFound) as record:
        subscriber.ensure_can_see_customer(other, "invoice")
    assert record.value.message == "invoice not found"
    ensure_customer_visible(None, other, "ticket")
    with pytest.raises(NotFound):
        ensure_customer_visible(own, None, "ticket")


@pytest.fixture()
def jwks_server() -> Iterator[tuple[str, rsa.RSAPrivateKey]]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key()))
    body = json.dumps({"keys": [{**public, "kid": "k1", "use": "sig", "alg": "RS256"}]}).encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/jwks", key
    server.shutdown()


async def test_rs256_through_a_jwks_url_with_issuer_and_audience(
    jwks_server: tuple[str, rsa.RSAPrivateKey],
) -> None:
    url, key = jwks_server
    settings = Settings(jwks_url=url, jwt_issuer="https://idp.test", jwt_audience="isp")
    claims = {
        "sub": "op-1",
        "tenant_id": str(TENANT),
        "roles": ["finance"],
        "iss": "https://idp.test",
        "aud": "isp",
        "exp": int(time.time()) + 60,
    }
    token = jwt.encode(claims, key, algorithm="RS256", headers={"kid": "k1"})
    principal = await TokenVerifier(settings).verify(token)
    assert principal.roles == frozenset({"finance"})
    wrong_audience = jwt.encode({**claims, "aud": "other"}, key, "RS256", headers={"kid": "k1"})
    with pytest.raises(Unauthorized):
        await TokenVerifier(settings).verify(wrong_audience)
    # An HS256 token signed with the dev secret must not pass where RS256 is required.
    with pytest.raises(Unauthorized):
        await TokenVerifier(settings).verify(
            mint_token(Settings(), tenant_id=TENANT, roles=["admin"])
        )


async def test_a_remembered_token_still_expires() -> None:
    settings = Settings()
    verifier = TokenVerifier(settings)
    token = mint_token(settings, tenant_id=TENANT, roles=["admin"], ttl_seconds=1)
    first = await verifier.verify(token)
    assert await verifier.verify(token) is first
    await asyncio.sleep(1.5)
    with pytest.raises(Unauthorized):
        await verifier.verify(token)


OLD_SECRET = "the-old-hs256-secret-of-enough-length-xx"
NEW_SECRET = "the-new-hs256-secret-of-enough-length-xx"


async def test_hs256_rotation_accepts_the_old_key_until_it_is_removed() -> None:
    both = Settings(jwt_secret=f"{NEW_SECRET},{OLD_SECRET}")
    old_token = mint_token(Settings(jwt_secret=OLD_SECRET), tenant_id=TENANT, roles=["admin"])
    assert (await TokenVerifier(both).verify(old_token)).roles == {"admin"}
    # The first secret signs; tokens of it verify with the new key alone.
    new_token = mint_token(both, tenant_id=TENANT, roles=["admin"])
    await TokenVerifier(Settings(jwt_secret=NEW_SECRET)).verify(new_token)
    with pytest.raises(Unauthorized):
        await TokenVerifier(Settings(jwt_secret=NEW_SECRET)).verify(old_token)


class _Jwks:
    """A real HTTP server serving a JWKS the test can change."""

    def __init__(self) -> None:
        self.keys: dict[str, rsa.RSAPrivateKey] = {
            kid: rsa.generate_private_key(public_exponent=65537, key_size=2048)
            for kid in ("k1", "k2")
        }
        served = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                body = json.dumps(
                    {
                        "keys": [
                            {
                                **json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(k.public_key())),
                                "kid": kid,
                                "use": "sig",
                                "alg": "RS256",
                            }
                            for kid, k in list(served.keys.items())
                        ]
                    }
                ).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/jwks"

    def token(self, kid: str, ttl: int = 60, with_kid: bool = True) -> str:
        claims = {
            "sub": "op",
            "tenant_id": str(TENANT),
            "roles": ["admin"],
            "iss": "https://idp.test",
            "aud": "isp",
            "exp": int(time.time()) + ttl,
        }
        headers = {"kid": kid} if with_kid else None
        return jwt.encode(claims, self.keys[kid], algorithm="RS256", headers=headers)


@pytest.fixture()
def jwks() -> Iterator[_Jwks]:
    served = _Jwks()
    thread = threading.Thread(target=served.server.serve_forever, daemon=True)
    thread.start()
    yield served
    served.server.shutdown()


def _jwks_settings(url: str, refresh: float = 300.0) -> Settings:
    return Settings(
        jwks_url=url,
        jwks_refresh_seconds=refresh,
        jwt_issuer="https://idp.test",
        jwt_audience="isp",
    )


async def test_every_key_of_the_jwks_verifies(jwks: _Jwks) -> None:
    verifier = TokenVerifier(_jwks_settings(jwks.url))
    for kid in ("k1", "k2"):
        assert (await verifier.verify(jwks.token(kid))).sub == "op"
        # A token without a kid is tried against each key of the set.
        assert (await verifier.verify(jwks.token(kid, with_kid=False))).sub == "op"


async def test_a_key_removed_from_the_jwks_stops_a_remembered_token(jwks: _Jwks) -> None:
    verifier = TokenVerifier(_jwks_settings(jwks.url, refresh=0.2))
    old, new = jwks.token("k1"), jwks.token("k2")
    await verifier.verify(old)
    await verifier.verify(new)
    assert verifier._verified[old].key_id == "k1"  # remembered, with its key
    del jwks.keys["k1"]
    deadline = time.monotonic() + 10
    while True:  # until the set is refreshed (its lifespan is 0.2 s)
        try:
            await verifier.verify(old)
        except Unauthorized:
            break
        assert time.monotonic() < deadline, "the removed key still verifies"
        await asyncio.sleep(0.05)
    assert (await verifier.verify(new)).sub == "op"
