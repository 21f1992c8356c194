"""A tenant's billing settings: what they accept and which calendar day is the tenant's."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from pydantic import TypeAdapter, ValidationError

from isp_billing.domain.settings import BillingSettings, TenantProfile, own_fields_of, seeded
from isp_billing.domain.text import IsoDate


def test_settings_left_out_take_their_defaults() -> None:
    settings = BillingSettings()
    assert (settings.currency, settings.invoice_due_days, settings.daily_run_hour) == ("IDR", 7, 1)
    assert settings.timezone == "UTC"


@pytest.mark.parametrize(
    "fields",
    [
        {"timezone": "Asia/Bandung"},
        {"timezone": "../../etc/passwd"},
        {"timezone": ""},
        {"currency": "idr"},
        {"currency": "RUPIAH"},
        {"daily_run_hour": 24},
        {"daily_run_hour": -1},
        {"invoice_due_days": 366},
        {"invoice_due_days": "7"},
        {"invoice_due_days": True},
        {"isp_name": "   "},
        {"isp_name": "Net\nCo"},
        {"smtp_host": "mail"},
    ],
)
def test_settings_refuse_what_a_document_or_the_run_cannot_use(fields: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        BillingSettings(**fields)


def test_settings_accept_their_bounds() -> None:
    settings = BillingSettings(
        daily_run_hour=23, invoice_due_days=0, timezone="Asia/Jakarta", address="Jl. A\nBandung"
    )
    assert (settings.daily_run_hour, settings.invoice_due_days) == (23, 0)
    assert settings.address == "Jl. A\nBandung"


@pytest.mark.parametrize(
    ("zone", "today"),
    [
        ("Asia/Jakarta", date(2028, 3, 1)),
        ("UTC", date(2028, 2, 29)),
        ("America/Los_Angeles", date(2028, 2, 29)),
        ("Pacific/Kiritimati", date(2028, 3, 1)),
    ],
)
def test_today_is_the_calendar_day_in_the_tenants_timezone(zone: str, today: date) -> None:
    now = datetime(2028, 2, 29, 20, 0, tzinfo=UTC)
    assert BillingSettings(timezone=zone).today(now) == today


@pytest.mark.parametrize("value", ["2027-02-29", "2027-1-05", "20270105", 20270105, None])
def test_a_date_field_takes_only_a_real_yyyy_mm_dd(value: Any) -> None:
    with pytest.raises(ValidationError):
        TypeAdapter(IsoDate).validate_python(value)


def test_a_date_field_parses_yyyy_mm_dd() -> None:
    assert TypeAdapter(IsoDate).validate_python("2028-02-29") == date(2028, 2, 29)


def test_a_tenant_profile_seeds_the_fields_the_tenant_did_not_set() -> None:
    profile = TenantProfile("Net One", "Asia/Jakarta", "USD", version=3)
    put = BillingSettings.model_validate({"timezone": "Asia/Makassar", "invoice_due_days": 10})
    own = own_fields_of(put)
    assert own == {"timezone"}
    result = seeded(put, own, profile)
    assert (result.isp_name, result.timezone, result.currency, result.invoice_due_days) == (
        "Net One",
        "Asia/Makassar",
        "USD",
        10,
    )
    assert seeded(put, own, None) == put
    refused = TenantProfile("Net One", "Nowhere/Else", "USD", version=4)
    assert seeded(put, frozenset(), refused) == put  # a value these settings refuse: left out
