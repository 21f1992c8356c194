"""Pages of OLTs, ODCs and ODPs, each with what hangs on it."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from isp_common.pagination import Page, PageRequest

from isp_network.domain.fiber import NodeKind, Occupied
from isp_network.use_cases.ports import FiberNodes, UnitOfWork


async def list_nodes(
    uow: UnitOfWork,
    kind: NodeKind,
    parent_id: UUID | None,
    is_active: bool | None,
    request: PageRequest,
) -> Page[Occupied]:
    repositories: dict[NodeKind, FiberNodes[Any]] = {
        NodeKind.OLT: uow.olts,
        NodeKind.ODC: uow.odcs,
        NodeKind.ODP: uow.odps,
    }
    return await repositories[kind].page(parent_id, is_active, request)
