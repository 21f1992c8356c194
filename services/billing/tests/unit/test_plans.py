"""A plan's advanced config (what it accepts) and its changelog rule (one entry per change)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from pydantic import ValidationError

from isp_billing.domain.cycles import BillingCycle
from isp_billing.domain.plans import (
    ADVANCED_FIELDS,
    AdvancedConfig,
    ConnectionMode,
    ServicePlan,
    advanced_changes,
    field_changes,
)


def test_an_empty_advanced_config_takes_the_documented_defaults() -> None:
    config = AdvancedConfig()
    assert config.billing_cycle is BillingCycle.MONTHLY
    assert config.connection_mode is ConnectionMode.PPPOE
    assert config.is_unlimited is True
    assert config.grace_period_days == 0
    assert config.area_coverage == []


@pytest.mark.parametrize(
    ("field", "lowest", "highest"),
    [
        ("vlan_id", 1, 4094),
        ("burst_time", 1, 3600),
        ("grace_period_days", 0, 365),
        ("qos_priority", 1, 8),
        ("max_devices", 1, 10_000),
        ("duration_days", 1, 3660),
        ("burst_rate_download", 1, 100_000_000),
        ("monthly_quota_gb", 0, 1_000_000),
    ],
)
def test_a_bounded_field_accepts_its_bounds_and_nothing_past_them(
    field: str, lowest: int, highest: int
) -> None:
    assert getattr(AdvancedConfig(**{field: lowest}), field) == lowest
    assert getattr(AdvancedConfig(**{field: highest}), field) == highest
    for outside in (lowest - 1, highest + 1):
        with pytest.raises(ValidationError):
            AdvancedConfig(**{field: outside})


@pytest.mark.parametrize("value", ["5", True, 5.5])
def test_a_count_is_a_json_integer_only(value: Any) -> None:
    with pytest.raises(ValidationError):
        AdvancedConfig(vlan_id=value)


def test_a_whole_float_is_a_json_integer() -> None:
    assert AdvancedConfig(vlan_id=5.0).vlan_id == 5


def test_flags_are_strict_booleans() -> None:
    with pytest.raises(ValidationError):
        AdvancedConfig(is_unlimited="true")
    with pytest.raises(ValidationError):
        AdvancedConfig(auto_apply_to_mikrotik=1)


def test_an_unknown_field_or_an_unknown_cycle_is_refused() -> None:
    with pytest.raises(ValidationError):
        AdvancedConfig(burst_rate="1M")
    with pytest.raises(ValidationError):
        AdvancedConfig(billing_cycle="weekly")


def test_text_is_stripped_and_must_not_be_blank() -> None:
    assert AdvancedConfig(ip_pool="  pool-a  ").ip_pool == "pool-a"
    with pytest.raises(ValidationError):
        AdvancedConfig(ip_pool="   ")
    with pytest.raises(ValidationError):
        AdvancedConfig(area_coverage=[""])


def _plan(advanced: AdvancedConfig | None) -> ServicePlan:
    now = datetime(2027, 1, 1, tzinfo=UTC)
    return ServicePlan(
        id=uuid.uuid4(),
        name="Home 20",
        description=None,
        bandwidth_download=20_000,
        bandwidth_upload=10_000,
        monthly_price=Decimal("150000.00"),
        is_active=True,
        advanced=advanced,
        advanced_created_at=None,
        advanced_updated_at=None,
        version=1,
        created_at=now,
        updated_at=now,
    )


def test_a_plan_without_advanced_config_bills_monthly() -> None:
    assert _plan(None).cycle is BillingCycle.MONTHLY
    quarterly = AdvancedConfig(billing_cycle=BillingCycle.QUARTERLY)
    assert _plan(quarterly).cycle is BillingCycle.QUARTERLY


def test_only_changed_fields_are_logged_in_the_order_of_the_new_values() -> None:
    old = {"name": "Home", "monthly_price": Decimal("150000.00"), "is_active": True}
    new = {"is_active": False, "monthly_price": Decimal("150000.00"), "name": "Home+"}
    changes = field_changes(old, new)
    assert [(c.field, c.old_value, c.new_value) for c in changes] == [
        ("is_active", True, False),
        ("name", "Home", "Home+"),
    ]


def test_money_and_enums_are_logged_as_their_json_text() -> None:
    old = {"monthly_price": Decimal("150000.00"), "cycle": BillingCycle.MONTHLY}
    new = {"monthly_price": Decimal("175000.50"), "cycle": BillingCycle.YEARLY}
    changes = {c.field: c for c in field_changes(old, new)}
    assert changes["monthly_price"].old_value == "150000.00"
    assert changes["monthly_price"].new_value == "175000.50"
    assert changes["cycle"].new_value == "yearly"


def test_a_field_missing_before_changes_from_null() -> None:
    [change] = field_changes({}, {"description": "Fast"})
    assert (change.old_value, change.new_value) == (None, "Fast")


def test_a_first_advanced_config_logs_every_field_from_null() -> None:
    config = AdvancedConfig(vlan_id=10)
    changes = advanced_changes(None, config)
    # A field still null in the first config did not change, so it has no entry.
    present = [name for name in ADVANCED_FIELDS if getattr(config, name) is not None]
    assert [c.field for c in changes] == [f"advanced.{name}" for name in present]
    assert "advanced.vlan_id" in [c.field for c in changes]
    assert all(c.old_value is None for c in changes)


def test_replacing_the_advanced_config_logs_only_what_differs() -> None:
    before = AdvancedConfig(vlan_id=10, area_coverage=["Bandung"])
    after = AdvancedConfig(vlan_id=20, area_coverage=["Bandung"])
    changes = advanced_changes(before, after)
    assert [(c.field, c.old_value, c.new_value) for c in changes] == [("advanced.vlan_id", 10, 20)]
    assert advanced_changes(after, after) == []
