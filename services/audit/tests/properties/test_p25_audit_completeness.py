from __future__ import annotations

import random
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from isp_common.contracts import all_contracts

if TYPE_CHECKING:
    from conftest import Bus, Tenant

REGISTERED_TYPES = [contract.type for contract in all_contracts()]
_WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyz_", min_size=1, max_size=8)
UNKNOWN_TYPES = st.builds(lambda a, b, c: f"{a}.{b}.{c}", _WORD, _WORD, _WORD) | _WORD
EVENT_TYPES = st.sampled_from(REGISTERED_TYPES) | UNKNOWN_TYPES

_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(-(2**53), 2**53)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12)
)
JSON_DATA: st.SearchStrategy[dict[str, Any]] = st.dictionaries(
    st.text(max_size=10),
    st.recursive(
        _SCALARS,
        lambda inner: (
            st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
        ),
        max_leaves=8,
    ),
    max_size=5,
)

# One event to publish: its type, its data, which aggregate (of three) and version it is about,
# and how many times the broker delivers it.
published = st.tuples(
    EVENT_TYPES, JSON_DATA, st.integers(0, 2), st.integers(1, 4), st.integers(1, 3)
)


# Feature: isp-management-system, Property 25: Audit completeness (docs/properties.md)
@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(plan=st.lists(published, min_size=1, max_size=6), order=st.randoms(use_true_random=False))
async def test_every_event_yields_exactly_one_row_even_when_delivered_twice(
    new_tenant: Callable[[], Tenant],
    bus: Bus,
    plan: list[tuple[str, dict[str, Any], int, int, int]],
    order: random.Random,
) -> None:
    tenant = new_tenant()
    aggregates = [uuid.uuid4() for _ in range(3)]
    events = [
        tenant.event(type_, data, aggregate_id=aggregates[which], aggregate_version=version)
        for type_, data, which, version, _ in plan
    ]
    # Repeats and versions come in any order: a newer version before an older one, a repeat
    # right after the first delivery (handled at the same time) or long after.
    deliveries = [
        event for event, (*_, copies) in zip(events, plan, strict=True) for _ in range(copies)
    ]
    order.shuffle(deliveries)

    await bus.deliver(deliveries)

    answer = await tenant.client("admin").get("/audit-logs", params={"per_page": 100})
    rows = answer.json()["data"]
    assert sorted(row["event_id"] for row in rows) == sorted(str(event.id) for event in events)
    assert answer.json()["meta"]["total"] == len(events)
    for row in rows:
        event = next(e for e in events if str(e.id) == row["event_id"])
        assert row["event_type"] == event.type
        assert row["aggregate_id"] == str(event.aggregate_id)
        assert row["performed_by"] == event.actor.sub
    verdict = (await tenant.client("admin").get("/audit-logs/verify")).json()["data"]
    assert verdict["ok"] and verdict["checked"] == len(events)
