"""All SQL about the trail: appending a chained row under the tenant's chain lock, reads, pages,
and the ordered walk `verify` makes."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import ColumnElement, RowMapping, bindparam, func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from isp_common.pagination import Page, PageRequest

from isp_audit.adapters.tables import audit_logs, chain_heads
from isp_audit.domain.chain import GENESIS_HASH
from isp_audit.domain.entry import AuditEntry, AuditRecord, ChainHead
from isp_audit.domain.listing import AuditFilter

_ENTRY_FIELDS = (
    "category",
    "action",
    "description",
    "performed_by",
    "occurred_at",
    "customer_id",
    "old_value",
    "new_value",
    "ip_address",
    "event_id",
    "event_type",
    "aggregate_id",
    "correlation_id",
)
_RECORD_COLUMNS = [
    audit_logs.c.id,
    audit_logs.c.tenant_id,
    audit_logs.c.seq,
    audit_logs.c.created_at,
    audit_logs.c.prev_hash,
    audit_logs.c.hash,
    *(audit_logs.c[name] for name in _ENTRY_FIELDS),
]
_NEWEST_FIRST = (audit_logs.c.created_at.desc(), audit_logs.c.seq.desc())

# Built once (see docs/adding-a-service.md, hot-path habits).
_NEW_HEAD = insert(chain_heads).values(
    tenant_id=bindparam("tenant_id"), seq=0, hash=GENESIS_HASH, created_at=None
)
_LOCK_HEAD = _NEW_HEAD.on_conflict_do_update(
    # A no-op update: it is there for the row lock it takes (and to return the row).
    index_elements=[chain_heads.c.tenant_id],
    set_={"tenant_id": _NEW_HEAD.excluded.tenant_id},
).returning(chain_heads.c.seq, chain_heads.c.hash, chain_heads.c.created_at)
_READ_HEAD = select(chain_heads.c.seq, chain_heads.c.hash, chain_heads.c.created_at).where(
    chain_heads.c.tenant_id == bindparam("tenant_id")
)
_BY_ID = select(*_RECORD_COLUMNS).where(
    audit_logs.c.tenant_id == bindparam("tenant_id"), audit_logs.c.id == bindparam("record_id")
)
_WALK = (
    select(*_RECORD_COLUMNS)
    .where(
        audit_logs.c.tenant_id == bindparam("tenant_id"),
        audit_logs.c.seq > bindparam("after_seq"),
        audit_logs.c.seq <= bindparam("last_seq"),
    )
    .order_by(audit_logs.c.seq)
    .limit(bindparam("batch"))
)
_BY_HASH = select(audit_logs.c.id, audit_logs.c.seq).where(
    audit_logs.c.tenant_id == bindparam("tenant_id"), audit_logs.c.hash == bindparam("hash")
)


class SqlAuditLog:
    def __init__(self, connection: AsyncConnection, tenant_id: UUID) -> None:
        self._connection = connection
        self._tenant_id = tenant_id

    async def lock_head(self) -> ChainHead:
        """The tenant's chain head, locked until commit: concurrent writers of one tenant take
        turns here, so each links to the row the one before it wrote."""
        row = (await self._connection.execute(_LOCK_HEAD, {"tenant_id": self._tenant_id})).one()
        return ChainHead(seq=row.seq, hash=row.hash, created_at=row.created_at)

    async def head(self) -> ChainHead:
        row = (await self._connection.execute(_READ_HEAD, {"tenant_id": self._tenant_id})).first()
        if row is None:
            return ChainHead(seq=0, hash=GENESIS_HASH, created_at=None)
        return ChainHead(seq=row.seq, hash=row.hash, created_at=row.created_at)

    async def append(self, record: AuditRecord) -> bool:
        """Writes the record and moves the head to it; False (nothing written) when its event is
        already in the trail. The caller holds the head's lock."""
        values = {
            "id": record.id,
            "tenant_id": record.tenant_id,
            "seq": record.seq,
            "created_at": record.created_at,
            "prev_hash": record.prev_hash,
            "hash": record.hash,
            **{name: getattr(record.entry, name) for name in _ENTRY_FIELDS},
            "category": str(record.entry.category),
        }
        statement = insert(audit_logs).values(values)
        if record.entry.event_id is not None:
            statement = statement.on_conflict_do_nothing(index_elements=[audit_logs.c.event_id])
        written = await self._connection.execute(statement.returning(audit_logs.c.id))
        if written.first() is None:
            return False
        await self._connection.execute(
            update(chain_heads)
            .where(chain_heads.c.tenant_id == self._tenant_id)
            .values(seq=record.seq, hash=record.hash, created_at=record.created_at)
        )
        return True

    async def get(self, record_id: UUID) -> AuditRecord | None:
        params = {"tenant_id": self._tenant_id, "record_id": record_id}
        row = (await self._connection.execute(_BY_ID, params)).mappings().first()
        return to_record(row) if row else None

    async def page(self, where: AuditFilter, request: PageRequest) -> Page[AuditRecord]:
        condition = _matching(self._tenant_id, where)
        total = await self._connection.scalar(
            select(func.count()).select_from(audit_logs).where(*condition)
        )
        query = (
            select(*_RECORD_COLUMNS)
            .where(*condition)
            .order_by(*_NEWEST_FIRST)
            .limit(request.limit)
            .offset(request.offset)
        )
        rows = (await self._connection.execute(query)).mappings().all()
        return Page([to_record(row) for row in rows], int(total or 0), request)

    async def walk(self, after_seq: int, last_seq: int, batch: int) -> list[AuditRecord]:
        """Up to `batch` rows with `after_seq < seq <= last_seq`, in chain order."""
        params = {
            "tenant_id": self._tenant_id,
            "after_seq": after_seq,
            "last_seq": last_seq,
            "batch": batch,
        }
        rows = (await self._connection.execute(_WALK, params)).mappings().all()
        return [to_record(row) for row in rows]

    async def find_by_hash(self, hash_: str) -> tuple[UUID, int] | None:
        params = {"tenant_id": self._tenant_id, "hash": hash_}
        row = (await self._connection.execute(_BY_HASH, params)).first()
        return (row.id, row.seq) if row else None


def _matching(tenant_id: UUID, where: AuditFilter) -> list[ColumnElement[bool]]:
    # The tenant is also RLS's business; naming it here lets every index lead with it.
    condition: list[ColumnElement[bool]] = [audit_logs.c.tenant_id == tenant_id]
    equal: dict[str, Any] = {
        "category": where.category.value if where.category else None,
        "action": where.action,
        "customer_id": where.customer_id,
        "performed_by": where.performed_by,
        "event_type": where.event_type,
        "aggregate_id": where.aggregate_id,
    }
    condition += [audit_logs.c[name] == value for name, value in equal.items() if value is not None]
    if where.created_from is not None:
        condition.append(audit_logs.c.created_at >= where.created_from)
    if where.created_before is not None:
        condition.append(audit_logs.c.created_at < where.created_before)
    return condition


def to_record(row: RowMapping) -> AuditRecord:
    # A stored category the enum does not know (tampering) is kept as it is: the hash check,
    # not a crash, must report it.
    entry_values = {name: row[name] for name in _ENTRY_FIELDS}
    return AuditRecord(
        id=row["id"],
        tenant_id=row["tenant_id"],
        seq=row["seq"],
        entry=AuditEntry(**entry_values),
        created_at=row["created_at"],
        prev_hash=row["prev_hash"],
        hash=row["hash"],
    )
