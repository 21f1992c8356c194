"""identity.tenant.* seeds the tenant's billing settings: the name on documents, the timezone
and the currency, wherever the tenant has not set its own; level-triggered by the profile's
version, and published as billing.settings.updated like a PUT."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from isp_common import context
from isp_common.contracts.identity import TenantSnapshot
from isp_common.messaging.envelope import new_event

from isp_billing.consumers.handlers import HANDLERS

if TYPE_CHECKING:
    from conftest import Tenant

Events = Callable[[uuid.UUID], Awaitable[list[dict[str, Any]]]]


async def tenant_event(tenant: Tenant, version: int, **fields: Any) -> None:
    """What identity's identity.tenant.* event at `version` tells billing, handled as the
    consumer handles it (inside one unit of work), without the consumer's own version check."""
    now = datetime.now(UTC)
    snapshot = TenantSnapshot(
        id=tenant.id,
        slug="net-one",
        **{"name": "Net One", "timezone": "Asia/Jakarta", "currency": "USD", **fields},
        status="active",
        version=version,
        created_at=now,
        updated_at=now,
    )
    token = context.current.set(context.RequestContext(actor=context.Actor(sub="identity")))
    try:
        verb = "created" if version == 1 else "updated"
        event = new_event(
            f"identity.tenant.{verb}",
            tenant_id=tenant.id,
            producer="identity",
            aggregate_id=tenant.id,
            aggregate_version=version,
            data=snapshot,
        )
        async with tenant.runtime.unit_of_work(tenant.id) as uow:
            await HANDLERS[event.type](event, uow)
            await uow.commit()
    finally:
        context.current.reset(token)


async def settings_of(tenant: Tenant) -> dict[str, Any]:
    answer = await tenant.client("admin").get("/billing/settings")
    assert answer.status_code == 200, answer.text
    return dict(answer.json()["data"])


def seeded_part(settings: dict[str, Any]) -> tuple[Any, ...]:
    return settings["isp_name"], settings["timezone"], settings["currency"]


async def test_a_new_tenant_s_settings_take_its_name_timezone_and_currency(
    tenant: Tenant, outbox_events: Events
) -> None:
    await tenant_event(tenant, 1)
    settings = await settings_of(tenant)
    assert seeded_part(settings) == ("Net One", "Asia/Jakarta", "USD")
    assert settings["invoice_due_days"] == 7  # not seeded: its default
    published = [
        e for e in await outbox_events(tenant.id) if e["type"] == "billing.settings.updated"
    ]
    assert [e["data"]["timezone"] for e in published] == ["Asia/Jakarta"]


async def test_an_older_or_repeated_profile_changes_nothing(
    tenant: Tenant, outbox_events: Events
) -> None:
    await tenant_event(tenant, 2, name="Net One Plus")
    await tenant_event(tenant, 1, name="Net One")  # overtaken
    await tenant_event(tenant, 2, name="Net One Plus")  # a replay
    assert (await settings_of(tenant))["isp_name"] == "Net One Plus"
    published = [
        e for e in await outbox_events(tenant.id) if e["type"] == "billing.settings.updated"
    ]
    assert len(published) == 1


async def test_what_the_tenant_set_itself_stays_and_the_rest_follows_the_profile(
    tenant: Tenant,
) -> None:
    await tenant_event(tenant, 1)
    put = await tenant.client("admin").put(
        "/billing/settings", json={"timezone": "Asia/Makassar", "invoice_due_days": 10}
    )
    assert put.status_code == 200, put.text
    # Left out of the PUT, the name and the currency are still the profile's.
    assert seeded_part(put.json()["data"]) == ("Net One", "Asia/Makassar", "USD")
    await tenant_event(tenant, 2, name="Net Two", timezone="Asia/Jayapura", currency="IDR")
    settings = await settings_of(tenant)
    assert seeded_part(settings) == ("Net Two", "Asia/Makassar", "IDR")
    assert settings["invoice_due_days"] == 10


async def test_a_tenant_unknown_to_identity_keeps_the_defaults(tenant: Tenant) -> None:
    put = await tenant.client("admin").put("/billing/settings", json={"invoice_due_days": 3})
    assert put.status_code == 200, put.text
    assert seeded_part(put.json()["data"]) == (None, "UTC", "IDR")
