"""OLTs: create, change, delete (refused while ODCs or customers hang on it)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from isp_common.contracts.network import OLT_EVENTS
from isp_common.secrets import SecretBox

from isp_network.domain.fiber import NodeKind, Olt
from isp_network.use_cases.clock import utc_now
from isp_network.use_cases.fiber_nodes import delete_node, first_version, found, locked
from isp_network.use_cases.ports import UnitOfWork
from isp_network.use_cases.secrets import encrypt_secrets
from isp_network.use_cases.snapshots import olt_snapshot


async def create_olt(
    uow: UnitOfWork, fields: dict[str, Any], clear_secrets: dict[str, str | None], box: SecretBox
) -> Olt:
    olt = first_version(Olt, {**fields, **encrypt_secrets(box, clear_secrets)})
    await uow.olts.add(olt)
    uow.raise_event(OLT_EVENTS.created, olt.id, olt.version, olt_snapshot(olt))
    return olt


async def update_olt(
    uow: UnitOfWork,
    olt_id: UUID,
    changes: dict[str, Any],
    clear_secrets: dict[str, str | None],
    box: SecretBox,
) -> Olt:
    olt = await locked(uow.olts, NodeKind.OLT, olt_id)
    updated = olt.changed({**changes, **encrypt_secrets(box, clear_secrets)}, utc_now())
    await uow.olts.save(updated)
    uow.raise_event(OLT_EVENTS.updated, updated.id, updated.version, olt_snapshot(updated))
    return updated


async def delete_olt(uow: UnitOfWork, olt_id: UUID) -> None:
    gone = await delete_node(uow.olts, NodeKind.OLT, olt_id)
    uow.raise_event(OLT_EVENTS.deleted, olt_id, gone.version, olt_snapshot(gone, deleted=True))


async def get_olt(uow: UnitOfWork, olt_id: UUID) -> Olt:
    return found(NodeKind.OLT, await uow.olts.get(olt_id))
