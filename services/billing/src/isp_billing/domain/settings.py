"""A tenant's billing settings: what its documents say and when its daily run happens."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from isp_common.text import TEXT_LINE, TEXT_LINES

from isp_billing.domain.text import JSON_INTEGER


def _known_timezone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError("not a known IANA timezone name") from None
    return name


_ZONES = sorted(available_timezones())
Timezone = Annotated[
    str,
    Field(min_length=1, max_length=64, json_schema_extra={"enum": _ZONES}),
    AfterValidator(_known_timezone),
]


class BillingSettings(BaseModel):
    """PUT replaces the whole settings; a field left out takes its default."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    isp_name: Annotated[str, Field(min_length=1, max_length=200), TEXT_LINE] | None = None
    address: Annotated[str, Field(min_length=1, max_length=1000), TEXT_LINES] | None = None
    tax_number: Annotated[str, Field(min_length=1, max_length=64), TEXT_LINE] | None = None
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")] = "IDR"
    invoice_due_days: Annotated[int, Field(ge=0, le=365), JSON_INTEGER] = 7
    daily_run_hour: Annotated[int, Field(ge=0, le=23), JSON_INTEGER] = 1
    timezone: Timezone = "UTC"

    def today(self, now: datetime | None = None) -> date:
        """The calendar day in the tenant's timezone (docs/billing.md, "Dates")."""
        return (now or datetime.now(UTC)).astimezone(ZoneInfo(self.timezone)).date()


# The settings identity's tenant profile seeds, each from the profile's field of that name.
SEEDED_FIELDS = {"isp_name": "name", "timezone": "timezone", "currency": "currency"}


@dataclass(frozen=True)
class TenantProfile:
    """The tenant as identity publishes it (identity.tenant.*), at its version."""

    name: str
    timezone: str
    currency: str
    version: int


def seeded(
    settings: BillingSettings, own_fields: frozenset[str], profile: TenantProfile | None
) -> BillingSettings:
    """The settings with every seeded field the tenant did not set itself taken from its
    profile (docs/billing.md, "Settings"); a profile value these settings refuse is left out."""
    if profile is None:
        return settings
    values = settings.model_dump()
    for field, source in SEEDED_FIELDS.items():
        if field not in own_fields:
            values[field] = getattr(profile, source)
    try:
        return BillingSettings.model_validate(values)
    except ValueError:
        return settings


def own_fields_of(settings: BillingSettings) -> frozenset[str]:
    """The seeded fields a PUT named: the tenant's own from then on (a PUT replaces them all)."""
    return frozenset(settings.model_fields_set & SEEDED_FIELDS.keys())
