"""Identity's tokens verify at any other service through a real HTTP fetch of its JWKS (the
shared TokenVerifier, as every service runs it); a key out of the JWKS verifies nothing; keys
rotate: a new one signs once the old stops, the old verifies until its window closes."""

from __future__ import annotations

import asyncio
import base64
import dataclasses
import hashlib
import hmac
import json
import socket
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

import httpx
import jwt
import pytest
import uvicorn
from cryptography.hazmat.primitives import serialization
from sqlalchemy import text

from isp_common.auth import TokenVerifier, mint_token
from isp_common.errors import Unauthorized
from isp_common.settings import Settings

from isp_identity.app import create_identity_app
from isp_identity.use_cases.signing_keys import KeyPolicy, rotate_signing_keys

if TYPE_CHECKING:
    from conftest import LoginWorld

    from isp_identity.bootstrap import Runtime


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@asynccontextmanager
async def serving(runtime: Runtime) -> AsyncIterator[str]:
    """The identity app on a real port (its lifespan off: the session's database stays open)."""
    port = free_port()
    config = uvicorn.Config(
        create_identity_app(runtime),
        host="127.0.0.1",
        port=port,
        lifespan="off",
        log_level="warning",
    )
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    try:
        while not server.started:
            if task.done():
                task.result()
            await asyncio.sleep(0.01)  # polling for a condition (the socket bound), not a delay
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task


def verifier_at(base_url: str, **overrides: Any) -> TokenVerifier:
    """What another service runs with ISP_JWKS_URL pointing at identity."""
    settings = Settings(
        service_name="customers", jwks_url=f"{base_url}/.well-known/jwks.json", **overrides
    )
    return TokenVerifier(settings)


async def access_token(world: LoginWorld, *roles: str) -> str:
    user = await world.staff(roles=roles or ("support",))
    answer = await world.login(user.email)
    assert answer.status_code == 200, answer.text
    return str(answer.json()["access_token"])


async def test_another_service_verifies_identity_s_token_through_the_jwks(
    world: LoginWorld, runtime: Runtime
) -> None:
    token = await access_token(world, "finance")
    async with serving(runtime) as base_url:
        principal = await verifier_at(base_url).verify(token)
        assert principal.tenant_id == world.tenant.id
        assert principal.roles == {"finance"}
        checked = verifier_at(base_url, jwt_issuer=runtime.settings.token_issuer)
        assert (await checked.verify(token)).sub == principal.sub
        with pytest.raises(Unauthorized):
            await verifier_at(base_url, jwt_issuer="someone-else").verify(token)
        # Beside a JWKS the development HS256 secret is not accepted unless set explicitly.
        dev = mint_token(runtime.settings, tenant_id=world.tenant.id, roles=["admin"])
        with pytest.raises(Unauthorized):
            await verifier_at(base_url).verify(dev)
        explicit = verifier_at(base_url, jwt_secret=runtime.settings.jwt_secret)
        assert (await explicit.verify(dev)).roles == {"admin"}
        assert (await explicit.verify(token)).roles == {"finance"}


async def test_a_token_signed_with_the_public_key_as_an_hmac_secret_is_refused(
    world: LoginWorld, runtime: Runtime
) -> None:
    token = await access_token(world)
    async with serving(runtime) as base_url:
        async with httpx.AsyncClient() as client:
            jwks = (await client.get(f"{base_url}/.well-known/jwks.json")).json()
        kid = jwt.get_unverified_header(token)["kid"]
        public = jwt.PyJWK.from_dict(next(k for k in jwks["keys"] if k["kid"] == kid)).key
        pem = public.public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        claims = jwt.decode(token, options={"verify_signature": False})
        forged = _hs256(claims | {"roles": ["admin"]}, pem, kid)
        verifier = verifier_at(base_url, jwt_secret=runtime.settings.jwt_secret)
        with pytest.raises(Unauthorized):
            await verifier.verify(forged)


