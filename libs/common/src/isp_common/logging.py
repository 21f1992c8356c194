"""Structured JSON logs; every line carries request_id, correlation_id and tenant_id."""

from __future__ import annotations

import logging
import sys
from typing import Any

import structlog

from isp_common import context


def _add_context(_: Any, __: str, event: dict[str, Any]) -> dict[str, Any]:
    ctx = context.get()
    event.setdefault("request_id", ctx.request_id)
    event.setdefault("correlation_id", ctx.correlation_id)
    event.setdefault("tenant_id", str(ctx.tenant_id) if ctx.tenant_id else None)
    return event


def configure_logging(service: str, level: str = "INFO", json: bool = True) -> None:
    """One pipeline for structlog's and the standard library's records, rendered once."""
    shared: list[Any] = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        _add_context,
    ]
    renderer: Any = structlog.processors.JSONRenderer() if json else structlog.dev.ConsoleRenderer()
    structlog.configure(
        processors=[
            structlog.stdlib.filter_by_level,
            *shared,
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            foreign_pre_chain=shared,
            processors=[
                structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                structlog.processors.format_exc_info,
                renderer,
            ],
        )
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    structlog.contextvars.bind_contextvars(service=service)
    for noisy in ("uvicorn.access", "aio_pika", "aiormq"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, root.level))


def get_logger(name: str | None = None) -> Any:
    return structlog.get_logger(name)
