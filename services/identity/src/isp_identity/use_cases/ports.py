"""What the use cases need from the outside world, as protocols; adapters/ implements them.

A unit of work is one tenant's transaction (row-level security shows it that tenant's rows
only); platform rows (signing keys) are read in the platform tenant's unit of work.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Protocol
from uuid import UUID

from isp_common.pagination import Page, PageRequest
from isp_common.transaction import Transaction

from isp_identity.domain.accounts import PortalAccount, StaffUser
from isp_identity.domain.sessions import (
    OneTimeToken,
    RefreshToken,
    SigningKey,
    Subject,
    ThrottleState,
    TokenFamily,
)
from isp_identity.domain.tenant import Tenant


class TenantRepository(Protocol):
    async def add(self, tenant: Tenant) -> None:
        """CONFLICT when the slug is taken (by any tenant)."""
        ...

    async def get(self, *, for_update: bool = False) -> Tenant | None:
        """The unit of work's own tenant."""
        ...

    async def save(self, tenant: Tenant) -> None: ...


class TenantDirectory(Protocol):
    """The one lookup across tenants: a login names its tenant by slug."""

    async def tenant_id_of(self, slug: str) -> UUID | None:
        """An active tenant's id; None for an unknown or disabled slug."""
        ...

    async def tenant_of_refresh_token(self, token_id: UUID) -> UUID | None:
        """Whose refresh token this id is (a refresh or a logout names no tenant)."""
        ...

    async def tenant_of_one_time_token(self, token_id: UUID) -> UUID | None:
        """Whose one-time token this id is (a reset link names no tenant)."""
        ...


class UserRepository(Protocol):
    async def add(self, user: StaffUser) -> None:
        """CONFLICT when the email is taken in the tenant."""
        ...

    async def save(self, user: StaffUser) -> None: ...

    async def get(self, user_id: UUID, *, for_update: bool = False) -> StaffUser | None: ...

    async def by_email(self, email: str) -> StaffUser | None:
        """`email` lower-cased."""
        ...

    async def page(self, request: PageRequest) -> Page[StaffUser]: ...

    async def count_active_with_role(self, role: str) -> int: ...

    async def hold_admins(self) -> None:
        """Serialises, until commit, the tenant's changes that could take away an admin."""
        ...


class PortalAccountRepository(Protocol):
    async def get(self, customer_id: UUID, *, for_update: bool = False) -> PortalAccount | None: ...

    async def save(self, account: PortalAccount) -> None:
        """Insert or update."""
        ...

    async def by_login_name(self, name: str) -> list[PortalAccount]:
        """Accounts whose customer code, PPPoE username or phone is `name` (case-insensitive);
        more than one means the name is ambiguous and logs nobody in."""
        ...


class SessionRepository(Protocol):
    async def add_family(self, family: TokenFamily) -> None: ...

    async def family(self, family_id: UUID, *, for_update: bool = False) -> TokenFamily | None: ...

    async def revoke_family(self, family_id: UUID, reason: str, at: datetime) -> None: ...

    async def revoke_subject(self, subject: Subject, reason: str, at: datetime) -> int:
        """Revokes every live family of the subject; how many. (use_cases.sessions'
        revoke_all_sessions does the same and raises identity.session.revoked for each.)"""
        ...

    async def live_families(self, subject: Subject, at: datetime) -> list[TokenFamily]:
        """The subject's families neither revoked nor expired at `at`."""
        ...

    async def add_token(self, token: RefreshToken) -> None: ...

    async def token(self, token_id: UUID, *, for_update: bool = False) -> RefreshToken | None: ...

    async def mark_used(self, token_id: UUID, at: datetime) -> None: ...


class OneTimeTokenRepository(Protocol):
    async def add(self, token: OneTimeToken) -> None: ...

    async def get(self, token_id: UUID, *, for_update: bool = False) -> OneTimeToken | None: ...

    async def mark_used(self, token_id: UUID, at: datetime) -> None: ...

    async def discard_unused(self, user_id: UUID, purpose: str, at: datetime) -> None:
        """Marks the user's earlier unused tokens of `purpose` used: only the newest works."""
        ...


class ThrottleRepository(Protocol):
    async def get(self, key: str, *, for_update: bool = False) -> ThrottleState | None: ...

    async def save(self, state: ThrottleState) -> None: ...

    async def clear(self, key: str) -> None: ...


class SigningKeyRepository(Protocol):
    """Lives in the platform tenant's unit of work."""

    async def add(self, key: SigningKey) -> None: ...

    async def verifiable(self, now: datetime) -> list[SigningKey]:
        """Keys whose verification window is open, newest first."""
        ...

    async def save(self, key: SigningKey) -> None: ...

    async def delete_expired(self, now: datetime) -> int: ...


class Passwords(Protocol):
    """Hashing of passwords and activation codes (argon2id)."""

    def hash(self, password: str) -> str: ...

    def verify(self, password_hash: str | None, password: str) -> bool:
        """False for a None hash too, after spending the time a real check takes."""
        ...

    def needs_rehash(self, password_hash: str) -> bool: ...


class AccessTokenSigner(Protocol):
    """Signs access tokens with the current signing key (made when none signs yet)."""

    async def sign(self, claims: dict[str, Any], now: datetime) -> str: ...


class KeyFactory(Protocol):
    def new_key(self, now: datetime, signs_until: datetime, verifies_until: datetime) -> SigningKey:
        """A fresh RSA key, its private half encrypted."""
        ...


class TotpCodes(Protocol):
    def new_secret(self) -> str: ...

    def provisioning_uri(self, secret: str, account_name: str, issuer: str) -> str: ...

    def verify(self, secret: str, code: str, now: datetime) -> bool:
        """The code of the current 30-second step, or of the one either side (clock drift)."""
        ...

    def matching_step(self, secret: str, code: str, now: datetime) -> int | None:
        """The time step whose code this is (current or either side), or None."""
        ...


class TotpStepRepository(Protocol):
    async def claim(self, user_id: UUID, step: int, at: datetime) -> bool:
        """Records `step` as the user's last accepted TOTP step if it is later than the last
        one; False when it is not (a code seen before: a replay)."""
        ...


class SecretCipher(Protocol):
    """Encryption at rest (TOTP secrets, signing keys): ISP_SECRET_KEY's Fernet keys."""

    def encrypt(self, plaintext: str) -> str: ...

    def decrypt(self, token: str) -> str: ...


class UnitOfWork(Transaction, Protocol):
    tenant_id: UUID
    tenants: TenantRepository
    users: UserRepository
    portal_accounts: PortalAccountRepository
    sessions: SessionRepository
    one_time_tokens: OneTimeTokenRepository
    throttle: ThrottleRepository
    signing_keys: SigningKeyRepository
    totp_steps: TotpStepRepository
