"""What the use cases need from the outside world, as protocols; adapters/ implements them."""

from __future__ import annotations

from typing import Protocol
from uuid import UUID

from isp_common.pagination import Page, PageRequest
from isp_common.transaction import Transaction

from isp_audit.domain.entry import AuditRecord, ChainHead
from isp_audit.domain.listing import AuditFilter


class AuditLog(Protocol):
    async def lock_head(self) -> ChainHead:
        """The tenant's chain head, locked until the unit of work ends."""
        ...

    async def head(self) -> ChainHead: ...

    async def append(self, record: AuditRecord) -> bool:
        """False when the record's event is already in the trail (nothing is written)."""
        ...

    async def get(self, record_id: UUID) -> AuditRecord | None: ...

    async def page(self, where: AuditFilter, request: PageRequest) -> Page[AuditRecord]: ...

    async def walk(self, after_seq: int, last_seq: int, batch: int) -> list[AuditRecord]: ...

    async def find_by_hash(self, hash_: str) -> tuple[UUID, int] | None: ...


class UnitOfWork(Transaction, Protocol):
    @property
    def tenant_id(self) -> UUID: ...

    @property
    def audit_logs(self) -> AuditLog: ...
