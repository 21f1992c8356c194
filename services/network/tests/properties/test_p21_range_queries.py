"""Property 21: a customer's series for [from, to) holds exactly the samples ingested for that
customer in that range, in time order; bucketed series aggregate them exactly."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from isp_network.domain.monitoring import Bucket, bucket_start

if TYPE_CHECKING:
    from conftest import Tenant

# Times are minutes back from a fixed "now", across several UTC days (and partitions).
NOW = datetime.now(UTC).replace(second=0, microsecond=0)
SPAN = 3 * 24 * 60
points = st.tuples(
    st.integers(0, SPAN), st.integers(0, 100_000), st.integers(0, 50_000), st.integers(0, 10**9)
)


def _at(minutes_back: int) -> datetime:
    return NOW - timedelta(minutes=minutes_back)


def _body(customer_id: uuid.UUID, point: tuple[int, int, int, int]) -> dict[str, Any]:
    minutes, down, up, usage = point
    return {
        "customer_id": str(customer_id),
        "timestamp": _at(minutes).isoformat(),
        "download_speed": down,
        "upload_speed": up,
        "download_usage": usage,
        "upload_usage": usage // 3,
        "is_online": down % 2 == 0,
    }


def _avg(values: list[int]) -> float:
    exact = Decimal(sum(values)) / Decimal(len(values))
    return float(exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


# Feature: isp-management-system, Property 21: Range queries (docs/properties.md)
@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    mine=st.lists(points, max_size=25),
    others=st.lists(points, max_size=10),
    window=st.tuples(st.integers(0, SPAN + 60), st.integers(0, SPAN + 60)),
    bucket=st.sampled_from(list(Bucket)),
)
async def test_series_hold_exactly_the_range(
    new_tenant: Callable[[], Tenant],
    mine: list[tuple[int, int, int, int]],
    others: list[tuple[int, int, int, int]],
    window: tuple[int, int],
    bucket: Bucket,
) -> None:
    client = new_tenant().client("admin")
    me, neighbour = uuid.uuid4(), uuid.uuid4()
    batch = [_body(me, p) for p in mine] + [_body(neighbour, p) for p in others]
    if batch:
        answer = await client.post("/monitoring", json={"samples": batch})
        assert answer.json()["data"]["stored"] == len(batch), answer.text
    start, end = _at(max(window)), _at(min(window))  # [start, end)
    params = {"date_from": start.isoformat(), "date_to": end.isoformat()}

    expected = sorted(
        (p for p in mine if start <= _at(p[0]) < end), key=lambda p: (_at(p[0]), p[1:])
    )
    raw = (await client.get(f"/customers/{me}/monitoring", params=params)).json()["data"]
    got = [
        (s["timestamp"], s["download_speed"], s["upload_speed"], s["download_usage"])
        for s in raw["samples"]
    ]
    stamps = [g[0] for g in got]
    assert stamps == sorted(stamps)
    want = [(_at(p[0]), p[1], p[2], p[3]) for p in expected]
    assert sorted((datetime.fromisoformat(g[0]), *g[1:]) for g in got) == sorted(want)

    grouped: dict[datetime, list[tuple[int, int, int, int]]] = defaultdict(list)
    for p in expected:
        grouped[bucket_start(_at(p[0]), bucket)].append(p)
    series = await client.get(
        f"/customers/{me}/monitoring", params={**params, "bucket": bucket.value}
    )
    buckets = series.json()["data"]["buckets"]
    assert [datetime.fromisoformat(b["bucket_start"]) for b in buckets] == sorted(grouped)
    for b in buckets:
        group = grouped[datetime.fromisoformat(b["bucket_start"])]
        assert b["samples"] == len(group)
        assert b["avg_download_speed"] == _avg([p[1] for p in group])
        assert b["max_download_speed"] == max(p[1] for p in group)
        assert b["avg_upload_speed"] == _avg([p[2] for p in group])
        assert b["max_upload_speed"] == max(p[2] for p in group)
        assert b["download_usage"] == sum(p[3] for p in group)
        assert b["upload_usage"] == sum(p[3] // 3 for p in group)
        assert b["online_samples"] == sum(1 for p in group if p[1] % 2 == 0)
