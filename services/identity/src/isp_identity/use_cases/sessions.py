"""Starting and ending login sessions (refresh token families), shared by the login, refresh,
logout and password use cases."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from isp_common.contracts.identity import SessionRevoked
from isp_common.errors import Unauthorized

from isp_identity.domain.claims import TokenGrant, TokenPolicy, access_claims
from isp_identity.domain.refresh import (
    RevocationReason,
    family_is_live,
    new_family,
    next_token,
    revoked,
)
from isp_identity.domain.sessions import Subject, TokenFamily
from isp_identity.use_cases.login_accounts import LoginAccount
from isp_identity.use_cases.ports import AccessTokenSigner, Passwords, UnitOfWork

# The one answer for every refused credential: no answer tells whether an account exists.
INVALID_CREDENTIALS = "invalid credentials"


def invalid_credentials(details: dict[str, str] | None = None) -> Unauthorized:
    return Unauthorized(INVALID_CREDENTIALS, details)


@dataclass(frozen=True)
class TokenServices:
    """What issuing tokens needs besides the unit of work."""

    passwords: Passwords
    signer: AccessTokenSigner
    policy: TokenPolicy


async def start_session(
    uow: UnitOfWork, account: LoginAccount, services: TokenServices, now: datetime
) -> TokenGrant:
    family = new_family(account.subject, now, services.policy.refresh_token_days)
    await uow.sessions.add_family(family)
    return await issue_in_family(uow, family, account, services, now)


async def issue_in_family(
    uow: UnitOfWork,
    family: TokenFamily,
    account: LoginAccount,
    services: TokenServices,
    now: datetime,
) -> TokenGrant:
    opaque, stored = next_token(family, now)
    await uow.sessions.add_token(stored)
    claims = access_claims(
        services.policy,
        tenant_id=uow.tenant_id,
        subject=account.subject,
        roles=account.roles,
        session_id=family.id,
        now=now,
    )
    access_token = await services.signer.sign(claims, now)
    return TokenGrant(access_token, opaque.text, services.policy.access_token_seconds)


def _raise_revoked(
    uow: UnitOfWork, family: TokenFamily, reason: RevocationReason, now: datetime
) -> None:
    uow.raise_event(
        "identity.session.revoked",
        family.id,
        2,  # a family's one change after its creation
        SessionRevoked(
            family_id=family.id,
            subject_kind=str(family.subject.kind),
            subject_id=family.subject.id,
            reason=str(reason),
            at=now,
        ),
    )


async def revoke_session(
    uow: UnitOfWork, family: TokenFamily, reason: RevocationReason, now: datetime
) -> None:
    if not family_is_live(family, now):
        return
    ended = revoked(family, reason, now)
    await uow.sessions.revoke_family(ended.id, str(reason), now)
    _raise_revoked(uow, ended, reason, now)


async def revoke_all_sessions(
    uow: UnitOfWork, subject: Subject, reason: RevocationReason, now: datetime
) -> int:
    """Every live family of the subject, each with its identity.session.revoked."""
    families = await uow.sessions.live_families(subject, now)
    for family in families:
        await revoke_session(uow, family, reason, now)
    return len(families)
