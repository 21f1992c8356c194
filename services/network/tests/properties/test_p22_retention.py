"""Property 22: after a retention run with cut-off T, no sample older than T remains (in any
tenant) and none newer is lost. Whole day partitions go; the one holding T is trimmed."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine

if TYPE_CHECKING:
    from conftest import Tenant

NOW = datetime.now(UTC).replace(microsecond=0)


@pytest.fixture
async def no_retention_floor(owner_engine: AsyncEngine) -> AsyncIterator[None]:
    """The property is about the cut-off itself: the owner lets it reach now for this test."""
    async with owner_engine.begin() as conn:
        before = await conn.scalar(text("SELECT min_days FROM network.sample_retention_floor"))
        await conn.execute(text("UPDATE network.sample_retention_floor SET min_days = 0"))
    yield
    async with owner_engine.begin() as conn:
        await conn.execute(
            text("UPDATE network.sample_retention_floor SET min_days = :d"), {"d": before}
        )


SPAN = 4 * 24 * 60  # minutes back


# Feature: isp-management-system, Property 22: Retention (docs/properties.md)
@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    minutes_back=st.lists(st.integers(0, SPAN), min_size=1, max_size=30),
    cutoff_back=st.integers(0, SPAN),
)
async def test_retention_keeps_exactly_what_is_newer(
    no_retention_floor: None,
    new_tenant: Callable[[], Tenant],
    owner_engine: AsyncEngine,
    minutes_back: list[int],
    cutoff_back: int,
) -> None:
    tenant = new_tenant()
    client = tenant.client("admin")
    customer_id = uuid.uuid4()
    stamps = [NOW - timedelta(minutes=m, seconds=7) for m in minutes_back]
    batch = [{"customer_id": str(customer_id), "timestamp": t.isoformat()} for t in stamps]
    assert (await client.post("/monitoring", json={"samples": batch})).status_code == 201
    cutoff = NOW - timedelta(minutes=cutoff_back)

    outcome = await tenant.runtime.partitions.apply_retention(cutoff)

    params = {"date_from": (NOW - timedelta(days=10)).isoformat(), "date_to": NOW.isoformat()}
    kept = await client.get(f"/customers/{customer_id}/monitoring", params=params)
    got = sorted(datetime.fromisoformat(s["timestamp"]) for s in kept.json()["data"]["samples"])
    assert got == sorted(t for t in stamps if t >= cutoff)
    async with owner_engine.connect() as conn:
        older = await conn.scalar(
            text("SELECT count(*) FROM network.samples WHERE sampled_at < :t"), {"t": cutoff}
        )
        bounds = await conn.scalar(
            text(
                "SELECT count(*) FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
                "WHERE i.inhparent = 'network.samples'::regclass AND CASE "
                "WHEN c.relname ~ '^samples_p[0-9]{8}$' "
                "THEN to_date(substr(c.relname, 10), 'YYYYMMDD') + 1 <= :day END"
            ),
            {"day": cutoff.date()},
        )
    assert older == 0
    # No partition lies wholly before the cut-off any more: they were dropped, not emptied.
    assert bounds == 0
    assert outcome.cutoff == cutoff


async def test_the_service_cannot_cut_into_the_owners_floor(
    new_tenant: Callable[[], Tenant], owner_engine: AsyncEngine
) -> None:
    """A caller of the SECURITY DEFINER function (the service's role) asking for a cut-off of
    now deletes nothing newer than the floor (two days here), and cannot lower the floor."""
    tenant = new_tenant()
    customer_id = uuid.uuid4()
    ages = [timedelta(hours=1), timedelta(days=1), timedelta(days=2, hours=1), timedelta(days=3)]
    batch = [
        {"customer_id": str(customer_id), "timestamp": (NOW - age).isoformat()} for age in ages
    ]
    client = tenant.client("admin")
    assert (await client.post("/monitoring", json={"samples": batch})).status_code == 201
    async with owner_engine.begin() as conn:
        before = await conn.scalar(text("SELECT min_days FROM network.sample_retention_floor"))
        await conn.execute(text("UPDATE network.sample_retention_floor SET min_days = 2"))
    try:
        async with tenant.runtime.db.engine.begin() as conn:  # the service's own role
            changed = await conn.execute(
                text("UPDATE network.sample_retention_floor SET min_days = 0")
            )
            assert changed.rowcount == 0
        outcome = await tenant.runtime.partitions.apply_retention(datetime.now(UTC))
        assert outcome.cutoff <= datetime.now(UTC) - timedelta(days=2)
        params = {"date_from": (NOW - timedelta(days=10)).isoformat(), "date_to": NOW.isoformat()}
        kept = await client.get(f"/customers/{customer_id}/monitoring", params=params)
        got = sorted(datetime.fromisoformat(s["timestamp"]) for s in kept.json()["data"]["samples"])
        assert got == sorted(NOW - age for age in ages if age < timedelta(days=2))
    finally:
        async with owner_engine.begin() as conn:
            await conn.execute(
                text("UPDATE network.sample_retention_floor SET min_days = :d"), {"d": before}
            )


async def test_partitions_are_made_only_near_today(runtime: Any) -> None:
    far = [date(2999, 1, 1)]
    with pytest.raises(DBAPIError, match="refused"):
        await runtime.partitions.ensure(far)
