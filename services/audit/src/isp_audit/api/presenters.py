"""The audit row as the API shows it: every stored field, so that an auditor can recompute each
hash from an export of these answers (docs/audit.md)."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from pydantic import BaseModel

from isp_audit.domain.entry import AuditRecord
from isp_audit.use_cases.verify_chain import ChainReport


class AuditLogOut(BaseModel):
    id: UUID
    tenant_id: UUID
    seq: int
    category: str
    action: str
    description: str
    customer_id: UUID | None
    old_value: str | None
    new_value: str | None
    performed_by: str
    ip_address: str | None
    event_id: UUID | None
    event_type: str | None
    aggregate_id: UUID | None
    correlation_id: str | None
    occurred_at: datetime
    created_at: datetime
    prev_hash: str
    hash: str


class VerificationOut(BaseModel):
    ok: bool
    checked: int
    first_broken_id: UUID | None
    first_broken_seq: int | None
    reason: str | None
    head_seq: int
    head_hash: str


def present(record: AuditRecord) -> AuditLogOut:
    entry = record.entry
    return AuditLogOut(
        id=record.id,
        tenant_id=record.tenant_id,
        seq=record.seq,
        category=str(entry.category),
        action=entry.action,
        description=entry.description,
        customer_id=entry.customer_id,
        old_value=entry.old_value,
        new_value=entry.new_value,
        performed_by=entry.performed_by,
        ip_address=entry.ip_address,
        event_id=entry.event_id,
        event_type=entry.event_type,
        aggregate_id=entry.aggregate_id,
        correlation_id=entry.correlation_id,
        occurred_at=entry.occurred_at,
        created_at=record.created_at,
        prev_hash=record.prev_hash,
        hash=record.hash,
    )


def present_report(report: ChainReport) -> VerificationOut:
    verdict = report.verification
    return VerificationOut(
        ok=verdict.ok,
        checked=verdict.checked,
        first_broken_id=verdict.first_broken_id,
        first_broken_seq=verdict.first_broken_seq,
        reason=verdict.reason,
        head_seq=report.head.seq,
        head_hash=report.head.hash,
    )
