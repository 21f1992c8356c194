"""The password grant: staff by email, then subscribers by customer code, PPPoE username or
phone, of the named tenant; a second factor for staff who turned TOTP on.

Every refusal looks the same ("invalid credentials", 401) whether the tenant, the account or
the password was wrong, or the account is disabled; a missing account still costs one argon2
verification; a locked name or source answers 429 before any check."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from isp_common.errors import Unauthorized

from isp_identity.domain.claims import TokenGrant
from isp_identity.use_cases.login_accounts import LoginAccount, account_named
from isp_identity.use_cases.login_throttle import LoginGate
from isp_identity.use_cases.outcome import Outcome, refused
from isp_identity.use_cases.password_work import hash_password, verify_password
from isp_identity.use_cases.ports import SecretCipher, TotpCodes, UnitOfWork
from isp_identity.use_cases.sessions import TokenServices, invalid_credentials, start_session


@dataclass(frozen=True)
class PasswordLogin:
    # False when the slug named no active tenant: the unit of work is then the platform's,
    # where only the throttle is kept, and nobody logs in.
    tenant_known: bool
    username: str
    password: str
    totp_code: str | None
    source_address: str | None


@dataclass(frozen=True)
class SecondFactor:
    codes: TotpCodes
    cipher: SecretCipher


def totp_required() -> Unauthorized:
    return Unauthorized("a TOTP code is required", {"mfa": "totp_required"})


async def password_grant(
    uow: UnitOfWork,
    login: PasswordLogin,
    services: TokenServices,
    second_factor: SecondFactor,
    now: datetime,
) -> Outcome[TokenGrant]:
    gate = await LoginGate.open(
        uow, login_name=login.username, source_address=login.source_address, now=now
    )
    if gate.retry_after():
        return refused(gate.refuse_locked())
    account = await account_named(uow, login.username) if login.tenant_known else None
    verified = await verify_password(
        services.passwords, account.password_hash if account else None, login.password
    )
    if account is None or not verified or not account.active:
        reason = "disabled" if account is not None and verified else "bad_credentials"
        await gate.fail(reason, account.subject if account else None)
        return refused(invalid_credentials())
    staff = account.staff
    if staff is not None and staff.totp_enabled and staff.totp_secret_encrypted:
        if not login.totp_code:
            gate.note("totp_required", account.subject)
            return refused(totp_required())
        secret = second_factor.cipher.decrypt(staff.totp_secret_encrypted)
        step = second_factor.codes.matching_step(secret, login.totp_code, now)
        # A code is good once: its step must be later than the last one this user logged in with.
        if step is None or not await uow.totp_steps.claim(staff.id, step, now):
            await gate.fail("bad_totp", account.subject)
            return refused(invalid_credentials({"mfa": "totp_invalid"}))
    await gate.succeed()
    account = await _rehashed(uow, account, login.password, services)
    return Outcome(await start_session(uow, account, services, now))


async def _rehashed(
    uow: UnitOfWork, account: LoginAccount, password: str, services: TokenServices
) -> LoginAccount:
    """argon2's parameters moved on since the hash was made: store a hash made with today's
    (a login is the only moment the password is at hand). Not a password change: no event."""
    current = account.password_hash
    if current is None or not services.passwords.needs_rehash(current):
        return account
    new_hash = await hash_password(services.passwords, password)
    if account.staff is not None:
        user = replace(account.staff, password_hash=new_hash)
        await uow.users.save(user)
        return replace(account, staff=user)
    assert account.portal is not None
    portal = replace(account.portal, password_hash=new_hash)
    await uow.portal_accounts.save(portal)
    return replace(account, portal=portal)
