"""The login door's use cases on in-memory fakes of the ports (no I/O): what each decides and
which events it raises. The same behaviour against Postgres is in api/ and integration/."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

import jwt
import pyotp
import pytest

from isp_common.auth import Principal
from isp_common.errors import Forbidden, InvalidState, RateLimited, Unauthorized, ValidationFailed

from isp_identity.adapters.totp import PyotpCodes
from isp_identity.domain.accounts import PortalAccount, StaffUser, UserStatus
from isp_identity.domain.claims import TokenPolicy
from isp_identity.domain.opaque_tokens import OpaqueToken, new_opaque_token, parse_opaque_token
from isp_identity.domain.sessions import (
    OneTimeToken,
    RefreshToken,
    SigningKey,
    Subject,
    ThrottleState,
    TokenFamily,
)
from isp_identity.domain.staff import new_staff_user
from isp_identity.domain.throttle import name_key
from isp_identity.use_cases.activate_portal_account import Activation, activate_portal_account
from isp_identity.use_cases.change_password import change_password
from isp_identity.use_cases.login import PasswordLogin, SecondFactor, password_grant
from isp_identity.use_cases.logout import logout
from isp_identity.use_cases.me import who_am_i
from isp_identity.use_cases.refresh import refresh_grant
from isp_identity.use_cases.reset_password import reset_password
from isp_identity.use_cases.sessions import TokenServices
from isp_identity.use_cases.signing_keys import KeyPolicy, current_signing_key, rotate_signing_keys
from isp_identity.use_cases.totp import confirm_totp, disable_totp, set_up_totp

NOW = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)
PASSWORD = "correct horse battery staple 42"
NEW_PASSWORD = "an entirely new passphrase 77"


class FakePasswords:
    """ "h:<password>" is today's hash; "old:<password>" one made with older parameters."""

    def hash(self, password: str) -> str:
        return "h:" + password

    def verify(self, password_hash: str | None, password: str) -> bool:
        return password_hash in ("h:" + password, "old:" + password)

    def needs_rehash(self, password_hash: str) -> bool:
        return password_hash.startswith("old:")


class FakeSigner:
    async def sign(self, claims: dict[str, Any], now: datetime) -> str:
        return jwt.encode(claims, "unit-test-secret-of-thirty-two-bytes!", algorithm="HS256")


class FakeCipher:
    def encrypt(self, plaintext: str) -> str:
        return "enc:" + plaintext[::-1]

    def decrypt(self, token: str) -> str:
        return token.removeprefix("enc:")[::-1]


class Sessions:
    def __init__(self) -> None:
        self.families: dict[UUID, TokenFamily] = {}
        self.tokens: dict[UUID, RefreshToken] = {}

    async def add_family(self, family: TokenFamily) -> None:
        self.families[family.id] = family

    async def family(self, family_id: UUID, *, for_update: bool = False) -> TokenFamily | None:
        return self.families.get(family_id)

    async def revoke_family(self, family_id: UUID, reason: str, at: datetime) -> None:
        self.families[family_id] = replace(
            self.families[family_id], revoked_at=at, revoked_reason=reason
        )

    async def revoke_subject(self, subject: Subject, reason: str, at: datetime) -> int:
        live = await self.live_families(subject, at)
        for family in live:
            await self.revoke_family(family.id, reason, at)
        return len(live)

    async def live_families(self, subject: Subject, at: datetime) -> list[TokenFamily]:
        return [
            f
            for f in self.families.values()
            if f.subject == subject and f.revoked_at is None and f.expires_at > at
        ]

    async def add_token(self, token: RefreshToken) -> None:
        self.tokens[token.id] = token

    async def token(self, token_id: UUID, *, for_update: bool = False) -> RefreshToken | None:
        return self.tokens.get(token_id)

    async def mark_used(self, token_id: UUID, at: datetime) -> None:
        self.tokens[token_id] = replace(self.tokens[token_id], used_at=at)


class Throttle:
    def __init__(self) -> None:
        self.states: dict[str, ThrottleState] = {}

    async def get(self, key: str, *, for_update: bool = False) -> ThrottleState | None:
        return self.states.get(key)

    async def save(self, state: ThrottleState) -> None:
        self.states[state.key] = state

    async def clear(self, key: str) -> None:
        self.states.pop(key, None)


