"""The Prometheus metrics every service exposes at /metrics (names are the dashboards' contract)."""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

HTTP_REQUEST_SECONDS = Histogram(
    "isp_http_request_duration_seconds",
    "HTTP request latency",
    ["service", "method", "route", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5),
)
OUTBOX_BACKLOG = Gauge(
    "isp_outbox_backlog", "Events in the outbox not yet confirmed by the broker", ["service"]
)
OUTBOX_LAG_SECONDS = Gauge(
    "isp_outbox_lag_seconds", "Age of the oldest unpublished event", ["service"]
)
OUTBOX_PUBLISHED = Counter(
    "isp_outbox_published_total", "Events published and confirmed", ["service"]
)
OUTBOX_PUBLISH_FAILURES = Counter(
    "isp_outbox_publish_failures_total", "Publish attempts nacked, returned or cut off", ["service"]
)
CONSUMER_HANDLED = Counter("isp_consumer_handled_total", "Events handled", ["queue", "outcome"])
CONSUMER_FAILURES = Counter(
    "isp_consumer_failures_total", "Handler failures (each attempt)", ["queue"]
)
DEAD_LETTERED = Counter(
    "isp_consumer_dead_lettered_total", "Events sent to the dead-letter queue", ["queue"]
)
DLQ_DEPTH = Gauge("isp_dlq_depth", "Messages waiting in a dead-letter queue", ["queue"])
JOB_RUNS = Counter("isp_job_runs_total", "Periodic job runs", ["job_name", "outcome"])
JOB_TENANT_FAILURES = Counter(
    "isp_job_tenant_failures_total",
    "Tenants a periodic job's round failed for (the round went on with the others)",
    ["job_name"],
)
