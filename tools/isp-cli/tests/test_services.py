from pathlib import Path

import pytest

from isp_cli import services
from isp_cli.services import KNOWN_SERVICES, ServiceSpec


def test_every_service_of_the_design_is_known_with_its_schema_and_port() -> None:
    assert {s.name: (s.schema, s.port) for s in KNOWN_SERVICES} == {
        "customers": ("customers", 8001),
        "billing": ("billing", 8002),
        "network": ("network", 8003),
        "tickets": ("tickets", 8004),
        "boost": ("boost", 8005),
        "audit": ("audit", 8006),
        "mikrotik-agent": ("mikrotik_agent", 8007),
        "identity": ("identity", 8008),
    }
    assert services.service("mikrotik_agent").package == "isp_mikrotik_agent"


def test_an_unknown_service_is_refused_with_the_known_names() -> None:
    with pytest.raises(services.UnknownService, match="customers"):
        services.service("invoices")


def test_select_keeps_platform_order_and_defaults_to_installed() -> None:
    chosen = services.select(["tickets", "Customers"])
    assert [s.name for s in chosen] == ["customers", "tickets"]
    assert services.select(None) == services.installed_services()


def test_a_package_is_located_without_importing_it(fake_service_path: Path) -> None:
    spec = ServiceSpec("clitest", 9999)
    assert spec.installed
    assert spec.migrations_dir() == fake_service_path / "migrations"
    assert not spec.runnable()  # no __main__.py
    (fake_service_path / "__main__.py").write_text("")
    assert spec.runnable()


def test_a_missing_package_is_not_installed() -> None:
    spec = ServiceSpec("no-such-service", 9998)
    assert not spec.installed
    assert spec.migrations_dir() is None
    assert not spec.runnable()