class Users:
    def __init__(self) -> None:
        self.rows: dict[UUID, StaffUser] = {}

    async def get(self, user_id: UUID, *, for_update: bool = False) -> StaffUser | None:
        return self.rows.get(user_id)

    async def by_email(self, email: str) -> StaffUser | None:
        return next((u for u in self.rows.values() if u.email == email), None)

    async def save(self, user: StaffUser) -> None:
        self.rows[user.id] = user

    add = save


class Portal:
    def __init__(self) -> None:
        self.rows: dict[UUID, PortalAccount] = {}

    async def get(self, customer_id: UUID, *, for_update: bool = False) -> PortalAccount | None:
        return self.rows.get(customer_id)

    async def save(self, account: PortalAccount) -> None:
        self.rows[account.customer_id] = account

    async def by_login_name(self, name: str) -> list[PortalAccount]:
        return [
            a for a in self.rows.values() if name in {a.customer_code, a.pppoe_username, a.phone}
        ]


class OneTime:
    def __init__(self) -> None:
        self.rows: dict[UUID, OneTimeToken] = {}

    async def get(self, token_id: UUID, *, for_update: bool = False) -> OneTimeToken | None:
        return self.rows.get(token_id)

    async def mark_used(self, token_id: UUID, at: datetime) -> None:
        self.rows[token_id] = replace(self.rows[token_id], used_at=at)


class Keys:
    def __init__(self) -> None:
        self.rows: dict[str, SigningKey] = {}

    async def add(self, key: SigningKey) -> None:
        self.rows[key.kid] = key

    async def verifiable(self, now: datetime) -> list[SigningKey]:
        return sorted(
            (k for k in self.rows.values() if k.verifies_until > now),
            key=lambda k: k.created_at,
            reverse=True,
        )

    async def delete_expired(self, now: datetime) -> int:
        gone = [kid for kid, k in self.rows.items() if k.verifies_until <= now]
        for kid in gone:
            del self.rows[kid]
        return len(gone)


class TotpSteps:
    def __init__(self) -> None:
        self.last: dict[UUID, int] = {}

    async def claim(self, user_id: UUID, step: int, at: datetime) -> bool:
        if self.last.get(user_id, -1) >= step:
            return False
        self.last[user_id] = step
        return True


class KeyFactory:
    def new_key(self, now: datetime, signs_until: datetime, verifies_until: datetime) -> SigningKey:
        return SigningKey(uuid4().hex, "enc", {"kid": "k"}, now, signs_until, verifies_until)


@dataclass
class Uow:
    tenant_id: UUID = field(default_factory=uuid4)
    events: list[tuple[str, UUID, int, Any]] = field(default_factory=list)
    sessions: Sessions = field(default_factory=Sessions)
    throttle: Throttle = field(default_factory=Throttle)
    users: Users = field(default_factory=Users)
    portal_accounts: Portal = field(default_factory=Portal)
    one_time_tokens: OneTime = field(default_factory=OneTime)
    signing_keys: Keys = field(default_factory=Keys)
    totp_steps: TotpSteps = field(default_factory=TotpSteps)

    def raise_event(self, type_: str, aggregate_id: UUID, version: int, data: Any) -> None:
        self.events.append((type_, aggregate_id, version, data))

    def types(self) -> list[str]:
        return [event[0] for event in self.events]


PASSWORDS = FakePasswords()
SERVICES = TokenServices(PASSWORDS, FakeSigner(), TokenPolicy("isp", None, 900, 30))
SECOND = SecondFactor(PyotpCodes(), FakeCipher())


def staff(uow: Uow, **changes: Any) -> StaffUser:
    user = new_staff_user(
        id=uuid4(), email="sari@example.com", full_name="Sari", roles=["support"], now=NOW
    )
    user = replace(user, **{"password_hash": PASSWORDS.hash(PASSWORD), **changes})
    uow.users.rows[user.id] = user
    return user


def subscriber(uow: Uow, **changes: Any) -> PortalAccount:
    account = PortalAccount(
        uuid4(),
        "c-1",
        "budi",
        "+62811",
        "active",
        False,
        1,
        True,
        PASSWORDS.hash(PASSWORD),
        NOW,
        None,
        None,
        1,
        NOW,
        NOW,
    )
    account = replace(account, **changes)
    uow.portal_accounts.rows[account.customer_id] = account
    return account


def attempt(name: str, password: str = PASSWORD, **changes: Any) -> PasswordLogin:
    return replace(PasswordLogin(True, name, password, None, "192.0.2.1"), **changes)


