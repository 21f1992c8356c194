"""The rules every device keeps, and which routers the agent may reach."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from isp_common.errors import Conflict, ValidationFailed
from isp_common.router_targets import parse_router_networks

from isp_network.domain.devices import (
    DEFAULT_API_PORT,
    Device,
    DeviceStatus,
    DeviceType,
)

CREATED = datetime(2027, 1, 1, tzinfo=UTC)
ROUTER_NETWORKS = parse_router_networks("10.0.0.0/8")


def _device(device_type: DeviceType = DeviceType.ROUTER, **fields: Any) -> Device:
    return Device(
        id=fields.pop("id", uuid.uuid4()),
        device_name="core-1",
        device_type=device_type,
        status=DeviceStatus.ONLINE,
        version=1,
        created_at=CREATED,
        updated_at=CREATED,
        **fields,
    )


def _conflicting_field(error: Conflict) -> str:
    return str(error.details["fields"][0]["field"])


@pytest.mark.parametrize(
    "device_type", [DeviceType.ONU, DeviceType.SWITCH, DeviceType.ACCESS_POINT]
)
def test_only_a_router_can_be_the_default_router(device_type: DeviceType) -> None:
    _device(DeviceType.ROUTER, is_default_mikrotik=True).check()
    with pytest.raises(Conflict) as refused:
        _device(device_type, is_default_mikrotik=True).check()
    assert _conflicting_field(refused.value) == "is_default_mikrotik"


def test_a_device_cannot_be_its_own_parent() -> None:
    device_id = uuid.uuid4()
    _device(id=device_id, parent_device_id=uuid.uuid4()).check()
    with pytest.raises(Conflict) as refused:
        _device(id=device_id, parent_device_id=device_id).check()
    assert _conflicting_field(refused.value) == "parent_device_id"


def test_a_change_is_one_version_on_and_never_moves_updated_at_back() -> None:
    device = _device()
    later = device.changed({"location": "POP A"}, CREATED + timedelta(minutes=5))
    assert (later.location, later.version, later.updated_at) == (
        "POP A",
        2,
        CREATED + timedelta(minutes=5),
    )
    skewed = later.changed({"location": "POP B"}, CREATED - timedelta(hours=1))
    assert (skewed.version, skewed.updated_at) == (3, CREATED + timedelta(minutes=5))


def test_a_change_that_breaks_a_rule_is_refused() -> None:
    onu = _device(DeviceType.ONU)
    with pytest.raises(Conflict):
        onu.changed({"is_default_mikrotik": True}, CREATED)
    with pytest.raises(Conflict):
        _device(is_default_mikrotik=True).changed({"device_type": DeviceType.SWITCH}, CREATED)


def test_a_routers_address_must_be_in_the_router_networks() -> None:
    _device(ip_address="10.1.2.3").check_router_target(ROUTER_NETWORKS)
    _device(ip_address=None).check_router_target(ROUTER_NETWORKS)
    for outside in ("192.168.1.1", "169.254.169.254", "router.example.com"):
        with pytest.raises(ValidationFailed) as refused:
            _device(ip_address=outside).check_router_target(ROUTER_NETWORKS)
        assert refused.value.details["fields"][0]["field"] == "ip_address"


def test_only_a_routers_address_is_where_credentials_go() -> None:
    # An ONU's address is never dialled with the router credentials, so any address is kept.
    _device(DeviceType.ONU, ip_address="192.168.1.1").check_router_target(ROUTER_NETWORKS)


def test_the_api_port_defaults_to_routeros_api() -> None:
    assert _device().api_port == DEFAULT_API_PORT == 8728
    assert _device(mikrotik_port=8729).api_port == 8729


def test_a_router_points_elsewhere_on_another_host_port_or_user() -> None:
    before = _device(ip_address="10.0.0.1", mikrotik_username="admin")
    assert not before.points_elsewhere_than(before)
    # No port and the default port are the same login.
    assert not _device(
        ip_address="10.0.0.1", mikrotik_username="admin", mikrotik_port=DEFAULT_API_PORT
    ).points_elsewhere_than(before)
    for other in (
        {"ip_address": "10.0.0.2", "mikrotik_username": "admin"},
        {"ip_address": "10.0.0.1", "mikrotik_username": "ops"},
        {"ip_address": "10.0.0.1", "mikrotik_username": "admin", "mikrotik_port": 8729},
    ):
        assert _device(**other).points_elsewhere_than(before)


def test_a_router_is_manageable_with_the_api_on_and_an_address() -> None:
    manageable = _device(mikrotik_api_enabled=True, ip_address="10.0.0.1")
    assert manageable.is_manageable_router
    manageable.ensure_manageable()
    for unreachable in (
        _device(mikrotik_api_enabled=False, ip_address="10.0.0.1"),
        _device(mikrotik_api_enabled=True, ip_address=None),
        _device(DeviceType.SWITCH, mikrotik_api_enabled=True, ip_address="10.0.0.1"),
    ):
        assert not unreachable.is_manageable_router
        with pytest.raises(Conflict):
            unreachable.ensure_manageable()


def test_an_unreachable_router_says_what_it_lacks() -> None:
    with pytest.raises(Conflict) as refused:
        _device(mikrotik_api_enabled=True, ip_address=None).ensure_manageable()
    assert refused.value.details == {
        "device_type": "router",
        "mikrotik_api_enabled": True,
        "has_ip_address": False,
    }
