"""`GET /audit-logs/verify`: walks the tenant's chain from its first row to its head."""

from __future__ import annotations

from dataclasses import dataclass

from isp_audit.domain.chain import ChainWalker, Verification
from isp_audit.domain.entry import ChainHead
from isp_audit.use_cases.ports import UnitOfWork

BATCH = 2_000
FIRST_SEQ_FLOOR = -(2**63)


@dataclass(frozen=True)
class ChainReport:
    verification: Verification
    head: ChainHead  # auditors keep (seq, hash) of it to anchor the chain outside the database


async def verify_chain(uow: UnitOfWork, batch: int = BATCH) -> ChainReport:
    # The head is read first: rows appended during the walk are beyond it and not walked.
    head = await uow.audit_logs.head()
    walker = ChainWalker()
    # From below any seq, so that a row whose seq was set to 0 or less is walked (and named).
    after = FIRST_SEQ_FLOOR
    while not walker.done:
        records = await uow.audit_logs.walk(after, head.seq, batch)
        if not records:
            break
        walker.feed(records)
        after = records[-1].seq
    missing = walker.missing_hash or walker.tail_missing(head)
    if missing is not None:
        # A gap: if the row that belongs there is still stored, under another seq, it is the
        # one that was changed.
        moved = await uow.audit_logs.find_by_hash(missing)
        if moved is not None:
            walker.blame(*moved, "the row's sequence number was changed")
    return ChainReport(walker.finish(head), head)
