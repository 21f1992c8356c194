"""Who logs in: a tenant's staff users and its subscribers' portal accounts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from uuid import UUID


class UserStatus(StrEnum):
    ACTIVE = "active"
    DISABLED = "disabled"


@dataclass(frozen=True)
class StaffUser:
    id: UUID
    email: str  # lower-cased
    full_name: str
    roles: frozenset[str]
    status: UserStatus
    password_hash: str | None
    password_changed_at: datetime | None
    totp_secret_encrypted: str | None
    totp_enabled: bool
    version: int
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class PortalAccount:
    """A subscriber's login, one per customer; its identifiers come from customers' events."""

    customer_id: UUID
    customer_code: str
    pppoe_username: str | None
    phone: str | None
    customer_status: str
    customer_deleted: bool
    customer_version: int
    enabled: bool
    password_hash: str | None
    password_changed_at: datetime | None
    activation_code_hash: str | None
    activation_expires_at: datetime | None
    version: int
    created_at: datetime
    updated_at: datetime
