"""The fiber tree: OLT → ODC → ODP. Customers hang on ODPs; ODCs hold ODPs.

`capacity` is how many children a node has room for (an ODP's ports for customers, an ODC's
splitter outputs for ODPs); `used` is how many it holds now.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any, Self
from uuid import UUID

from isp_common.errors import Conflict


class NodeKind(StrEnum):
    OLT = "olt"
    ODC = "odc"
    ODP = "odp"

    @property
    def label(self) -> str:
        return self.value.upper()


@dataclass(frozen=True)
class Versioned:
    id: UUID
    version: int
    created_at: datetime
    updated_at: datetime

    def changed(self, changes: dict[str, Any], now: datetime) -> Self:
        """The node with `changes` applied, one version on; `updated_at` never goes back."""
        return dataclasses.replace(
            self, **changes, version=self.version + 1, updated_at=max(now, self.updated_at)
        )


@dataclass(frozen=True)
class Olt(Versioned):
    name: str
    ip_address: str | None = None
    snmp_community_encrypted: str | None = None
    telnet_username: str | None = None
    telnet_password_encrypted: str | None = None
    location: str | None = None
    vendor: str | None = None
    is_active: bool = True


@dataclass(frozen=True)
class Odc(Versioned):
    olt_id: UUID
    name: str
    capacity: int
    location: str | None = None
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    is_active: bool = True


@dataclass(frozen=True)
class Odp(Versioned):
    odc_id: UUID
    name: str
    capacity: int
    location: str | None = None
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    is_active: bool = True


@dataclass(frozen=True)
class Occupied:
    """A node with what hangs on it now (customers, or for an ODC its ODPs)."""

    node: Any
    used: int
    olt_id: UUID | None = None  # an ODP's OLT (through its ODC)


def ensure_capacity_holds(kind: NodeKind, capacity: int, used: int) -> None:
    """A capacity cannot shrink below what already hangs on the node."""
    if capacity < used:
        raise Conflict(
            f"the {kind.label} holds {used}, more than a capacity of {capacity}",
            {"fields": [{"field": "capacity", "message": f"at least {used} are in use"}]},
        )


def ensure_room_for_one_more(kind: NodeKind, node_id: UUID, capacity: int, used: int) -> None:
    if used >= capacity:
        raise Conflict(
            f"the {kind.label} is full ({used} of {capacity})",
            {"id": str(node_id), "capacity": capacity, "used": used},
        )


def ensure_deletable(kind: NodeKind, node_id: UUID, children: int, customers: int) -> None:
    """A node with children or customers on it stays: deleting it would orphan them."""
    if children or customers:
        raise Conflict(
            f"the {kind.label} still has {children} child node(s) and {customers} customer(s)",
            {"id": str(node_id), "children": children, "customers": customers},
        )
