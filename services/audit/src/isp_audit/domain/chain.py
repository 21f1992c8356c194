"""The tenant's hash chain: how a row's hash is computed, and how a walk finds the first break.

A row's hash is SHA-256 over the canonical JSON of the row, which includes the previous row's
hash and the row's per-tenant sequence number: changing any stored field, reordering, inserting
or removing a row changes a hash that a later row (or the chain head) still remembers.
docs/audit.md states the canonical form for auditors; `canonical_form` is its definition.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from isp_audit.domain.entry import AuditEntry, AuditRecord, ChainHead

GENESIS_HASH = "0" * 64


def utc_text(moment: datetime) -> str:
    """`2026-01-31T23:59:59.123456Z`: UTC, always six fractional digits, a four-digit year."""
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"


def _text(value: UUID | None) -> str | None:
    return None if value is None else str(value)


def canonical_fields(
    record_id: UUID,
    tenant_id: UUID,
    seq: int,
    entry: AuditEntry,
    created_at: datetime,
    prev_hash: str,
) -> dict[str, Any]:
    return {
        "action": entry.action,
        "aggregate_id": _text(entry.aggregate_id),
        "category": str(entry.category),
        "correlation_id": entry.correlation_id,
        "created_at": utc_text(created_at),
        "customer_id": _text(entry.customer_id),
        "description": entry.description,
        "event_id": _text(entry.event_id),
        "event_type": entry.event_type,
        "id": str(record_id),
        "ip_address": entry.ip_address,
        "new_value": entry.new_value,
        "occurred_at": utc_text(entry.occurred_at),
        "old_value": entry.old_value,
        "performed_by": entry.performed_by,
        "prev_hash": prev_hash,
        "seq": seq,
        "tenant_id": str(tenant_id),
    }


def canonical_form(fields: dict[str, Any]) -> bytes:
    """Sorted keys, no whitespace, UTF-8 (not \\u-escaped), JSON null for absent values."""
    return json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def hash_of(fields: dict[str, Any]) -> str:
    return hashlib.sha256(canonical_form(fields)).hexdigest()


def record_hash(record: AuditRecord) -> str:
    """What the record's hash must be, from its stored fields."""
    return hash_of(
        canonical_fields(
            record.id,
            record.tenant_id,
            record.seq,
            record.entry,
            record.created_at,
            record.prev_hash,
        )
    )


def append(
    head: ChainHead, record_id: UUID, tenant_id: UUID, entry: AuditEntry, now: datetime
) -> AuditRecord:
    """The record that follows `head`. Its `created_at` never goes back before the head's, so
    the chain's order is also the order of time (a clock step back cannot interleave them)."""
    created_at = now if head.created_at is None else max(now, head.created_at)
    seq = head.seq + 1
    fields = canonical_fields(record_id, tenant_id, seq, entry, created_at, head.hash)
    return AuditRecord(
        id=record_id,
        tenant_id=tenant_id,
        seq=seq,
        entry=entry,
        created_at=created_at,
        prev_hash=head.hash,
        hash=hash_of(fields),
    )


@dataclass(frozen=True)
class Verification:
    ok: bool
    checked: int
    first_broken_id: UUID | None = None
    first_broken_seq: int | None = None
    reason: str | None = None


@dataclass
class ChainWalker:
    """Feeds on the tenant's rows in `seq` order, batch by batch, and stops at the first break.

    The break it names is the row whose stored fields do not give its stored hash, or whose
    `prev_hash` or `seq` does not follow the row before it. A row missing from the middle is
    named by the row after the gap; a row whose `seq` was changed shows up where its chain
    position is empty, and `moved_row` lets the caller say which row now holds that position.
    """

    expected_seq: int = 1
    expected_prev: str = GENESIS_HASH
    checked: int = 0
    broken: Verification | None = None
    # On a gap: the hash the missing position had, by which the caller can find a moved row.
    missing_hash: str | None = None
    last_id: UUID | None = None

    @property
    def done(self) -> bool:
        return self.broken is not None

    def feed(self, records: Iterable[AuditRecord]) -> None:
        for record in records:
            if self.broken is not None:
                return
            self.checked += 1
            reason = self._fault(record)
            if reason is not None:
                if record.seq > self.expected_seq:
                    self.missing_hash = record.prev_hash
                self.broken = Verification(False, self.checked, record.id, record.seq, reason)
                return
            self.expected_seq += 1
            self.expected_prev = record.hash
            self.last_id = record.id

    def _fault(self, record: AuditRecord) -> str | None:
        if record.seq != self.expected_seq:
            return f"expected sequence number {self.expected_seq}, found {record.seq}"
        if record_hash(record) != record.hash:
            return "the row's fields do not give its stored hash"
        if record.prev_hash != self.expected_prev:
            return "prev_hash is not the hash of the row before"
        return None

    def blame(self, row_id: UUID, seq: int, reason: str) -> None:
        """Name another row as the first break (e.g. the row that left a gap)."""
        self.broken = Verification(False, self.checked, row_id, seq, reason)

    def tail_missing(self, head: ChainHead) -> str | None:
        """After an unbroken walk that stopped short of the head: the hash the head remembers,
        by which the caller can look for the last row under another seq."""
        if self.broken is None and self.expected_seq - 1 < head.seq:
            return head.hash
        return None

    def finish(self, head: ChainHead) -> Verification:
        """The walk's verdict; `head` is what the chain head says the last row is."""
        if self.broken is not None:
            return self.broken
        last_seq = self.expected_seq - 1
        if last_seq < head.seq:
            return Verification(
                False,
                self.checked,
                reason=f"rows {last_seq + 1} to {head.seq} are missing from the end",
            )
        if self.expected_prev != head.hash:
            return Verification(
                False,
                self.checked,
                self.last_id,
                last_seq,
                "the last row's hash is not the one the chain head recorded",
            )
        return Verification(True, self.checked)
