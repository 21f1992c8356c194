"""The platform's signing keys (the platform tenant's unit of work): the current one, made when
none signs (two replicas racing both make one: harmless, both verify), rotation, and the
public set (docs/identity.md, "Signing keys")."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from isp_identity.domain.sessions import SigningKey
from isp_identity.domain.signing_keys import key_window, signing_key
from isp_identity.use_cases.ports import KeyFactory, UnitOfWork


@dataclass(frozen=True)
class KeyPolicy:
    rotation_days: int
    access_token_seconds: int


async def current_signing_key(
    uow: UnitOfWork, factory: KeyFactory, policy: KeyPolicy, now: datetime
) -> SigningKey:
    key = signing_key(await uow.signing_keys.verifiable(now), now)
    if key is not None:
        return key
    window = key_window(now, policy.rotation_days, policy.access_token_seconds)
    new = factory.new_key(now, window.signs_until, window.verifies_until)
    await uow.signing_keys.add(new)
    return new


async def replace_unreadable_key(
    uow: UnitOfWork, kid: str, factory: KeyFactory, policy: KeyPolicy, now: datetime
) -> SigningKey:
    """The current key's private half cannot be decrypted (ISP_SECRET_KEY was lost or replaced
    without its old key): it stops signing now and a new key signs. Its public half stays in
    the JWKS until its window closes, so the tokens it signed still verify."""
    for key in await uow.signing_keys.verifiable(now):
        if key.kid == kid and key.signs_until > now:
            await uow.signing_keys.save(replace(key, signs_until=now))
    return await current_signing_key(uow, factory, policy, now)


@dataclass(frozen=True)
class Rotation:
    signing_kid: str
    deleted: int


async def rotate_signing_keys(
    uow: UnitOfWork, factory: KeyFactory, policy: KeyPolicy, now: datetime
) -> Rotation:
    """Drops keys past their verification window; makes a new key once none signs."""
    deleted = await uow.signing_keys.delete_expired(now)
    key = await current_signing_key(uow, factory, policy, now)
    return Rotation(key.kid, deleted)


async def published_keys(uow: UnitOfWork, now: datetime) -> dict[str, Any]:
    """The JWKS document: every key whose verification window is open."""
    return {"keys": [key.public_jwk for key in await uow.signing_keys.verifiable(now)]}
