"""Monitoring ingest: one sample or a batch (up to 10,000), from the API or the agent's events."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from isp_common.contracts.mikrotik import TrafficSampled
from isp_common.logging import get_logger

from isp_network.domain.errors import invalid_field
from isp_network.domain.monitoring import MAX_BATCH, AcceptanceWindow, Sample, SampleData
from isp_network.use_cases.clock import utc_now
from isp_network.use_cases.ports import UnitOfWork

log = get_logger(__name__)


async def record_samples(uow: UnitOfWork, batch: Sequence[SampleData], retention: timedelta) -> int:
    """Stores the samples; answers how many were kept. Samples older than retention keeps or
    from the far future are dropped (as a time-series store drops points outside its
    retention), and so are those of a deleted customer."""
    if len(batch) > MAX_BATCH:
        raise invalid_field("samples", f"at most {MAX_BATCH} samples per batch")
    window = AcceptanceWindow.around(utc_now(), retention)
    kept = [s for s in batch if window.oldest <= s.timestamp <= window.newest]
    return await uow.monitoring.insert(kept)


async def record_traffic(uow: UnitOfWork, traffic: TrafficSampled, retention: timedelta) -> int:
    """The agent's queue counters. `in` is towards the subscriber (download), `out` from them.
    A sample outside what is kept is dropped, not retried: another delivery cannot fix it."""
    window = AcceptanceWindow.around(utc_now(), retention)
    batch = [
        Sample(
            customer_id=s.customer_id,
            timestamp=s.at,
            download_speed=s.rate_in_kbps,
            upload_speed=s.rate_out_kbps,
            download_usage=s.bytes_in,
            upload_usage=s.bytes_out,
            is_online=s.is_online,
            last_seen=s.at if s.is_online else None,
        )
        for s in traffic.samples
        if window.oldest <= s.at <= window.newest
    ]
    if len(batch) < len(traffic.samples):
        log.warning(
            "traffic samples outside the kept window dropped",
            router_id=str(traffic.router_id),
            dropped=len(traffic.samples) - len(batch),
        )
    kept = 0
    for start in range(0, len(batch), MAX_BATCH):
        kept += await uow.monitoring.insert(batch[start : start + MAX_BATCH])
    return kept
