"""What OLTs, ODCs and ODPs do alike: a node's first version, the lock that makes changes of one
node take turns, a read that answers 404, and the refusal to delete a node anything hangs on."""

from __future__ import annotations

import uuid
from typing import Any, TypeVar
from uuid import UUID

from isp_common.errors import NotFound

from isp_network.domain.fiber import NodeKind, Odc, Odp, Olt, ensure_deletable
from isp_network.use_cases.clock import utc_now
from isp_network.use_cases.ports import FiberNodes

Node = TypeVar("Node", Olt, Odc, Odp)
T = TypeVar("T")


def first_version(node_type: type[Node], fields: dict[str, Any]) -> Node:
    now = utc_now()
    return node_type(id=uuid.uuid4(), version=1, created_at=now, updated_at=now, **fields)


def found(kind: NodeKind, node: T | None) -> T:
    if node is None:
        raise NotFound(kind.label)
    return node


async def locked(nodes: FiberNodes[Node], kind: NodeKind, node_id: UUID) -> Node:
    return found(kind, await nodes.get(node_id, for_update=True))


async def delete_node(nodes: FiberNodes[Node], kind: NodeKind, node_id: UUID) -> Node:
    """Deletes the node unless nodes or customers hang on it; answers it one version on, as its
    deleted event carries it."""
    node = await locked(nodes, kind, node_id)
    ensure_deletable(
        kind, node_id, await nodes.count_children(node_id), await nodes.count_customers(node_id)
    )
    await nodes.delete(node_id)
    return node.changed({}, utc_now())