async def login(uow: Uow, name: str, password: str = PASSWORD, **changes: Any) -> Any:
    return await password_grant(uow, attempt(name, password, **changes), SERVICES, SECOND, NOW)  # type: ignore[arg-type]


def principal_of(uow: Uow, access_token: str) -> Principal:
    claims = jwt.decode(access_token, options={"verify_signature": False})
    customer = UUID(claims["customer_id"]) if claims.get("customer_id") else None
    return Principal(
        uow.tenant_id, claims["sub"], frozenset(claims["roles"]), customer, claims["sid"]
    )


async def test_a_login_starts_a_session_and_clears_the_name_s_failures() -> None:
    uow = Uow()
    user = staff(uow)
    uow.throttle.states[name_key(user.email)] = ThrottleState(name_key(user.email), 3, NOW, None)
    grant = (await login(uow, "SARI@example.com")).unwrap()
    claims = jwt.decode(grant.access_token, options={"verify_signature": False})
    assert claims["sub"] == str(user.id) and claims["roles"] == ["support"]
    assert list(uow.sessions.families) == [UUID(claims["sid"])]
    assert name_key(user.email) not in uow.throttle.states
    me = await who_am_i(uow, principal_of(uow, grant.access_token), NOW)  # type: ignore[arg-type]
    assert (me.kind, me.email) == ("user", user.email)


async def test_wrong_missing_disabled_and_ambiguous_all_refuse_alike() -> None:
    uow = Uow()
    staff(uow)
    disabled = staff(uow, id=uuid4(), email="off@example.com", status=UserStatus.DISABLED)
    subscriber(uow, phone="+62899")
    subscriber(uow, customer_id=uuid4(), customer_code="c-2", pppoe_username=None, phone="+62899")
    outcomes = [
        await login(uow, "sari@example.com", "wrong password here"),
        await login(uow, "nobody@example.com"),
        await login(uow, disabled.email),
        await login(uow, "+62899"),
        await login(uow, "sari@example.com", tenant_known=False),
    ]
    assert {(type(o.refusal), o.refusal.message) for o in outcomes} == {  # type: ignore[union-attr]
        (Unauthorized, "invalid credentials")
    }
    reasons = [e[3].reason for e in uow.events if e[0] == "identity.login.failed"]
    assert reasons == [
        "bad_credentials",
        "bad_credentials",
        "disabled",
        "bad_credentials",
        "bad_credentials",
    ]


async def test_five_failures_lock_and_a_locked_attempt_is_not_counted() -> None:
    uow = Uow()
    staff(uow)
    for _ in range(5):
        assert isinstance(
            (await login(uow, "sari@example.com", "nope nope nope")).refusal, Unauthorized
        )
    assert uow.types().count("identity.login.locked") == 2  # the name and the source
    locked = await login(uow, "sari@example.com")
    assert isinstance(locked.refusal, RateLimited)
    assert locked.refusal.details == {"retry_after_seconds": 1}
    assert uow.throttle.states[name_key("sari@example.com")].failures == 5
    later = await password_grant(
        uow, attempt("sari@example.com"), SERVICES, SECOND, NOW + timedelta(seconds=2)
    )  # type: ignore[arg-type]
    assert later.value is not None


async def test_totp_is_asked_after_the_password_and_checked() -> None:
    uow = Uow()
    secret = pyotp.random_base32()
    staff(uow, totp_enabled=True, totp_secret_encrypted=FakeCipher().encrypt(secret))
    missing = await login(uow, "sari@example.com")
    assert missing.refusal.details == {"mfa": "totp_required"}  # type: ignore[union-attr]
    code = pyotp.TOTP(secret).at(NOW)
    wrong = "000000" if code != "000000" else "111111"
    bad = await login(uow, "sari@example.com", totp_code=wrong)
    assert bad.refusal.details == {"mfa": "totp_invalid"}  # type: ignore[union-attr]
    assert (await login(uow, "sari@example.com", totp_code=code)).value is not None
    replayed = await login(uow, "sari@example.com", totp_code=code)
    assert replayed.refusal.details == {"mfa": "totp_invalid"}  # type: ignore[union-attr]
    earlier = pyotp.TOTP(secret).at(NOW - timedelta(seconds=30))
    assert (await login(uow, "sari@example.com", totp_code=earlier)).refusal is not None
    later = pyotp.TOTP(secret).at(NOW + timedelta(seconds=30))
    assert (await login(uow, "sari@example.com", totp_code=later)).value is not None


