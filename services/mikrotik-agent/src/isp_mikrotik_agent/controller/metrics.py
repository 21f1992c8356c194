"""The agent's own metrics (deploy/monitoring's router panels and alerts read them)."""

from __future__ import annotations

from prometheus_client import Gauge, Histogram

ROUTER_UP = Gauge(
    "isp_router_up", "1 while the agent reaches the router, 0 while it does not", ["router_id"]
)
RECONCILE_SECONDS = Histogram(
    "isp_reconcile_duration_seconds",
    "One reconcile of a router (targeted or full), reading and writing included",
    ["kind"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
