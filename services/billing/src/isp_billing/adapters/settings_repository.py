"""The tenant's billing settings, and the schedule of the daily run across tenants."""

# ruff: noqa: S608 -- only the schema constant is interpolated
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from uuid import UUID

from sqlalchemy import select, text, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from isp_common.db import Database, cross_tenant_read

from isp_billing.adapters.tables import SCHEMA, settings
from isp_billing.domain.settings import BillingSettings, TenantProfile

_FIELDS = tuple(BillingSettings.model_fields)


class SqlSettingsRepository:
    def __init__(self, connection: AsyncConnection, tenant_id: UUID) -> None:
        self._connection = connection
        self._tenant_id = tenant_id

    async def get(self) -> BillingSettings:
        """The stored settings, or the defaults."""
        query = select(*(settings.c[n] for n in _FIELDS))
        row = (await self._connection.execute(query)).mappings().first()
        return BillingSettings.model_validate(dict(row)) if row else BillingSettings()

    async def ensure(self) -> None:
        """A row with the defaults, so that the daily job knows the tenant."""
        await self._connection.execute(
            insert(settings)
            .values(tenant_id=self._tenant_id, **_values(BillingSettings()))
            .on_conflict_do_nothing()
        )

    async def put(
        self,
        new: BillingSettings,
        *,
        own_fields: frozenset[str] | None = None,
        profile: TenantProfile | None = None,
    ) -> tuple[int, datetime]:
        """Stores the settings (and, when given, the seeded fields the tenant set itself and
        the tenant's profile); answers their new version and update time (the row lock of the
        upsert serialises writers, so versions never repeat)."""
        extra = {} if own_fields is None else {"own_fields": sorted(own_fields)}
        if profile is not None:
            extra |= _profile_values(profile)
        statement = insert(settings).values(
            tenant_id=self._tenant_id, version=1, **_values(new), **extra
        )
        written = await self._connection.execute(
            statement.on_conflict_do_update(
                index_elements=[settings.c.tenant_id],
                set_={
                    **{n: statement.excluded[n] for n in (*_FIELDS, "updated_at", *extra)},
                    "version": settings.c.version + 1,
                },
            ).returning(settings.c.version, settings.c.updated_at)
        )
        row = written.one()
        return int(row.version), row.updated_at

    async def seed_state(self) -> tuple[frozenset[str], TenantProfile | None]:
        """The seeded fields the tenant set itself, and the last tenant profile applied; the
        row stays locked until commit (call `ensure` first)."""
        query = select(*(settings.c[n] for n in _SEED_COLUMNS)).with_for_update()
        row = (await self._connection.execute(query)).mappings().first()
        if row is None:
            return frozenset(), None
        own = frozenset(row["own_fields"] or ())
        if not row["tenant_version"]:
            return own, None
        return own, TenantProfile(
            name=row["tenant_name"],
            timezone=row["tenant_timezone"],
            currency=row["tenant_currency"],
            version=int(row["tenant_version"]),
        )

    async def remember_profile(self, profile: TenantProfile) -> None:
        """Records the profile where it changes no setting (the settings keep their version)."""
        await self._connection.execute(update(settings).values(**_profile_values(profile)))

    async def mark_daily_run(self, day: date) -> None:
        await self._connection.execute(update(settings).values(last_daily_run_on=day))


_SEED_COLUMNS = (
    "own_fields",
    "tenant_name",
    "tenant_timezone",
    "tenant_currency",
    "tenant_version",
)


def _profile_values(profile: TenantProfile) -> dict[str, object]:
    return {
        "tenant_name": profile.name,
        "tenant_timezone": profile.timezone,
        "tenant_currency": profile.currency,
        "tenant_version": profile.version,
    }


def _values(new: BillingSettings) -> dict[str, object]:
    return {**new.model_dump(), "updated_at": datetime.now(UTC)}


@dataclass(frozen=True)
class DueRun:
    tenant_id: UUID
    local_day: date


_DUE_TENANTS = text(
    f"""
    SELECT tenant_id, (now() AT TIME ZONE timezone)::date AS local_day
    FROM {SCHEMA}.settings
    WHERE extract(hour FROM now() AT TIME ZONE timezone) >= daily_run_hour
      AND (last_daily_run_on IS NULL OR last_daily_run_on < (now() AT TIME ZONE timezone)::date)
    ORDER BY tenant_id
    """
)


async def tenants_due_for_daily_run(db: Database) -> list[DueRun]:
    """Every tenant whose local run hour has come today and who has not run today. The only
    cross-tenant read of the service: the scheduler policy shows the settings rows alone."""
    async with cross_tenant_read(db, "app.scheduler") as conn:
        rows = (await conn.execute(_DUE_TENANTS)).all()
    return [DueRun(r.tenant_id, r.local_day) for r in rows]
