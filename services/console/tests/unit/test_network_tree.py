"""The network screen's pure parts: the fiber tree nested from the API's three lists with each
node's used / capacity, the map's points, and the forms' bodies."""

from __future__ import annotations

from isp_console.domain.fiber_tree import Occupancy, build_tree, map_points
from isp_console.domain.network_forms import FIBER_FIELDS, body_of, form_values

OLT = {"id": "olt-1", "name": "OLT Central", "is_active": True}
ODC = {"id": "odc-1", "name": "ODC-01", "olt_id": "olt-1", "capacity": 8, "used": 2}
ODP_B = {"id": "odp-b", "name": "odp-b", "odc_id": "odc-1", "capacity": 16, "used": 16}
ODP_A = {"id": "odp-a", "name": "ODP-A", "odc_id": "odc-1", "capacity": 16, "used": 13}


def test_the_tree_nests_odps_under_odcs_under_olts_with_their_occupancy() -> None:
    tree = build_tree([OLT], [ODC], [ODP_B, ODP_A])

    (olt,) = tree.olts
    (odc,) = olt.children
    assert olt.name == "OLT Central" and olt.occupancy is None
    assert (odc.occupancy.used, odc.occupancy.capacity) == (2, 8)
    assert [odp.name for odp in odc.children] == ["ODP-A", "odp-b"]  # by name, any case
    assert (tree.odc_count, tree.odp_count) == (1, 2)
    assert tree.unplaced == []


def test_a_node_whose_parent_was_not_read_is_listed_apart() -> None:
    orphan = {**ODP_A, "odc_id": "elsewhere"}

    tree = build_tree([OLT], [ODC], [orphan])

    assert [node.id for node in tree.unplaced] == ["odp-a"]
    assert tree.odp_count == 0


def test_occupancy_levels() -> None:
    assert Occupancy(2, 8).level == "ok"
    assert Occupancy(13, 16).level == "high"
    assert Occupancy(16, 16).level == "full"
    assert Occupancy(17, 16).available == 0  # more than the capacity: none left, not negative


def test_map_points_are_odps_and_customers_with_both_coordinates() -> None:
    odps = [
        {**ODP_A, "latitude": -6.9147, "longitude": 107.6098},
        {**ODP_B, "latitude": None, "longitude": 107.6},
    ]
    customers = [
        {
            "customer_code": "CUST-1",
            "full_name": "Siti",
            "latitude": "-6.91",
            "longitude": "107.61",
        },
        {"customer_code": "CUST-2", "full_name": "Budi", "latitude": "100", "longitude": "1"},
    ]

    points = map_points(odps, customers)

    assert points == [
        {"lat": -6.9147, "lng": 107.6098, "label": "ODP-A", "kind": "odp"},
        {"lat": -6.91, "lng": 107.61, "label": "CUST-1 Siti", "kind": "customer"},
    ]


def test_a_created_node_sends_numbers_as_numbers_and_leaves_empty_fields_out() -> None:
    form = {"name": "ODP-X", "odc_id": "odc-1", "capacity": "16", "latitude": "", "is_active": "on"}

    body = body_of(FIBER_FIELDS["odp"], form, creating=True)

    assert body == {"name": "ODP-X", "odc_id": "odc-1", "capacity": 16, "is_active": True}


def test_a_number_that_does_not_parse_goes_as_typed_for_the_api_to_name_the_field() -> None:
    body = body_of(FIBER_FIELDS["odp"], {"name": "", "capacity": "lots"}, creating=True)

    assert body["capacity"] == "lots"
    assert body["name"] == ""
    assert body["is_active"] is False


def test_an_edit_clears_emptied_optional_fields_and_keeps_secrets_left_empty() -> None:
    form = {"name": "OLT Central", "vendor": "", "telnet_password": "", "is_active": "on"}

    body = body_of(FIBER_FIELDS["olt"], form, creating=False)

    assert body["vendor"] is None
    assert "telnet_password" not in body
    assert "snmp_community" not in body


def test_form_values_never_carry_a_secret() -> None:
    values = form_values({"name": "OLT", "telnet_password": "x"}, FIBER_FIELDS["olt"])

    assert "telnet_password" not in values and values["name"] == "OLT"
