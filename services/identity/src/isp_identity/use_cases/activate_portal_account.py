"""A subscriber sets their first password with the activation code staff gave them. The code
is checked like a password: throttled by the name typed and the source, the same refusal for
every wrong part."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from isp_identity.domain.one_time_tokens import normalised_activation_code
from isp_identity.domain.passwords import check_new_password
from isp_identity.domain.portal import is_closed
from isp_identity.use_cases.account_events import raise_portal_event
from isp_identity.use_cases.login_throttle import LoginGate
from isp_identity.use_cases.outcome import Outcome, refused
from isp_identity.use_cases.password_work import hash_password, verify_password
from isp_identity.use_cases.ports import Passwords, UnitOfWork
from isp_identity.use_cases.sessions import invalid_credentials


@dataclass(frozen=True)
class Activation:
    tenant_known: bool
    username: str
    activation_code: str
    new_password: str
    source_address: str | None


async def activate_portal_account(
    uow: UnitOfWork, activation: Activation, passwords: Passwords, now: datetime
) -> Outcome[bool]:
    gate = await LoginGate.open(
        uow, login_name=activation.username, source_address=activation.source_address, now=now
    )
    if gate.retry_after():
        return refused(gate.refuse_locked())
    name = activation.username.strip().lower()
    found = (
        await uow.portal_accounts.by_login_name(name) if activation.tenant_known and name else []
    )
    account = found[0] if len(found) == 1 else None
    usable = (
        account is not None
        and account.enabled
        and not is_closed(account)
        and account.activation_expires_at is not None
        and account.activation_expires_at > now
    )
    code_hash = account.activation_code_hash if usable and account else None
    code = normalised_activation_code(activation.activation_code)
    if not await verify_password(passwords, code_hash, code) or account is None:
        await gate.fail("bad_credentials")
        return refused(invalid_credentials())
    names = [account.customer_code, account.pppoe_username, account.phone]
    check_new_password(activation.new_password, "new_password", not_like=[n for n in names if n])
    activated = replace(
        account,
        password_hash=await hash_password(passwords, activation.new_password),
        password_changed_at=now,
        activation_code_hash=None,
        activation_expires_at=None,
        version=account.version + 1,
        updated_at=now,
    )
    await uow.portal_accounts.save(activated)
    raise_portal_event(uow, "activated", activated)
    await gate.succeed()
    return Outcome(True)
