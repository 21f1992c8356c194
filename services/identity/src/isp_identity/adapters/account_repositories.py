"""Tenants, staff users and portal accounts (SQL; the use cases see the ports).

Row-level security shows a unit of work its own tenant's rows only; the unique indexes (a
tenant's slug across the platform, an email within a tenant) still decide a race between two
transactions, and the loser gets CONFLICT naming the field.
"""

from __future__ import annotations

from dataclasses import fields
from typing import Any
from uuid import UUID

from sqlalchemy import bindparam, func, or_, select, text, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from isp_common.errors import Conflict, ValidationFailed
from isp_common.pagination import Page, PageRequest

from isp_identity.adapters.tables import portal_accounts, tenants, users
from isp_identity.domain.accounts import PortalAccount, StaffUser, UserStatus
from isp_identity.domain.tenant import Tenant, TenantStatus

_TENANT_FIELDS = [f.name for f in fields(Tenant)]
_USER_FIELDS = [f.name for f in fields(StaffUser)]
_ACCOUNT_FIELDS = [f.name for f in fields(PortalAccount)]

# Which unique constraint names which field of the request.
_UNIQUE_FIELDS = {
    "uq_tenants_slug": ("slug", "a tenant with this slug exists"),
    "tenants_pkey": ("id", "a tenant with this id exists"),
    "uq_users_email": ("email", "a user with this email exists in the tenant"),
}
_CHECKED_FIELDS = {
    "ck_users_email_lower": ("email", "not an email this service can store lower-cased"),
    "ck_tenants_slug": ("slug", "lower-case letters, digits and hyphens"),
}

_GET_TENANT = select(*(tenants.c[n] for n in _TENANT_FIELDS))
_GET_USER = select(*(users.c[n] for n in _USER_FIELDS))
_USER_BY_ID = _GET_USER.where(users.c.id == bindparam("user_id"))
_USER_BY_EMAIL = _GET_USER.where(users.c.email == bindparam("email"))
_HOLD = text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))")
_GET_ACCOUNT = select(*(portal_accounts.c[n] for n in _ACCOUNT_FIELDS))
_ACCOUNT_BY_ID = _GET_ACCOUNT.where(portal_accounts.c.customer_id == bindparam("customer_id"))
_ACCOUNTS_BY_NAME = _GET_ACCOUNT.where(
    # Stored lower-cased (domain.portal.login_name); a deleted customer's old identifiers
    # neither log in nor make a live customer's name ambiguous.
    portal_accounts.c.customer_deleted.is_(False),
    or_(
        portal_accounts.c.customer_code == bindparam("name"),
        portal_accounts.c.pppoe_username == bindparam("name"),
        portal_accounts.c.phone == bindparam("name"),
    ),
)


class SqlTenantRepository:
    def __init__(self, connection: AsyncConnection, tenant_id: UUID) -> None:
        self._connection = connection
        self._tenant_id = tenant_id

    async def add(self, tenant: Tenant) -> None:
        values = _tenant_values(tenant)
        await _execute_checked(self._connection, insert(tenants).values(**values))

    async def get(self, *, for_update: bool = False) -> Tenant | None:
        query = _GET_TENANT.where(tenants.c.id == self._tenant_id)
        if for_update:
            query = query.with_for_update()
        row = (await self._connection.execute(query)).mappings().first()
        if row is None:
            return None
        return Tenant(**{**row, "status": TenantStatus(row["status"])})

    async def save(self, tenant: Tenant) -> None:
        values = _tenant_values(tenant)
        statement = update(tenants).where(tenants.c.id == tenant.id).values(**values)
        await _execute_checked(self._connection, statement)


