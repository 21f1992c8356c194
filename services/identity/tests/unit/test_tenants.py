"""The tenant's own rules: slug, timezone and currency, and what a change does."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from isp_common.errors import ValidationFailed

from isp_identity.domain.tenant import PLATFORM_TENANT_ID, Tenant, TenantChanges, TenantStatus

NOW = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)


def tenant(**overrides: object) -> Tenant:
    values: dict[str, object] = {
        "id": uuid.uuid4(),
        "slug": "net-one",
        "name": "Net One",
        "timezone": "Asia/Jakarta",
        "currency": "IDR",
        "now": NOW,
    }
    return Tenant.create(**{**values, **overrides})  # type: ignore[arg-type]


def refused_field(**overrides: object) -> str:
    with pytest.raises(ValidationFailed) as refused:
        tenant(**overrides)
    [field] = refused.value.details["fields"]
    return str(field["field"])


def test_a_new_tenant_is_active_at_version_one() -> None:
    created = tenant()
    assert (created.status, created.version, created.created_at) == (TenantStatus.ACTIVE, 1, NOW)


@pytest.mark.parametrize("slug", ["abc", "net-1", "a" * 63, "0isp9", "a-b-c"])
def test_slugs_of_lower_case_letters_digits_and_inner_hyphens_are_taken(slug: str) -> None:
    assert tenant(slug=slug).slug == slug


@pytest.mark.parametrize(
    "slug", ["ab", "a" * 64, "Net-one", "-net", "net-", "net one", "net_one", "nét", "net.one", ""]
)
def test_other_slugs_are_refused(slug: str) -> None:
    assert refused_field(slug=slug) == "slug"


@pytest.mark.parametrize("zone", ["Mars/Olympus", "utc", "Etc/../UTC", "/etc/localtime", ""])
def test_a_timezone_must_be_an_iana_name(zone: str) -> None:
    assert refused_field(timezone=zone) == "timezone"


@pytest.mark.parametrize("currency", ["idr", "RUPIAH", "ID", "US$", ""])
def test_a_currency_is_three_upper_case_letters(currency: str) -> None:
    assert refused_field(currency=currency) == "currency"


def test_the_platform_tenant_id_is_nobody_s_tenant() -> None:
    assert refused_field(id=PLATFORM_TENANT_ID) == "id"


def test_a_change_is_one_version_later_and_no_change_is_none() -> None:
    before = tenant()
    later = NOW + timedelta(hours=1)
    after = before.changed(TenantChanges(name="Net One Plus", timezone="Asia/Makassar"), later)
    assert after is not None
    assert (after.name, after.timezone, after.version, after.updated_at) == (
        "Net One Plus",
        "Asia/Makassar",
        2,
        later,
    )
    assert before.changed(TenantChanges(name="Net One", currency="IDR"), later) is None


def test_a_change_checks_what_it_sets() -> None:
    with pytest.raises(ValidationFailed):
        tenant().changed(TenantChanges(timezone="Nowhere/Else"), NOW)


def test_slug_and_status_are_the_operator_s_fields() -> None:
    assert TenantChanges(name="x").operator_only == []
    assert TenantChanges(slug="abc", status=TenantStatus.DISABLED).operator_only == [
        "slug",
        "status",
    ]
