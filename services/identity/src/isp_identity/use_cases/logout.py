"""Logout ends the refresh token's whole family; a token that is not one (or already ended)
changes nothing and answers the same, as RFC 7009 has it."""

from __future__ import annotations

from datetime import datetime

from isp_identity.domain.opaque_tokens import OpaqueToken, secret_matches
from isp_identity.domain.refresh import RevocationReason
from isp_identity.use_cases.ports import UnitOfWork
from isp_identity.use_cases.sessions import revoke_session


async def logout(uow: UnitOfWork, presented: OpaqueToken, now: datetime) -> None:
    stored = await uow.sessions.token(presented.id)
    if stored is None or not secret_matches(stored.secret_hash, presented.secret):
        return
    family = await uow.sessions.family(stored.family_id, for_update=True)
    if family is not None:
        await revoke_session(uow, family, RevocationReason.LOGOUT, now)