def _hs256(claims: dict[str, Any], key: bytes, kid: str) -> str:
    """pyjwt refuses a PEM as an HMAC key, so the forgery is made by hand."""

    def b64(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    head = b64(json.dumps({"alg": "HS256", "typ": "JWT", "kid": kid}).encode())
    body = b64(json.dumps(claims).encode())
    signature = hmac.new(key, f"{head}.{body}".encode(), hashlib.sha256).digest()
    return f"{head}.{body}.{b64(signature)}"


async def test_a_key_out_of_the_jwks_verifies_nothing(world: LoginWorld, runtime: Runtime) -> None:
    now = datetime.now(UTC)
    # A token of the current key that lives far longer than any key's window.
    claims = jwt.decode(await access_token(world), options={"verify_signature": False})
    long_lived = await runtime.signer.sign(
        {**claims, "exp": int((now + timedelta(days=400)).timestamp())}, now
    )
    async with serving(runtime) as base_url:
        assert (await verifier_at(base_url).verify(long_lived)).tenant_id == world.tenant.id
    # The same identity a year on: every key of today is past its window, out of the JWKS.
    later = now + timedelta(days=runtime.settings.identity_key_rotation_days + 365)
    future: Runtime = dataclasses.replace(runtime, clock=lambda: later)
    async with serving(future) as base_url:
        with pytest.raises(Unauthorized):
            await verifier_at(base_url).verify(long_lived)


async def test_keys_rotate_and_retire_on_their_windows(runtime: Runtime) -> None:
    # Rotation is tenant-agnostic: a keyring of its own (another platform tenant id) keeps the
    # session's real keys out of it.
    keyring = uuid.uuid4()
    policy = KeyPolicy(rotation_days=30, access_token_seconds=900)
    start = datetime.now(UTC)

    async def rotate(at: datetime) -> Any:
        return await runtime.run(keyring, rotate_signing_keys, runtime.key_factory, policy, at)

    async def jwks(at: datetime) -> set[str]:
        async def kids(uow: Any) -> set[str]:
            return {key.kid for key in await uow.signing_keys.verifiable(at)}

        return await runtime.run(keyring, kids)

    first = await rotate(start)
    assert (await rotate(start + timedelta(days=29))).signing_kid == first.signing_kid
    after = start + timedelta(days=30, seconds=1)
    second = await rotate(after)
    assert second.signing_kid != first.signing_kid and second.deleted == 0
    assert await jwks(after) == {first.signing_kid, second.signing_kid}
    gone = start + timedelta(days=30, minutes=21)  # 15 min of tokens + 5 of clock skew later
    third = await rotate(gone)
    assert (third.signing_kid, third.deleted) == (second.signing_kid, 1)
    assert await jwks(gone) == {second.signing_kid}


async def test_the_first_token_makes_a_key_and_the_jwks_holds_no_private_part(
    world: LoginWorld, runtime: Runtime, owner_engine: Any
) -> None:
    await access_token(world)
    client = world.tenant.anonymous_client()
    answer = await client.get("http://identity/.well-known/jwks.json")
    assert answer.status_code == 200
    keys = answer.json()["keys"]
    private_parts = {"d", "p", "q", "dp", "dq", "qi"}
    assert keys and all(not (set(k) & private_parts) and k["kty"] == "RSA" for k in keys)
    assert all(k["alg"] == "RS256" and k["use"] == "sig" for k in keys)
    async with owner_engine.connect() as conn:
        stored = (
            (await conn.execute(text("SELECT private_key_encrypted FROM identity.signing_keys")))
            .scalars()
            .all()
        )
    assert stored and not any("PRIVATE KEY" in value for value in stored)


async def test_after_logout_other_services_accept_the_access_token_until_it_expires(
    world: LoginWorld, runtime: Runtime
) -> None:
    """The documented trade-off (docs/identity.md, "Tokens"): identity refuses the ended
    session's access token at once; another service, verifying signatures only, until `exp`."""
    user = await world.staff(roles=("support",))
    grant = (await world.login(user.email)).json()
    client = world.tenant.anonymous_client()
    ended = await client.post("/auth/logout", json={"refresh_token": grant["refresh_token"]})
    assert ended.status_code == 204
    me = await world.tenant.anonymous_client(
        {"Authorization": f"Bearer {grant['access_token']}"}
    ).get("/auth/me")
    assert me.status_code == 401
    async with serving(runtime) as base_url:
        principal = await verifier_at(base_url).verify(grant["access_token"])
    assert principal.sub == str(user.id)


async def test_a_lost_secret_key_costs_a_new_signing_key_not_the_logins(
    world: LoginWorld, runtime: Runtime, service: Any, make_settings: Any
) -> None:
    from cryptography.fernet import Fernet

    before = jwt.get_unverified_header(await access_token(world))["kid"]
    # The same database, but ISP_SECRET_KEY replaced without its old key: the stored private
    # half cannot be decrypted any more.
    stranger = service.build_runtime(make_settings(secret_key=Fernet.generate_key().decode()))
    try:
        now = datetime.now(UTC)
        token = await stranger.signer.sign({"sub": "probe", "exp": now + timedelta(minutes=5)}, now)
        after = jwt.get_unverified_header(token)["kid"]
        published = await world.tenant.anonymous_client().get(
            "http://identity/.well-known/jwks.json"
        )
        kids = {key["kid"] for key in published.json()["keys"]}
    finally:
        await stranger.aclose()
    assert after != before
    assert {before, after} <= kids  # what the lost key signed still verifies until it expires
