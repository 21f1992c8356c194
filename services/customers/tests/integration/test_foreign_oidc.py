"""Any OIDC provider's tokens, not only identity's: customers, configured with a provider's JWKS
URL, issuer and audience (ISP_JWKS_URL, ISP_JWT_ISSUER, ISP_JWT_AUDIENCE), accepts an RS256 token
that provider signed and refuses one with another issuer or audience, one signed by a key the
provider does not publish, an expired one, and the development HS256 token (no ISP_JWT_SECRET
was given beside the JWKS). The provider is a real HTTP server on this machine serving the JWKS
of a key pair made here; the service is customers' real app on the test database.
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from uuid import UUID

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from isp_common.auth import mint_token
from isp_common.settings import Settings
from isp_common.testing.fixtures import ServiceUnderTest

ISSUER = "https://sso.example.test/realms/isp"
AUDIENCE = "isp-api"


@dataclass
class Provider:
    """An OIDC provider's key endpoint: the keys it publishes, and how often it was asked."""

    url: str
    key: rsa.RSAPrivateKey
    kid: str
    fetches: list[str] = field(default_factory=list)

    def token(self, **overrides: Any) -> str:
        now = int(time.time())
        claims: dict[str, Any] = {
            "iss": ISSUER,
            "aud": AUDIENCE,
            "sub": "someone@provider",
            "tenant_id": str(uuid.uuid4()),
            "roles": ["admin"],
            "iat": now,
            "exp": now + 300,
        }
        claims.update(overrides)
        claims = {k: v for k, v in claims.items() if v is not None}
        return jwt.encode(claims, self.key, algorithm="RS256", headers={"kid": self.kid})


def _public_jwk(key: rsa.RSAPrivateKey, kid: str) -> dict[str, Any]:
    jwk = json.loads(RSAAlgorithm.to_jwk(key.public_key()))
    return {**jwk, "kid": kid, "use": "sig", "alg": "RS256"}


@pytest.fixture(scope="module")
def provider() -> Iterator[Provider]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    kid = uuid.uuid4().hex
    document = json.dumps({"keys": [_public_jwk(key, kid)]}).encode()
    fetches: list[str] = []

    class Keys(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:  # quiet
            pass

        def do_GET(self) -> None:
            fetches.append(self.path)
            found = self.path == "/protocol/openid-connect/certs"
            body = document if found else b"{}"
            self.send_response(200 if found else 404)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Keys)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = server.server_address[1]
    try:
        yield Provider(f"http://127.0.0.1:{port}/protocol/openid-connect/certs", key, kid, fetches)
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
async def client(
    service: ServiceUnderTest[Any], make_settings: Callable[..., Settings], provider: Provider
) -> AsyncIterator[httpx.AsyncClient]:
    """customers' app, verifying the provider's tokens only (no ISP_JWT_SECRET given)."""
    settings = make_settings(jwks_url=provider.url, jwt_issuer=ISSUER, jwt_audience=AUDIENCE)
    assert "jwt_secret" not in settings.model_fields_set
    async with contextlib.aclosing(service.build_runtime(settings)) as runtime:
        app = service.create_app(runtime)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://customers") as http:
            yield http


async def _list(client: httpx.AsyncClient, token: str) -> httpx.Response:
    return await client.get("/api/v1/customers", headers={"Authorization": f"Bearer {token}"})


def _unauthorized(answer: httpx.Response) -> None:
    assert answer.status_code == 401, answer.text
    body = answer.json()
    assert body["success"] is False and body["error"]["code"] == "UNAUTHORIZED", body


async def test_a_token_the_provider_signed_is_accepted(
    client: httpx.AsyncClient, provider: Provider
) -> None:
    tenant = uuid.uuid4()
    answer = await _list(client, provider.token(tenant_id=str(tenant)))
    assert answer.status_code == 200, answer.text
    assert answer.json()["data"] == [] and answer.json()["meta"]["total"] == 0
    assert "/protocol/openid-connect/certs" in provider.fetches


async def test_a_subscriber_token_of_the_provider_reaches_only_its_own_customer(
    client: httpx.AsyncClient, provider: Provider
) -> None:
    own, other = uuid.uuid4(), uuid.uuid4()
    token = provider.token(roles=["customer"], customer_id=str(own), sub=str(own))
    headers = {"Authorization": f"Bearer {token}"}
    # Known to the verifier as that customer: the other's record is not theirs to see.
    answer = await client.get(f"/api/v1/customers/{other}", headers=headers)
    assert answer.status_code == 404, answer.text


@pytest.mark.parametrize(
    ("what", "overrides"),
    [
        ("another issuer", {"iss": "https://evil.example.test"}),
        ("no issuer", {"iss": None}),
        ("another audience", {"aud": "someone-else"}),
        ("no audience", {"aud": None}),
        ("expired", {"exp": int(time.time()) - 120, "iat": int(time.time()) - 600}),
        ("no tenant", {"tenant_id": None}),
    ],
)
async def test_a_token_with_wrong_claims_is_refused(
    client: httpx.AsyncClient, provider: Provider, what: str, overrides: dict[str, Any]
) -> None:
    _unauthorized(await _list(client, provider.token(**overrides)))


async def test_a_key_the_provider_does_not_publish_is_refused(
    client: httpx.AsyncClient, provider: Provider
) -> None:
    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    now = int(time.time())
    claims = {"iss": ISSUER, "aud": AUDIENCE, "sub": "x", "tenant_id": str(UUID(int=1)),
              "roles": ["admin"], "iat": now, "exp": now + 300}  # fmt: skip
    for kid in (provider.kid, "unknown-kid"):
        forged = jwt.encode(claims, stranger, algorithm="RS256", headers={"kid": kid})
        _unauthorized(await _list(client, forged))


async def test_the_development_hs256_token_is_refused_beside_a_provider(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    """Signed with the public development secret, with the right issuer and audience: a
    service that trusts a provider takes no HS256 token unless ISP_JWT_SECRET is given."""
    dev = settings.model_copy(update={"jwt_issuer": ISSUER, "jwt_audience": AUDIENCE})
    token = mint_token(dev, tenant_id=uuid.uuid4(), roles=["admin"])
    _unauthorized(await _list(client, token))
