"""Monitoring through the API: one sample or a batch, series raw and bucketed, the current
sample, lists, a subscriber's own data only, and what is dropped."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from conftest import Tenant

NOW = datetime.now(UTC).replace(microsecond=0)


def sample(customer_id: uuid.UUID, at: datetime, **overrides: Any) -> dict[str, Any]:
    body = {
        "customer_id": str(customer_id),
        "timestamp": at.isoformat(),
        "download_speed": 20_000,
        "upload_speed": 5_000,
        "download_usage": 1_000_000,
        "upload_usage": 200_000,
        "onu_status": "working",
        "signal_strength": -21.5,
        "temperature": 41.0,
        "uptime": 3600,
        "is_online": True,
    }
    body.update(overrides)
    return body


async def test_one_sample_and_a_batch(tenant: Tenant) -> None:
    client = tenant.client("technician")
    customer_id = uuid.uuid4()
    one = await client.post("/monitoring", json=sample(customer_id, NOW - timedelta(hours=2)))
    assert one.status_code == 201, one.text
    assert one.json()["data"] == {"received": 1, "stored": 1, "dropped": 0}
    batch = [
        sample(customer_id, NOW - timedelta(minutes=5 * n), download_speed=n) for n in range(1, 13)
    ]
    many = await client.post("/monitoring", json={"samples": batch})
    assert many.json()["data"]["stored"] == 12

    current = (await client.get(f"/customers/{customer_id}/monitoring/current")).json()["data"]
    assert current["download_speed"] == 1 and current["signal_strength"] == -21.5
    series = await client.get(
        f"/customers/{customer_id}/monitoring",
        params={"date_from": (NOW - timedelta(hours=3)).isoformat(), "date_to": NOW.isoformat()},
    )
    stamps = [s["timestamp"] for s in series.json()["data"]["samples"]]
    assert len(stamps) == 13 and stamps == sorted(stamps)

    hourly = await client.get(
        f"/customers/{customer_id}/monitoring",
        params={
            "date_from": (NOW - timedelta(hours=3)).isoformat(),
            "date_to": NOW.isoformat(),
            "bucket": "1d",
        },
    )
    points = hourly.json()["data"]["buckets"]
    assert sum(p["samples"] for p in points) == 13
    assert sum(p["download_usage"] for p in points) == 13_000_000
    assert max(p["max_download_speed"] for p in points) == 20_000


async def test_samples_outside_retention_or_of_deleted_customers_are_dropped(
    tenant: Tenant,
) -> None:
    client = tenant.client("admin")
    gone, kept = uuid.uuid4(), uuid.uuid4()
    await tenant.place_customer(gone, None, deleted=True, verb="deleted")
    answer = await client.post(
        "/monitoring",
        json={
            "samples": [
                sample(kept, NOW - timedelta(days=400)),
                sample(kept, NOW + timedelta(days=30)),
                sample(gone, NOW - timedelta(minutes=1)),
                sample(kept, NOW - timedelta(minutes=1)),
            ]
        },
    )
    assert answer.json()["data"] == {"received": 4, "stored": 1, "dropped": 3}


async def test_lists_filter_and_a_subscriber_sees_only_their_own(tenant: Tenant) -> None:
    admin = tenant.client("admin")
    mine, theirs = uuid.uuid4(), uuid.uuid4()
    await admin.post(
        "/monitoring",
        json={
            "samples": [
                sample(mine, NOW - timedelta(minutes=10), is_online=False),
                sample(theirs, NOW - timedelta(minutes=10)),
            ]
        },
    )
    assert (await admin.get("/monitoring")).json()["meta"]["total"] == 2
    offline = await admin.get("/monitoring", params={"is_online": False})
    assert [s["customer_id"] for s in offline.json()["data"]] == [str(mine)]
    subscriber = tenant.client("customer", customer_id=mine)
    listed = await subscriber.get("/monitoring")
    assert [s["customer_id"] for s in listed.json()["data"]] == [str(mine)]
    assert (await subscriber.get(f"/customers/{theirs}/monitoring")).status_code == 404
    assert (await subscriber.get(f"/customers/{mine}/monitoring/current")).status_code == 200
    assert (await admin.get(f"/customers/{uuid.uuid4()}/monitoring/current")).status_code == 404


async def test_bad_batches_are_refused(tenant: Tenant) -> None:
    client = tenant.client("admin")
    too_many = [sample(uuid.uuid4(), NOW)] * 10_001
    assert (await client.post("/monitoring", json={"samples": too_many})).status_code == 422
    negative = sample(uuid.uuid4(), NOW, download_speed=-1)
    assert (await client.post("/monitoring", json=negative)).status_code == 422
    assert (await client.post("/monitoring", json={"samples": []})).status_code == 422


async def test_a_customers_series_takes_page_and_per_page(tenant: Tenant) -> None:
    """Like every other list: without them the whole window, with them one page and `meta`."""
    client = tenant.client("admin")
    customer_id = uuid.uuid4()
    stamps = [NOW - timedelta(minutes=5 * n) for n in range(1, 8)]
    batch = [sample(customer_id, t) for t in stamps]
    assert (await client.post("/monitoring", json={"samples": batch})).status_code == 201
    window = {"date_from": (NOW - timedelta(hours=1)).isoformat(), "date_to": NOW.isoformat()}
    path = f"/customers/{customer_id}/monitoring"

    whole = (await client.get(path, params=window)).json()
    assert len(whole["data"]["samples"]) == 7 and "meta" not in whole
    ordered = [s["timestamp"] for s in whole["data"]["samples"]]

    second = await client.get(path, params={**window, "page": 2, "per_page": 3})
    assert second.status_code == 200, second.text
    assert [s["timestamp"] for s in second.json()["data"]["samples"]] == ordered[3:6]
    assert second.json()["meta"] == {"page": 2, "per_page": 3, "total": 7}

    buckets = await client.get(path, params={**window, "bucket": "5m", "per_page": 2})
    assert len(buckets.json()["data"]["buckets"]) == 2
    assert buckets.json()["meta"] == {"page": 1, "per_page": 2, "total": 7}

    for bad in ({"page": 0}, {"per_page": 101}, {"page": 10**18}):
        refused = await client.get(path, params={**window, **bad})
        assert refused.status_code == 422, refused.text
        fields = refused.json()["error"]["details"]["fields"]
        assert any(next(iter(bad)) in f["field"] for f in fields), fields
