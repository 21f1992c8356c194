"""Service plans: the basic fields, the advanced config (every field of the seed's
`ServicePlanAdvanced`) and the changelog rule (one entry per changed field, old and new value)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, JsonValue, StrictBool

from isp_common.text import TEXT_LINE

from isp_billing.domain.cycles import BillingCycle
from isp_billing.domain.text import JSON_INTEGER

PLAN_FIELDS = (
    "name",
    "description",
    "bandwidth_download",
    "bandwidth_upload",
    "monthly_price",
    "is_active",
)
ADVANCED_PREFIX = "advanced."

Kbps = Annotated[int, Field(ge=1, le=100_000_000), JSON_INTEGER]
Name100 = Annotated[str, Field(min_length=1, max_length=100), TEXT_LINE]
Count = Annotated[int, Field(ge=0, le=1_000_000), JSON_INTEGER]


class ConnectionMode(StrEnum):
    PPPOE = "pppoe"
    DHCP = "dhcp"
    STATIC = "static"
    HOTSPOT = "hotspot"


class AdvancedConfig(BaseModel):
    """The whole advanced config; PUT replaces it. Unknown fields are refused."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    burst_rate_download: Kbps | None = None
    burst_rate_upload: Kbps | None = None
    burst_threshold: Kbps | None = None
    burst_time: Annotated[int, Field(ge=1, le=3600), JSON_INTEGER] | None = Field(
        default=None, description="seconds"
    )
    is_unlimited: StrictBool = True
    monthly_quota_gb: Count | None = None
    fup_threshold_gb: Count | None = None
    speed_after_fup_download: Kbps | None = None
    speed_after_fup_upload: Kbps | None = None
    duration_days: Annotated[int, Field(ge=1, le=3660), JSON_INTEGER] | None = Field(
        default=None,
        description="Validity of the plan in days (informational; billing uses the cycle)",
    )
    billing_cycle: BillingCycle = BillingCycle.MONTHLY
    grace_period_days: Annotated[int, Field(ge=0, le=365), JSON_INTEGER] = 0
    connection_mode: ConnectionMode = ConnectionMode.PPPOE
    vlan_id: Annotated[int, Field(ge=1, le=4094), JSON_INTEGER] | None = None
    ip_pool: Name100 | None = None
    max_devices: Annotated[int, Field(ge=1, le=10_000), JSON_INTEGER] | None = None
    area_coverage: Annotated[
        list[Annotated[str, Field(min_length=1, max_length=100), TEXT_LINE]], Field(max_length=200)
    ] = []
    time_restrictions: JsonValue = None
    qos_priority: Annotated[int, Field(ge=1, le=8), JSON_INTEGER] | None = None
    queue_type: Annotated[str, Field(min_length=1, max_length=64), TEXT_LINE] | None = None
    traffic_shaping: JsonValue = None
    addons: JsonValue = None
    mikrotik_queue_config: JsonValue = None
    auto_apply_to_mikrotik: StrictBool = True
    queue_name_template: Name100 | None = None


ADVANCED_FIELDS = tuple(AdvancedConfig.model_fields)


@dataclass(frozen=True, kw_only=True)
class ServicePlan:
    id: UUID
    name: str
    description: str | None
    bandwidth_download: int
    bandwidth_upload: int
    monthly_price: Decimal
    is_active: bool
    advanced: AdvancedConfig | None
    advanced_created_at: datetime | None
    advanced_updated_at: datetime | None
    version: int
    created_at: datetime
    updated_at: datetime

    @property
    def cycle(self) -> BillingCycle:
        return self.advanced.billing_cycle if self.advanced else BillingCycle.MONTHLY

    def basic_values(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in PLAN_FIELDS}


@dataclass(frozen=True)
class FieldChange:
    field: str
    old_value: JsonValue
    new_value: JsonValue


@dataclass(frozen=True)
class ChangelogEntry:
    """One field change as the changelog keeps it: who made it and when."""

    id: UUID
    field: str
    old_value: Any
    new_value: Any
    changed_by: str | None
    changed_at: datetime


def _plain(value: Any) -> JsonValue:
    """A value as the changelog stores it: JSON, money as its decimal string."""
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    return value  # type: ignore[no-any-return]


def field_changes(
    old: Mapping[str, Any], new: Mapping[str, Any], prefix: str = ""
) -> list[FieldChange]:
    """One entry per field whose value differs, in the order of `new`'s fields."""
    changes = []
    for name, value in new.items():
        before, after = _plain(old.get(name)), _plain(value)
        if before != after:
            changes.append(FieldChange(prefix + name, before, after))
    return changes


def advanced_changes(old: AdvancedConfig | None, new: AdvancedConfig) -> list[FieldChange]:
    """A first config changes every field from absent (null) to its value."""
    before = old.model_dump(mode="json") if old else {}
    return field_changes(before, new.model_dump(mode="json"), ADVANCED_PREFIX)
