"""Reading the trail: one row, a page of rows (any filter), one customer's rows."""

from __future__ import annotations

from uuid import UUID

from isp_common.errors import NotFound
from isp_common.pagination import Page, PageRequest

from isp_audit.domain.entry import AuditRecord
from isp_audit.domain.listing import AuditFilter
from isp_audit.use_cases.ports import UnitOfWork


async def get_audit_log(uow: UnitOfWork, record_id: UUID) -> AuditRecord:
    record = await uow.audit_logs.get(record_id)
    if record is None:
        raise NotFound("audit log")
    return record


async def list_audit_logs(
    uow: UnitOfWork, where: AuditFilter, request: PageRequest
) -> Page[AuditRecord]:
    return await uow.audit_logs.page(where, request)
