"""Token families and refresh tokens, login throttling and signing keys: SQL; the use cases
see the ports."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import delete, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncConnection

from isp_identity.adapters.tables import (
    login_throttle,
    refresh_tokens,
    signing_keys,
    token_families,
    totp_steps,
)
from isp_identity.domain.sessions import (
    RefreshToken,
    SigningKey,
    Subject,
    SubjectKind,
    ThrottleState,
    TokenFamily,
)


def _family(row: Any) -> TokenFamily:
    return TokenFamily(
        id=row.id,
        subject=Subject(SubjectKind(row.subject_kind), row.subject_id),
        created_at=row.created_at,
        expires_at=row.expires_at,
        revoked_at=row.revoked_at,
        revoked_reason=row.revoked_reason,
    )


def _token(row: Any) -> RefreshToken:
    return RefreshToken(
        id=row.id,
        family_id=row.family_id,
        secret_hash=row.secret_hash,
        created_at=row.created_at,
        expires_at=row.expires_at,
        used_at=row.used_at,
    )


class SqlSessionRepository:
    def __init__(self, connection: AsyncConnection, tenant_id: UUID) -> None:
        self._connection = connection
        self._tenant_id = tenant_id

    async def add_family(self, family: TokenFamily) -> None:
        await self._connection.execute(
            insert(token_families).values(
                id=family.id,
                tenant_id=self._tenant_id,
                subject_kind=str(family.subject.kind),
                subject_id=family.subject.id,
                created_at=family.created_at,
                expires_at=family.expires_at,
                revoked_at=family.revoked_at,
                revoked_reason=family.revoked_reason,
            )
        )

    async def family(self, family_id: UUID, *, for_update: bool = False) -> TokenFamily | None:
        stmt = select(token_families).where(
            token_families.c.tenant_id == self._tenant_id, token_families.c.id == family_id
        )
        if for_update:
            stmt = stmt.with_for_update()
        row = (await self._connection.execute(stmt)).first()
        return _family(row) if row else None

    async def revoke_family(self, family_id: UUID, reason: str, at: datetime) -> None:
        await self._connection.execute(
            update(token_families)
            .where(
                token_families.c.tenant_id == self._tenant_id,
                token_families.c.id == family_id,
                token_families.c.revoked_at.is_(None),
            )
            .values(revoked_at=at, revoked_reason=reason)
        )

    def _of_subject(self, subject: Subject) -> Any:
        return (
            (token_families.c.tenant_id == self._tenant_id)
            & (token_families.c.subject_kind == str(subject.kind))
            & (token_families.c.subject_id == subject.id)
            & token_families.c.revoked_at.is_(None)
        )

    async def revoke_subject(self, subject: Subject, reason: str, at: datetime) -> int:
        result = await self._connection.execute(
            update(token_families)
            .where(self._of_subject(subject))
            .values(revoked_at=at, revoked_reason=reason)
        )
        return int(result.rowcount or 0)

    async def live_families(self, subject: Subject, at: datetime) -> list[TokenFamily]:
        rows = await self._connection.execute(
            select(token_families)
            .where(self._of_subject(subject), token_families.c.expires_at > at)
            .order_by(token_families.c.created_at)
            .with_for_update()
        )
        return [_family(row) for row in rows]

    async def add_token(self, token: RefreshToken) -> None:
        await self._connection.execute(
            insert(refresh_tokens).values(
                id=token.id,
                tenant_id=self._tenant_id,
                family_id=token.family_id,
                secret_hash=token.secret_hash,
                created_at=token.created_at,
                expires_at=token.expires_at,
                used_at=token.used_at,
            )
        )

    async def token(self, token_id: UUID, *, for_update: bool = False) -> RefreshToken | None:
        stmt = select(refresh_tokens).where(
            refresh_tokens.c.tenant_id == self._tenant_id, refresh_tokens.c.id == token_id
        )
        if for_update:
            stmt = stmt.with_for_update()
        row = (await self._connection.execute(stmt)).first()
        return _token(row) if row else None

    async def mark_used(self, token_id: UUID, at: datetime) -> None:
        await self._connection.execute(
            update(refresh_tokens)
            .where(refresh_tokens.c.tenant_id == self._tenant_id, refresh_tokens.c.id == token_id)
            .values(used_at=at)
        )


class SqlThrottleRepository:
    def __init__(self, connection: AsyncConnection, tenant_id: UUID) -> None:
        self._connection = connection
        self._tenant_id = tenant_id

    async def get(self, key: str, *, for_update: bool = False) -> ThrottleState | None:
        stmt = select(login_throttle).where(
            login_throttle.c.tenant_id == self._tenant_id, login_throttle.c.key == key
        )
        if for_update:
            stmt = stmt.with_for_update()
        row = (await self._connection.execute(stmt)).first()
        if row is None:
            return None
        return ThrottleState(row.key, row.failures, row.last_failure_at, row.locked_until)

    async def save(self, state: ThrottleState) -> None:
        # An upsert: two first failures of one name racing must not make a CONFLICT of a login.
        values = {
            "failures": state.failures,
            "last_failure_at": state.last_failure_at,
            "locked_until": state.locked_until,
        }
        await self._connection.execute(
            pg_insert(login_throttle)
            .values(tenant_id=self._tenant_id, key=state.key, **values)
            .on_conflict_do_update(index_elements=["tenant_id", "key"], set_=values)
        )

    async def clear(self, key: str) -> None:
        await self._connection.execute(
            delete(login_throttle).where(
                login_throttle.c.tenant_id == self._tenant_id, login_throttle.c.key == key
            )
        )


def _signing_key(row: Any) -> SigningKey:
    return SigningKey(
        kid=row.kid,
        private_key_encrypted=row.private_key_encrypted,
        public_jwk=dict(row.public_jwk),
        created_at=row.created_at,
        signs_until=row.signs_until,
        verifies_until=row.verifies_until,
    )


class SqlSigningKeyRepository:
    """The platform tenant's rows: RLS shows them only in the platform tenant's unit of work."""

    def __init__(self, connection: AsyncConnection, tenant_id: UUID) -> None:
        self._connection = connection
        self._tenant_id = tenant_id

    async def add(self, key: SigningKey) -> None:
        await self._connection.execute(
            insert(signing_keys).values(
                kid=key.kid,
                tenant_id=self._tenant_id,
                private_key_encrypted=key.private_key_encrypted,
                public_jwk=key.public_jwk,
                created_at=key.created_at,
                signs_until=key.signs_until,
                verifies_until=key.verifies_until,
            )
        )

    async def verifiable(self, now: datetime) -> list[SigningKey]:
        rows = await self._connection.execute(
            select(signing_keys)
            .where(signing_keys.c.tenant_id == self._tenant_id, signing_keys.c.verifies_until > now)
            .order_by(signing_keys.c.created_at.desc())
        )
        return [_signing_key(row) for row in rows]

    async def save(self, key: SigningKey) -> None:
        await self._connection.execute(
            update(signing_keys)
            .where(signing_keys.c.tenant_id == self._tenant_id, signing_keys.c.kid == key.kid)
            .values(signs_until=key.signs_until, verifies_until=key.verifies_until)
        )

    async def delete_expired(self, now: datetime) -> int:
        result = await self._connection.execute(
            delete(signing_keys).where(
                signing_keys.c.tenant_id == self._tenant_id, signing_keys.c.verifies_until <= now
            )
        )
        return int(result.rowcount or 0)


class SqlTotpStepRepository:
    def __init__(self, connection: AsyncConnection, tenant_id: UUID) -> None:
        self._connection = connection
        self._tenant_id = tenant_id

    async def claim(self, user_id: UUID, step: int, at: datetime) -> bool:
        # One statement: two logins racing with the same code cannot both claim its step.
        insert_step = pg_insert(totp_steps).values(
            tenant_id=self._tenant_id, user_id=user_id, last_step=step, used_at=at
        )
        claimed = insert_step.on_conflict_do_update(
            index_elements=["tenant_id", "user_id"],
            set_={
                "last_step": insert_step.excluded.last_step,
                "used_at": insert_step.excluded.used_at,
            },
            where=totp_steps.c.last_step < insert_step.excluded.last_step,
        ).returning(totp_steps.c.user_id)
        return (await self._connection.execute(claimed)).first() is not None
