"""A tenant: one ISP on the platform, known to the other services by its id alone.

Its slug is what a login names (`tenant` on the token endpoint), so it is short, lower-case and
URL-safe; its timezone and currency seed the other services' per-tenant settings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from functools import cache
from typing import Any, NoReturn
from uuid import UUID
from zoneinfo import available_timezones

from isp_common.errors import ValidationFailed

# Platform-wide rows (signing keys, throttling of logins naming no known tenant) belong here.
PLATFORM_TENANT_ID = UUID("00000000-0000-0000-0000-000000000000")

# 3-63 characters, no hyphen at either end (a DNS label's shape; the schema checks it too).
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$")
CURRENCY = re.compile(r"^[A-Z]{3}$")


class TenantStatus(StrEnum):
    ACTIVE = "active"
    DISABLED = "disabled"


@dataclass(frozen=True)
class Tenant:
    id: UUID
    slug: str
    name: str
    timezone: str
    currency: str
    status: TenantStatus
    version: int
    created_at: datetime
    updated_at: datetime

    @classmethod
    def create(
        cls, *, id: UUID, slug: str, name: str, timezone: str, currency: str, now: datetime
    ) -> Tenant:
        if id == PLATFORM_TENANT_ID:
            invalid("id", "is the platform's own id")
        return cls(
            id=id,
            slug=checked_slug(slug),
            name=name,
            timezone=checked_timezone(timezone),
            currency=checked_currency(currency),
            status=TenantStatus.ACTIVE,
            version=1,
            created_at=now,
            updated_at=now,
        )

    def changed(self, changes: TenantChanges, now: datetime) -> Tenant | None:
        """The tenant with the changes, one version later; None when nothing changes."""
        values: dict[str, Any] = {
            "slug": None if changes.slug is None else checked_slug(changes.slug),
            "name": changes.name,
            "timezone": None if changes.timezone is None else checked_timezone(changes.timezone),
            "currency": None if changes.currency is None else checked_currency(changes.currency),
            "status": changes.status,
        }
        new: dict[str, Any] = {
            k: v for k, v in values.items() if v is not None and v != getattr(self, k)
        }
        if not new:
            return None
        return replace(self, **new, version=self.version + 1, updated_at=now)


@dataclass(frozen=True, kw_only=True)
class TenantChanges:
    """None: unchanged. Slug and status are the platform operator's alone (the use case says)."""

    slug: str | None = None
    name: str | None = None
    timezone: str | None = None
    currency: str | None = None
    status: TenantStatus | None = None

    @property
    def operator_only(self) -> list[str]:
        return [name for name in ("slug", "status") if getattr(self, name) is not None]


def checked_slug(slug: str) -> str:
    if not SLUG.fullmatch(slug):
        invalid(
            "slug",
            "3-63 lower-case letters, digits and hyphens, starting and ending with a "
            "letter or digit",
        )
    return slug


def checked_timezone(name: str) -> str:
    # The list, not ZoneInfo(name): ZoneInfo also opens paths such as "Etc/../UTC", which
    # other services (Postgres' AT TIME ZONE among them) would refuse.
    if name not in _timezones():
        invalid("timezone", "not a known IANA timezone name")
    return name


@cache
def _timezones() -> frozenset[str]:
    return frozenset(available_timezones())


def checked_currency(code: str) -> str:
    if not CURRENCY.fullmatch(code):
        invalid("currency", "an ISO 4217 code: three upper-case letters")
    return code


def invalid(field: str, rule: str) -> NoReturn:
    raise ValidationFailed(f"{field}: {rule}", {"fields": [{"field": field, "message": rule}]})