async def test_a_stale_hash_is_replaced_at_login() -> None:
    uow = Uow()
    user = staff(uow, password_hash="old:" + PASSWORD)
    assert (await login(uow, user.email)).value is not None
    assert uow.users.rows[user.id].password_hash == "h:" + PASSWORD
    assert not any(t.startswith("identity.user") for t in uow.types())


async def test_refresh_rotates_then_a_replay_revokes_the_family() -> None:
    uow = Uow()
    staff(uow)
    first = (await login(uow, "sari@example.com")).unwrap()
    token = parse_opaque_token(first.refresh_token)
    assert token is not None
    second = (await refresh_grant(uow, token, SERVICES, NOW)).unwrap()  # type: ignore[arg-type]
    replay = await refresh_grant(uow, token, SERVICES, NOW)  # type: ignore[arg-type]
    assert isinstance(replay.refusal, Unauthorized)
    assert uow.types()[-1] == "identity.session.revoked"
    assert uow.events[-1][3].reason == "reuse_detected"
    newest = parse_opaque_token(second.refresh_token)
    assert (await refresh_grant(uow, newest, SERVICES, NOW)).refusal is not None  # type: ignore[arg-type]
    with pytest.raises(Unauthorized):
        await who_am_i(uow, principal_of(uow, second.access_token), NOW)  # type: ignore[arg-type]


async def test_a_disabled_account_s_refresh_ends_its_session() -> None:
    uow = Uow()
    account = subscriber(uow)
    grant = (await login(uow, "budi")).unwrap()
    uow.portal_accounts.rows[account.customer_id] = replace(account, enabled=False)
    token = parse_opaque_token(grant.refresh_token)
    assert (await refresh_grant(uow, token, SERVICES, NOW)).refusal is not None  # type: ignore[arg-type]
    assert uow.events[-1][3].reason == "disabled"


async def test_logout_ends_the_session_and_ignores_strangers() -> None:
    uow = Uow()
    staff(uow)
    grant = (await login(uow, "sari@example.com")).unwrap()
    await logout(uow, OpaqueToken(uuid4(), "x"), NOW)  # type: ignore[arg-type]
    token = parse_opaque_token(grant.refresh_token)
    assert token is not None
    await logout(uow, replace(token, secret="wrong"), NOW)  # type: ignore[arg-type]
    assert uow.types() == []
    await logout(uow, token, NOW)  # type: ignore[arg-type]
    await logout(uow, token, NOW)  # type: ignore[arg-type]
    assert [e[3].reason for e in uow.events] == ["logout"]


async def test_a_password_change_checks_the_current_one_and_ends_every_session() -> None:
    uow = Uow()
    user = staff(uow)
    grants = [(await login(uow, user.email)).unwrap() for _ in range(2)]
    caller = principal_of(uow, grants[0].access_token)
    wrong = await change_password(uow, caller, "not it at all", NEW_PASSWORD, PASSWORDS, NOW)  # type: ignore[arg-type]
    assert isinstance(wrong.refusal, ValidationFailed)
    with pytest.raises(ValidationFailed):
        await change_password(uow, caller, PASSWORD, user.email, PASSWORDS, NOW)  # type: ignore[arg-type]
    done = await change_password(uow, caller, PASSWORD, NEW_PASSWORD, PASSWORDS, NOW)  # type: ignore[arg-type]
    assert done.value is True
    assert uow.users.rows[user.id].password_hash == "h:" + NEW_PASSWORD
    assert uow.types().count("identity.session.revoked") == 2
    assert "identity.user.password_changed" in uow.types()
    with pytest.raises(Unauthorized):
        await change_password(uow, caller, NEW_PASSWORD, PASSWORD, PASSWORDS, NOW)  # type: ignore[arg-type]


async def test_a_reset_token_works_once_and_before_it_expires() -> None:
    uow = Uow()
    user = staff(uow, password_hash=None)
    opaque = new_opaque_token()
    uow.one_time_tokens.rows[opaque.id] = OneTimeToken(
        opaque.id,
        user.id,
        "password_reset",
        opaque.secret_hash,
        NOW,
        NOW + timedelta(hours=24),
        None,
    )
    with pytest.raises(Unauthorized):
        await reset_password(uow, opaque, NEW_PASSWORD, PASSWORDS, NOW + timedelta(hours=25))  # type: ignore[arg-type]
    with pytest.raises(ValidationFailed):
        await reset_password(uow, opaque, "short", PASSWORDS, NOW)  # type: ignore[arg-type]
    await reset_password(uow, opaque, NEW_PASSWORD, PASSWORDS, NOW)  # type: ignore[arg-type]
    assert uow.users.rows[user.id].password_hash == "h:" + NEW_PASSWORD
    with pytest.raises(Unauthorized):
        await reset_password(uow, opaque, NEW_PASSWORD, PASSWORDS, NOW)  # type: ignore[arg-type]


