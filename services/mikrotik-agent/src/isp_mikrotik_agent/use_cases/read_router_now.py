"""Answers read from the router now (test-connection, live queues, dry run): they run in the API
process on a connection of their own (the caller hands it in unopened; it is closed after the
answer), and never change the router."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from isp_common.errors import ExternalServiceError, NotFound

from isp_mikrotik_agent.domain.router_objects import QUEUE
from isp_mikrotik_agent.domain.stored_state import RouterRecord
from isp_mikrotik_agent.domain.tags import customer_of
from isp_mikrotik_agent.use_cases.ports import (
    Decrypt,
    OneOffConnection,
    RouterUnreachable,
    UowFactory,
)
from isp_mikrotik_agent.use_cases.reconcile import reconcile

QUEUE_FIELDS = (
    ".id",
    "name",
    "target",
    "max-limit",
    "burst-limit",
    "bytes",
    "rate",
    "disabled",
    "comment",
)


async def _router(uow_factory: UowFactory, tenant_id: UUID, router_id: UUID) -> RouterRecord:
    async with uow_factory(tenant_id) as uow:
        router = await uow.routers.get(router_id)
    if router is None:
        raise NotFound("router")
    return router


async def test_connection(
    uow_factory: UowFactory, holder: OneOffConnection, tenant_id: UUID, router_id: UUID
) -> dict[str, Any]:
    router = await _router(uow_factory, tenant_id, router_id)
    try:
        client = await holder.client(router)
        facts = await client.facts()
    except RouterUnreachable as error:
        return {
            "ok": False,
            "identity": None,
            "version": None,
            "uptime": None,
            "latency_ms": None,
            "error": str(error),
        }
    finally:
        await holder.close()
    return {
        "ok": True,
        "identity": facts.identity,
        "version": facts.version,
        "uptime": facts.uptime,
        "latency_ms": facts.latency_ms,
        "error": None,
    }


async def read_queues(
    uow_factory: UowFactory, holder: OneOffConnection, tenant_id: UUID, router_id: UUID
) -> list[dict[str, Any]]:
    router = await _router(uow_factory, tenant_id, router_id)
    try:
        client = await holder.client(router)
        rows = await client.print(QUEUE, QUEUE_FIELDS)
    except RouterUnreachable as error:
        raise ExternalServiceError(
            "the router cannot be reached", {"router_id": str(router_id), "error": str(error)}
        ) from error
    finally:
        await holder.close()
    return [
        {
            "id": row.get(".id"),
            "name": row.get("name"),
            "target": row.get("target"),
            "max_limit": row.get("max-limit"),
            "burst_limit": row.get("burst-limit"),
            "bytes": row.get("bytes"),
            "rate": row.get("rate"),
            "disabled": row.get("disabled") == "true",
            "comment": row.get("comment"),
            "managed": customer_of(row.get("comment")) is not None,
            "customer_id": str(c) if (c := customer_of(row.get("comment"))) else None,
        }
        for row in rows
    ]


async def dry_run(
    uow_factory: UowFactory,
    holder: OneOffConnection,
    decrypt: Decrypt,
    tenant_id: UUID,
    router_id: UUID,
) -> dict[str, Any]:
    await _router(uow_factory, tenant_id, router_id)
    try:
        report = await reconcile(
            uow_factory, holder, decrypt, tenant_id, router_id, full=True, dry_run=True
        )
    except RouterUnreachable as error:
        raise ExternalServiceError(
            "the router cannot be reached", {"router_id": str(router_id), "error": str(error)}
        ) from error
    finally:
        await holder.close()
    assert report is not None
    return {**report.summary(), "dry_run": True, "changes": [c.described() for c in report.changes]}
