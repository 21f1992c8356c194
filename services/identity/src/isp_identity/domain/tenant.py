"""A tenant: one ISP on the platform, known to the other services by its id alone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from uuid import UUID

# Platform-wide rows (signing keys, throttling of logins naming no known tenant) belong here.
PLATFORM_TENANT_ID = UUID("00000000-0000-0000-0000-000000000000")


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
