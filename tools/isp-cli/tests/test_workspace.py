"""The workspace's registrations stay complete: a service added under services/ without its
entries in the root pyproject (dependency, source, import-linter contracts) or unknown to `isp`
fails here, with the line to add."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from isp_cli.services import FRONTENDS, KNOWN_SERVICES

ROOT = Path(__file__).resolve().parents[3]


def _pyproject() -> dict[str, Any]:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


def _service_packages() -> dict[str, str]:
    """distribution name (isp-customers) → import package (isp_customers), from services/*."""
    found = {}
    for pyproject in sorted(ROOT.glob("services/*/pyproject.toml")):
        name = tomllib.loads(pyproject.read_text())["project"]["name"]
        packages = [p.name for p in (pyproject.parent / "src").glob("isp_*") if p.is_dir()]
        assert len(packages) == 1, f"{pyproject.parent}: expected one src/isp_* package"
        found[name] = packages[0]
    return found


def _contract(config: dict[str, Any], contract_id: str) -> dict[str, Any]:
    for contract in config["tool"]["importlinter"]["contracts"]:
        if contract.get("id") == contract_id:
            return dict(contract)
    raise AssertionError(f"import-linter contract {contract_id} is missing")


def test_every_service_is_a_root_dependency_from_the_workspace() -> None:
    config = _pyproject()
    for distribution in _service_packages():
        assert distribution in config["project"]["dependencies"], (
            f'add "{distribution}" to [project].dependencies of the root pyproject.toml'
        )
        assert config["tool"]["uv"]["sources"].get(distribution) == {"workspace": True}, (
            f"add {distribution} = {{ workspace = true }} to [tool.uv.sources]"
        )


def test_every_service_is_under_the_import_contracts() -> None:
    config = _pyproject()
    linter = config["tool"]["importlinter"]
    independent = _contract(config, "services-independent")["modules"]
    common = _contract(config, "common-imports-no-service")["forbidden_modules"]
    cli = _contract(config, "services-do-not-import-cli")["source_modules"]
    for package in _service_packages().values():
        assert package in linter["root_packages"], f"add {package} to root_packages"
        assert package in independent, f"add {package} to services-independent's modules"
        assert package in common, f"add {package} to common-imports-no-service"
        assert package in cli, f"add {package} to services-do-not-import-cli"
    assert _contract(config, "domain-is-pure")["source_modules"] == ["*.domain"]


def test_every_service_has_its_layers_contract() -> None:
    """Use cases reach adapters only through their ports, in every service the same way."""
    config = _pyproject()
    for package in _service_packages().values():
        name = package.removeprefix("isp_").replace("_", "-")
        layers = _contract(config, f"layers-{name}")
        assert layers["type"] == "layers" and layers["containers"] == [package]
        order = [layer.strip() for layer in layers["layers"]]
        assert order[-3:] == ["adapters", "use_cases", "domain"], (
            f"layers-{name}: adapters above use_cases above domain, as every service has it"
        )


def test_every_service_folder_is_a_service_isp_knows() -> None:
    known = {spec.package for spec in (*KNOWN_SERVICES, *FRONTENDS)}
    for package in _service_packages().values():
        assert package in known, f"{package}: add it to SERVICE_PORTS or FRONTEND_PORTS"


def test_pytest_collects_every_part_of_the_tree() -> None:
    pytest_config = _pyproject()["tool"]["pytest"]["ini_options"]
    assert set(pytest_config["testpaths"]) == {"libs", "services", "tools", "tests"}
    assert "--import-mode=importlib" in pytest_config["addopts"]
