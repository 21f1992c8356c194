"""The refresh grant: spend the presented refresh token, issue the next of its family and a
new access token; a spent token presented again revokes the family (docs/identity.md,
"Tokens")."""

from __future__ import annotations

from datetime import datetime

from isp_common.errors import Unauthorized

from isp_identity.domain.claims import TokenGrant
from isp_identity.domain.opaque_tokens import OpaqueToken
from isp_identity.domain.refresh import RefreshDecision, RevocationReason, decide_refresh
from isp_identity.use_cases.login_accounts import account_of
from isp_identity.use_cases.outcome import Outcome, refused
from isp_identity.use_cases.ports import UnitOfWork
from isp_identity.use_cases.sessions import TokenServices, issue_in_family, revoke_session


def invalid_refresh_token() -> Unauthorized:
    return Unauthorized("invalid or expired refresh token")


async def refresh_grant(
    uow: UnitOfWork, presented: OpaqueToken, services: TokenServices, now: datetime
) -> Outcome[TokenGrant]:
    # Locked in this order (token, then family) everywhere, so two refreshes of one token
    # serialise: the second sees the token spent and revokes the family.
    stored = await uow.sessions.token(presented.id, for_update=True)
    family = await uow.sessions.family(stored.family_id, for_update=True) if stored else None
    decision = decide_refresh(presented, stored, family, now)
    if decision is RefreshDecision.REFUSED:
        return refused(invalid_refresh_token())
    assert stored is not None and family is not None
    if decision is RefreshDecision.REUSED:
        await revoke_session(uow, family, RevocationReason.REUSE_DETECTED, now)
        return refused(invalid_refresh_token())
    account = await account_of(uow, family.subject)
    if account is None or not account.active:
        await revoke_session(uow, family, RevocationReason.ACCOUNT_DISABLED, now)
        return refused(invalid_refresh_token())
    await uow.sessions.mark_used(stored.id, now)
    return Outcome(await issue_in_family(uow, family, account, services, now))
