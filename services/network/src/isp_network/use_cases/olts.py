"""OLTs: create, change, delete (refused while ODCs or customers hang on it)."""

from __future__ import annotations

import uuid
from typing import Any
from uuid import UUID

from isp_common.errors import NotFound
from isp_common.secrets import SecretBox

from isp_network.domain.fiber import NodeKind, Olt, ensure_deletable
from isp_network.use_cases.clock import utc_now
from isp_network.use_cases.ports import UnitOfWork
from isp_network.use_cases.secrets import encrypt_secrets
from isp_network.use_cases.snapshots import olt_snapshot


async def create_olt(
    uow: UnitOfWork, fields: dict[str, Any], clear_secrets: dict[str, str | None], box: SecretBox
) -> Olt:
    now = utc_now()
    olt = Olt(
        id=uuid.uuid4(),
        version=1,
        created_at=now,
        updated_at=now,
        **fields,
        **encrypt_secrets(box, clear_secrets),
    )
    await uow.olts.add(olt)
    uow.raise_event("network.olt.created", olt.id, olt.version, olt_snapshot(olt))
    return olt


async def update_olt(
    uow: UnitOfWork,
    olt_id: UUID,
    changes: dict[str, Any],
    clear_secrets: dict[str, str | None],
    box: SecretBox,
) -> Olt:
    olt = await _locked(uow, olt_id)
    updated = olt.changed({**changes, **encrypt_secrets(box, clear_secrets)}, utc_now())
    await uow.olts.save(updated)
    uow.raise_event("network.olt.updated", updated.id, updated.version, olt_snapshot(updated))
    return updated


async def delete_olt(uow: UnitOfWork, olt_id: UUID) -> None:
    olt = await _locked(uow, olt_id)
    ensure_deletable(
        NodeKind.OLT,
        olt_id,
        await uow.olts.count_children(olt_id),
        await uow.olts.count_customers(olt_id),
    )
    await uow.olts.delete(olt_id)
    gone = olt.changed({}, utc_now())
    uow.raise_event("network.olt.deleted", olt_id, gone.version, olt_snapshot(gone, deleted=True))


async def get_olt(uow: UnitOfWork, olt_id: UUID) -> Olt:
    olt = await uow.olts.get(olt_id)
    if olt is None:
        raise NotFound("OLT")
    return olt


async def _locked(uow: UnitOfWork, olt_id: UUID) -> Olt:
    olt = await uow.olts.get(olt_id, for_update=True)
    if olt is None:
        raise NotFound("OLT")
    return olt
