"""The fiber tree as the network screen shows it: OLTs holding ODCs holding ODPs, each ODC and
ODP with how full it is, and the points a map draws (ODPs and customers with coordinates).

The API answers three flat lists; nesting them here keeps the template a plain walk."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

# Above this share of its capacity a node is shown as nearly full.
NEARLY_FULL = Decimal("0.8")


@dataclass(frozen=True)
class Occupancy:
    used: int
    capacity: int

    @property
    def available(self) -> int:
        return max(self.capacity - self.used, 0)

    @property
    def full(self) -> bool:
        return self.used >= self.capacity

    @property
    def nearly_full(self) -> bool:
        return self.capacity > 0 and Decimal(self.used) / Decimal(self.capacity) >= NEARLY_FULL

    @property
    def level(self) -> str:
        """A word for the styles: ok, high or full."""
        return "full" if self.full else "high" if self.nearly_full else "ok"


@dataclass
class Node:
    id: str
    name: str
    is_active: bool
    occupancy: Occupancy | None
    item: Mapping[str, Any]
    children: list[Node] = field(default_factory=list)

    @property
    def child_count(self) -> int:
        return len(self.children)


@dataclass
class FiberTree:
    olts: list[Node]
    # Nodes whose parent is not among those read (an ODC of an OLT on another page).
    unplaced: list[Node]

    @property
    def odc_count(self) -> int:
        return sum(olt.child_count for olt in self.olts)

    @property
    def odp_count(self) -> int:
        return sum(odc.child_count for olt in self.olts for odc in olt.children)


def _node(item: Mapping[str, Any], with_occupancy: bool) -> Node:
    occupancy = (
        Occupancy(int(item.get("used") or 0), int(item.get("capacity") or 0))
        if with_occupancy
        else None
    )
    return Node(
        id=str(item["id"]),
        name=str(item.get("name") or ""),
        is_active=bool(item.get("is_active", True)),
        occupancy=occupancy,
        item=item,
    )


def build_tree(
    olts: Iterable[Mapping[str, Any]],
    odcs: Iterable[Mapping[str, Any]],
    odps: Iterable[Mapping[str, Any]],
) -> FiberTree:
    olt_nodes = [_node(olt, with_occupancy=False) for olt in olts]
    by_olt = {node.id: node for node in olt_nodes}
    odc_nodes = [_node(odc, with_occupancy=True) for odc in odcs]
    by_odc = {node.id: node for node in odc_nodes}
    unplaced: list[Node] = []
    for odc in odc_nodes:
        parent = by_olt.get(str(odc.item.get("olt_id")))
        (parent.children if parent else unplaced).append(odc)
    for odp in (_node(item, with_occupancy=True) for item in odps):
        parent = by_odc.get(str(odp.item.get("odc_id")))
        (parent.children if parent else unplaced).append(odp)
    for node in [*olt_nodes, *odc_nodes]:
        node.children.sort(key=lambda child: child.name.casefold())
    olt_nodes.sort(key=lambda olt: olt.name.casefold())
    return FiberTree(olt_nodes, unplaced)


def _coordinate(value: Any, limit: int) -> float | None:
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    if not number.is_finite() or abs(number) > limit:
        return None
    return float(number)


def map_points(
    odps: Iterable[Mapping[str, Any]], customers: Iterable[Mapping[str, Any]]
) -> list[dict[str, Any]]:
    """`[{lat, lng, label, kind}]` for every ODP and customer that has both coordinates."""
    points: list[dict[str, Any]] = []
    for kind, items in (("odp", odps), ("customer", customers)):
        for item in items:
            lat = _coordinate(item.get("latitude"), 90)
            lng = _coordinate(item.get("longitude"), 180)
            if lat is None or lng is None:
                continue
            points.append({"lat": lat, "lng": lng, "label": _label(kind, item), "kind": kind})
    return points


def _label(kind: str, item: Mapping[str, Any]) -> str:
    if kind == "odp":
        return str(item.get("name") or "")
    code = item.get("customer_code")
    name = str(item.get("full_name") or "")
    return f"{code} {name}".strip() if code else name
