"""A staff user's TOTP second factor: set up (the secret revealed once), confirmed with a
first code (only then does login ask for one), turned off with the password."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from isp_common.auth import Principal
from isp_common.errors import Forbidden, InvalidState, ValidationFailed

from isp_identity.domain.accounts import StaffUser
from isp_identity.use_cases.account_events import raise_user_event
from isp_identity.use_cases.caller import caller_account
from isp_identity.use_cases.change_password import verify_own_password
from isp_identity.use_cases.outcome import Outcome, refused
from isp_identity.use_cases.ports import Passwords, SecretCipher, TotpCodes, UnitOfWork

ISSUER = "ISP platform"


@dataclass(frozen=True)
class TotpSetup:
    secret: str
    otpauth_uri: str


async def _staff(uow: UnitOfWork, principal: Principal, now: datetime) -> StaffUser:
    account = await caller_account(uow, principal, now, for_update=True)
    if account.staff is None:
        raise Forbidden("a second factor is for staff accounts")
    return account.staff


def _changed(user: StaffUser, now: datetime, **changes: object) -> StaffUser:
    return replace(user, **changes, version=user.version + 1, updated_at=now)  # type: ignore[arg-type]


async def set_up_totp(
    uow: UnitOfWork, principal: Principal, codes: TotpCodes, cipher: SecretCipher, now: datetime
) -> TotpSetup:
    user = await _staff(uow, principal, now)
    if user.totp_enabled:
        raise InvalidState("enabled", "set_up", "TOTP is already on: turn it off first")
    secret = codes.new_secret()
    # Not on yet: no event until the first code confirms the authenticator has the secret.
    await uow.users.save(replace(user, totp_secret_encrypted=cipher.encrypt(secret)))
    return TotpSetup(secret, codes.provisioning_uri(secret, user.email, ISSUER))


async def confirm_totp(
    uow: UnitOfWork,
    principal: Principal,
    code: str,
    codes: TotpCodes,
    cipher: SecretCipher,
    now: datetime,
) -> StaffUser:
    user = await _staff(uow, principal, now)
    if user.totp_enabled or user.totp_secret_encrypted is None:
        state = "enabled" if user.totp_enabled else "not_set_up"
        raise InvalidState(state, "confirm", "nothing to confirm: set TOTP up first")
    step = codes.matching_step(cipher.decrypt(user.totp_secret_encrypted), code, now)
    # The confirming code is spent: it cannot also log in.
    if step is None or not await uow.totp_steps.claim(user.id, step, now):
        raise ValidationFailed(
            "The code is not valid",
            {"fields": [{"field": "code", "message": "does not match", "type": "totp_mismatch"}]},
        )
    enabled = _changed(user, now, totp_enabled=True)
    await uow.users.save(enabled)
    raise_user_event(uow, "totp_enabled", enabled)
    return enabled


async def disable_totp(
    uow: UnitOfWork, principal: Principal, password: str, passwords: Passwords, now: datetime
) -> Outcome[StaffUser]:
    account = await caller_account(uow, principal, now, for_update=True)
    user = account.staff
    if user is None:
        raise Forbidden("a second factor is for staff accounts")
    if not user.totp_enabled:
        raise InvalidState("disabled", "disable", "TOTP is not on")
    refusal = await verify_own_password(uow, account, password, "password", passwords, now)
    if refusal is not None:
        return refused(refusal)
    disabled = _changed(user, now, totp_enabled=False, totp_secret_encrypted=None)
    await uow.users.save(disabled)
    raise_user_event(uow, "totp_disabled", disabled)
    return Outcome(disabled)