class SqlUserRepository:
    def __init__(self, connection: AsyncConnection, tenant_id: UUID) -> None:
        self._connection = connection
        self._tenant_id = tenant_id

    async def add(self, user: StaffUser) -> None:
        values = {**_user_values(user), "tenant_id": self._tenant_id}
        await _execute_checked(self._connection, insert(users).values(**values))

    async def save(self, user: StaffUser) -> None:
        statement = update(users).where(users.c.id == user.id).values(**_user_values(user))
        await _execute_checked(self._connection, statement)

    async def get(self, user_id: UUID, *, for_update: bool = False) -> StaffUser | None:
        query = _USER_BY_ID.with_for_update() if for_update else _USER_BY_ID
        return _user(await self._first(query, user_id=user_id))

    async def by_email(self, email: str) -> StaffUser | None:
        return _user(await self._first(_USER_BY_EMAIL, email=email))

    async def page(self, request: PageRequest) -> Page[StaffUser]:
        total = await self._connection.scalar(select(func.count()).select_from(users))
        query = (
            _GET_USER.order_by(users.c.created_at, users.c.id)
            .offset(request.offset)
            .limit(request.limit)
        )
        rows = (await self._connection.execute(query)).mappings().all()
        return Page([_user_of(row) for row in rows], int(total or 0), request)

    async def count_active_with_role(self, role: str) -> int:
        query = select(func.count()).where(
            users.c.status == UserStatus.ACTIVE.value, users.c.roles.contains([role])
        )
        return int(await self._connection.scalar(query) or 0)

    async def hold_admins(self) -> None:
        # Transaction-scoped: commit or rollback frees it.
        await self._connection.execute(_HOLD, {"key": f"identity.admins:{self._tenant_id}"})

    async def _first(self, query: Any, **params: Any) -> Any:
        return (await self._connection.execute(query, params)).mappings().first()


class SqlPortalAccountRepository:
    def __init__(self, connection: AsyncConnection, tenant_id: UUID) -> None:
        self._connection = connection
        self._tenant_id = tenant_id

    async def get(self, customer_id: UUID, *, for_update: bool = False) -> PortalAccount | None:
        query = _ACCOUNT_BY_ID.with_for_update() if for_update else _ACCOUNT_BY_ID
        row = (await self._connection.execute(query, {"customer_id": customer_id})).mappings()
        found = row.first()
        return PortalAccount(**found) if found else None

    async def save(self, account: PortalAccount) -> None:
        values = {f: getattr(account, f) for f in _ACCOUNT_FIELDS}
        new = insert(portal_accounts).values(**values, tenant_id=self._tenant_id)
        await self._connection.execute(
            new.on_conflict_do_update(
                index_elements=[portal_accounts.c.tenant_id, portal_accounts.c.customer_id],
                set_={f: new.excluded[f] for f in _ACCOUNT_FIELDS if f != "customer_id"},
            )
        )

    async def by_login_name(self, name: str) -> list[PortalAccount]:
        rows = await self._connection.execute(_ACCOUNTS_BY_NAME, {"name": name.strip().lower()})
        return [PortalAccount(**row) for row in rows.mappings()]


def _tenant_values(tenant: Tenant) -> dict[str, Any]:
    values = {f: getattr(tenant, f) for f in _TENANT_FIELDS}
    return {**values, "status": tenant.status.value, "tenant_id": tenant.id}


def _user_values(user: StaffUser) -> dict[str, Any]:
    values = {f: getattr(user, f) for f in _USER_FIELDS}
    return {**values, "roles": sorted(user.roles), "status": user.status.value}


def _user(row: Any) -> StaffUser | None:
    return None if row is None else _user_of(row)


def _user_of(row: Any) -> StaffUser:
    return StaffUser(
        **{**row, "roles": frozenset(row["roles"]), "status": UserStatus(row["status"])}
    )


async def _execute_checked(connection: AsyncConnection, statement: Any) -> None:
    try:
        await connection.execute(statement)
    except IntegrityError as exc:
        constraint = getattr(exc.orig.__cause__, "constraint_name", None) if exc.orig else None
        refused = _CHECKED_FIELDS.get(constraint or "")
        if refused is not None:
            # The rule the domain applies, said differently by Postgres for a rare input (a
            # Unicode case mapping of its own): the client's to fix.
            field, message = refused
            raise ValidationFailed(
                message, {"fields": [{"field": field, "message": message}]}
            ) from exc
        taken = _UNIQUE_FIELDS.get(constraint or "")
        if taken is None:
            raise
        field, message = taken
        raise Conflict(message, {"fields": [{"field": field, "message": message}]}) from exc
