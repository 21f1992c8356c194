"""The fiber tree's capacity and deletion rules, and where a customer takes a port."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from isp_common.errors import Conflict

from isp_network.domain.fiber import (
    NodeKind,
    Odp,
    ensure_capacity_holds,
    ensure_deletable,
    ensure_room_for_one_more,
)
from isp_network.domain.placement import Placement

NODE = uuid.uuid4()


def test_node_kinds_are_labelled_in_capitals() -> None:
    assert [kind.label for kind in NodeKind] == ["OLT", "ODC", "ODP"]


def test_a_capacity_may_shrink_down_to_what_is_in_use() -> None:
    ensure_capacity_holds(NodeKind.ODP, capacity=8, used=8)
    ensure_capacity_holds(NodeKind.ODP, capacity=0, used=0)
    with pytest.raises(Conflict) as refused:
        ensure_capacity_holds(NodeKind.ODP, capacity=7, used=8)
    assert "ODP" in refused.value.message
    assert refused.value.details["fields"] == [
        {"field": "capacity", "message": "at least 8 are in use"}
    ]


def test_a_node_takes_one_more_until_it_is_full() -> None:
    ensure_room_for_one_more(NodeKind.ODC, NODE, capacity=16, used=15)
    with pytest.raises(Conflict) as refused:
        ensure_room_for_one_more(NodeKind.ODC, NODE, capacity=16, used=16)
    assert refused.value.details == {"id": str(NODE), "capacity": 16, "used": 16}
    with pytest.raises(Conflict):
        ensure_room_for_one_more(NodeKind.ODP, NODE, capacity=0, used=0)


@pytest.mark.parametrize(("children", "customers"), [(1, 0), (0, 1), (3, 2)])
def test_a_node_with_anything_on_it_is_not_deleted(children: int, customers: int) -> None:
    with pytest.raises(Conflict) as refused:
        ensure_deletable(NodeKind.OLT, NODE, children, customers)
    assert refused.value.details == {"id": str(NODE), "children": children, "customers": customers}


def test_an_empty_node_is_deletable() -> None:
    ensure_deletable(NodeKind.ODC, NODE, 0, 0)


def test_a_node_change_is_one_version_on_and_never_moves_updated_at_back() -> None:
    created = datetime(2027, 1, 1, tzinfo=UTC)
    odp = Odp(
        id=NODE,
        version=4,
        created_at=created,
        updated_at=created,
        odc_id=uuid.uuid4(),
        name="ODP-1",
        capacity=8,
    )
    bigger = odp.changed({"capacity": 16}, created - timedelta(seconds=1))
    assert (bigger.capacity, bigger.version, bigger.updated_at) == (16, 5, created)
    assert odp.capacity == 8


@pytest.mark.parametrize(
    ("status", "is_deleted", "occupies"),
    [
        ("active", False, True),
        ("suspended", False, True),
        ("pending_activation", False, True),
        ("terminated", False, False),
        ("active", True, False),
    ],
)
def test_a_customer_holds_a_port_until_terminated_or_deleted(
    status: str, is_deleted: bool, occupies: bool
) -> None:
    placement = Placement(
        customer_id=uuid.uuid4(),
        odp_id=NODE,
        odc_id=None,
        olt_id=None,
        status=status,
        is_deleted=is_deleted,
        version=1,
    )
    assert placement.occupies_a_port is occupies
