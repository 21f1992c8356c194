"""The lookups that cross tenants: a login names its tenant by slug; a refresh token, a logout
and a reset link carry only a token id. Read-only, under the migration's `login_lookup`
policies (isp_common.db.cross_tenant_read), and never more than one tenant id comes out."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import bindparam, select

from isp_common.db import Database, cross_tenant_read

from isp_identity.adapters.tables import one_time_tokens, refresh_tokens, tenants
from isp_identity.domain.tenant import TenantStatus

LOGIN_LOOKUP_SETTING = "app.identity_login"
_TENANT_BY_SLUG = select(tenants.c.id).where(
    tenants.c.slug == bindparam("slug"), tenants.c.status == str(TenantStatus.ACTIVE)
)
# A disabled tenant's tokens name nobody: its sessions cannot be refreshed, its reset links
# are dead, as its logins are.
_REFRESH_TOKEN_TENANT = (
    select(refresh_tokens.c.tenant_id)
    .join(tenants, tenants.c.id == refresh_tokens.c.tenant_id)
    .where(
        refresh_tokens.c.id == bindparam("token_id"),
        tenants.c.status == str(TenantStatus.ACTIVE),
    )
)
_ONE_TIME_TOKEN_TENANT = (
    select(one_time_tokens.c.tenant_id)
    .join(tenants, tenants.c.id == one_time_tokens.c.tenant_id)
    .where(
        one_time_tokens.c.id == bindparam("token_id"),
        tenants.c.status == str(TenantStatus.ACTIVE),
    )
)
_MAX_SLUG = 63


class TenantDirectory:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def tenant_id_of(self, slug: str) -> UUID | None:
        slug = slug.strip().lower()
        if not slug or len(slug) > _MAX_SLUG:
            return None
        return await self._one(_TENANT_BY_SLUG, {"slug": slug})

    async def tenant_of_refresh_token(self, token_id: UUID) -> UUID | None:
        return await self._one(_REFRESH_TOKEN_TENANT, {"token_id": token_id})

    async def tenant_of_one_time_token(self, token_id: UUID) -> UUID | None:
        return await self._one(_ONE_TIME_TOKEN_TENANT, {"token_id": token_id})

    async def _one(self, statement: object, parameters: dict[str, object]) -> UUID | None:
        async with cross_tenant_read(self._db, LOGIN_LOOKUP_SETTING) as connection:
            value = (await connection.execute(statement, parameters)).scalar()  # type: ignore[call-overload]
        return value if isinstance(value, UUID) else None