async def test_an_activation_code_sets_the_first_password_once() -> None:
    uow = Uow()
    account = subscriber(
        uow,
        password_hash=None,
        activation_code_hash=PASSWORDS.hash("ABCD2345"),
        activation_expires_at=NOW + timedelta(days=7),
    )

    def activation(code: str, **changes: Any) -> Activation:
        return replace(Activation(True, "c-1", code, NEW_PASSWORD, "192.0.2.9"), **changes)

    assert (await activate_portal_account(uow, activation("ABCD2346"), PASSWORDS, NOW)).refusal  # type: ignore[arg-type]
    late = NOW + timedelta(days=8)
    assert (await activate_portal_account(uow, activation("ABCD2345"), PASSWORDS, late)).refusal  # type: ignore[arg-type]
    done = await activate_portal_account(uow, activation("abcd 2345"), PASSWORDS, NOW)  # type: ignore[arg-type]
    assert done.value is True
    stored = uow.portal_accounts.rows[account.customer_id]
    assert (stored.password_hash, stored.activation_code_hash) == ("h:" + NEW_PASSWORD, None)
    assert (await activate_portal_account(uow, activation("ABCD2345"), PASSWORDS, NOW)).refusal  # type: ignore[arg-type]


async def test_totp_set_up_confirm_and_turn_off() -> None:
    uow = Uow()
    user = staff(uow)
    caller = Principal(uow.tenant_id, str(user.id), frozenset({"support"}))
    codes, cipher = PyotpCodes(), FakeCipher()
    with pytest.raises(InvalidState):
        await confirm_totp(uow, caller, "123456", codes, cipher, NOW)  # type: ignore[arg-type]
    setup = await set_up_totp(uow, caller, codes, cipher, NOW)  # type: ignore[arg-type]
    assert setup.otpauth_uri.startswith("otpauth://totp/")
    with pytest.raises(ValidationFailed):
        await confirm_totp(uow, caller, "not-a-code", codes, cipher, NOW)  # type: ignore[arg-type]
    on = await confirm_totp(uow, caller, pyotp.TOTP(setup.secret).at(NOW), codes, cipher, NOW)  # type: ignore[arg-type]
    assert on.totp_enabled and on.version == user.version + 1
    with pytest.raises(InvalidState):
        await set_up_totp(uow, caller, codes, cipher, NOW)  # type: ignore[arg-type]
    assert (await disable_totp(uow, caller, "wrong password!", PASSWORDS, NOW)).refusal  # type: ignore[arg-type]
    off = (await disable_totp(uow, caller, PASSWORD, PASSWORDS, NOW)).unwrap()  # type: ignore[arg-type]
    assert (off.totp_enabled, off.totp_secret_encrypted) == (False, None)
    assert uow.types() == [
        "identity.user.totp_enabled",
        "identity.login.failed",  # the wrong password, counted like a login's
        "identity.user.totp_disabled",
    ]
    account = subscriber(uow)
    customer = Principal(
        uow.tenant_id, str(account.customer_id), frozenset({"customer"}), account.customer_id
    )
    with pytest.raises(Forbidden):
        await set_up_totp(uow, customer, codes, cipher, NOW)  # type: ignore[arg-type]


async def test_a_development_token_is_answered_from_its_claims() -> None:
    uow = Uow()
    me = await who_am_i(uow, Principal(uow.tenant_id, "cli", frozenset({"platform_admin"})), NOW)  # type: ignore[arg-type]
    assert (me.kind, me.roles) == ("token", ["platform_admin"])


async def test_one_key_signs_until_its_time_then_the_next_and_old_ones_retire() -> None:
    uow, factory, policy = Uow(), KeyFactory(), KeyPolicy(30, 900)
    first = await current_signing_key(uow, factory, policy, NOW)  # type: ignore[arg-type]
    assert await current_signing_key(uow, factory, policy, NOW + timedelta(days=29)) == first  # type: ignore[arg-type]
    rotation = await rotate_signing_keys(uow, factory, policy, NOW + timedelta(days=31))  # type: ignore[arg-type]
    assert rotation.signing_kid != first.kid and rotation.deleted == 1
