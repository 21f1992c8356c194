from __future__ import annotations

import dataclasses
import itertools
import uuid
from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from isp_audit.domain.categories import Category
from isp_audit.domain.chain import (
    GENESIS_HASH,
    ChainWalker,
    append,
    canonical_fields,
    canonical_form,
    utc_text,
)
from isp_audit.domain.entry import AuditEntry, AuditRecord, ChainHead

TENANT = uuid.uuid4()
T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def entry(n: int) -> AuditEntry:
    return AuditEntry(Category.SYSTEM, f"a{n}", "d", "me", T0, new_value=f'{{"n":{n}}}')


def chain(length: int, clock: list[datetime] | None = None) -> list[AuditRecord]:
    head = ChainHead(0, GENESIS_HASH, None)
    records = []
    for n in range(length):
        now = clock[n] if clock else T0 + timedelta(seconds=n)
        record = append(head, uuid.uuid4(), TENANT, entry(n), now)
        records.append(record)
        head = ChainHead(record.seq, record.hash, record.created_at)
    return records


def walk(records: list[AuditRecord]) -> ChainWalker:
    walker = ChainWalker()
    walker.feed(records)
    return walker


def head_of(records: list[AuditRecord]) -> ChainHead:
    last = records[-1]
    return ChainHead(last.seq, last.hash, last.created_at)


def test_the_canonical_form_is_sorted_compact_utf8() -> None:
    fields = canonical_fields(
        uuid.UUID(int=1),
        uuid.UUID(int=2),
        7,
        dataclasses.replace(entry(0), description="é"),
        T0,
        "ab",
    )
    text = canonical_form(fields).decode()
    assert text.startswith('{"action":"a0","aggregate_id":null,"category":"system",')
    assert '"created_at":"2026-03-01T12:00:00.000000Z"' in text
    assert '"description":"é"' in text and ", " not in text
    assert text.endswith(
        '"prev_hash":"ab","seq":7,"tenant_id":"00000000-0000-0000-0000-000000000002"}'
    )


def test_utc_text_converts_and_pads() -> None:
    plus7 = datetime(2026, 1, 1, 7, 0, 0, 5, tzinfo=UTC) + timedelta()
    assert utc_text(plus7) == "2026-01-01T07:00:00.000005Z"
    assert utc_text(datetime(5, 1, 1, tzinfo=UTC)) == "0005-01-01T00:00:00.000000Z"


def test_a_chain_links_and_verifies() -> None:
    records = chain(5)
    assert records[0].prev_hash == GENESIS_HASH and records[0].seq == 1
    assert all(b.prev_hash == a.hash for a, b in itertools.pairwise(records))
    assert walk(records).finish(head_of(records)).ok


def test_created_at_never_goes_back() -> None:
    clock = [T0, T0 - timedelta(hours=1), T0 + timedelta(seconds=1)]
    assert [r.created_at for r in chain(3, clock)] == [T0, T0, T0 + timedelta(seconds=1)]


@given(
    length=st.integers(1, 8),
    victim=st.integers(0, 7),
    field=st.sampled_from(["description", "action", "performed_by"]),
)
def test_a_changed_field_breaks_the_chain_at_that_row(length: int, victim: int, field: str) -> None:
    records = chain(length)
    at = victim % length
    forged_entry = dataclasses.replace(records[at].entry, **{field: "forged"})
    records[at] = dataclasses.replace(records[at], entry=forged_entry)
    verdict = walk(records).finish(head_of(records))
    assert not verdict.ok and verdict.first_broken_id == records[at].id


def test_a_gap_names_the_next_row_and_keeps_the_missing_hash() -> None:
    records = chain(4)
    walker = walk(records[:1] + records[2:])
    assert walker.broken is not None and walker.broken.first_broken_id == records[2].id
    assert walker.missing_hash == records[1].hash


def test_a_cut_tail_is_reported_against_the_head() -> None:
    records = chain(4)
    walker = walk(records[:2])
    assert walker.tail_missing(head_of(records)) == records[3].hash
    verdict = walker.finish(head_of(records))
    assert not verdict.ok and verdict.first_broken_id is None and verdict.checked == 2
