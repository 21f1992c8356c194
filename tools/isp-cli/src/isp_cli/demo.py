"""The demo tenant's data, made through the services' own APIs the first time `isp up` runs:
service plans, an OLT → ODC → ODP tree, the RouterOS simulator as the default router, and a
few subscribers (two of them active, so the simulator holds their secrets and queues).

It goes through the public API, as an operator would, so it also shows that the platform
answers. A tenant that already has plans is left as it is.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import httpx

PLANS = (
    {"name": "Home 20M", "bandwidth_download": 20_000, "bandwidth_upload": 10_000,
     "monthly_price": "250000.00"},
    {"name": "Home 50M", "bandwidth_download": 50_000, "bandwidth_upload": 25_000,
     "monthly_price": "400000.00"},
    {"name": "Business 100M", "bandwidth_download": 100_000, "bandwidth_upload": 50_000,
     "monthly_price": "750000.00"},
)  # fmt: skip
SUBSCRIBERS = (
    ("Siti Rahmawati", "+6281200000001", "Jl. Merdeka No. 1", "siti", 0, True),
    ("Budi Santoso", "+6281200000002", "Jl. Sudirman No. 2", "budi", 1, True),
    ("Toko Makmur", "+6281200000003", "Jl. Pasar Baru No. 3", "tokomakmur", 2, False),
)


class DemoFailed(Exception):
    pass


def seed(
    base_urls: Mapping[str, str], token: str, simulator_port: int | None, say: Callable[[str], None]
) -> bool:
    """Seeds the tenant of `token`; False when it already had data. `base_urls` maps a service
    to its URL (http://127.0.0.1:8002); services missing from it are skipped."""
    if "billing" not in base_urls or "customers" not in base_urls:
        say("  demo data needs billing and customers: skipped")
        return False
    with httpx.Client(headers={"Authorization": f"Bearer {token}"}, timeout=30) as http:
        api = _Api(http, base_urls)
        if api.get("billing", "/service-plans")["meta"]["total"] > 0:
            say("  the demo tenant has its data already")
            return False
        plans = [api.post("billing", "/service-plans", plan)["id"] for plan in PLANS]
        say(f"  {len(plans)} service plans")
        odps: list[str | None] = [None]
        if "network" in base_urls:
            odps = _fiber_tree(api)
            say(f"  an OLT, an ODC and {len(odps)} ODPs")
            if simulator_port is not None:
                api.post("network", "/devices", _simulated_router(simulator_port))
                say(f"  the RouterOS simulator (127.0.0.1:{simulator_port}) as default router")
        for index, (name, phone, address, login, plan, active) in enumerate(SUBSCRIBERS):
            body: dict[str, Any] = {
                "full_name": name,
                "phone": phone,
                "address": address,
                "city": "Bandung",
                "service_plan_id": plans[plan],
                "pppoe_username": login,
                "pppoe_password": f"{login}-demo-pass",
            }
            if odps[index % len(odps)] is not None:
                body["odp_id"] = odps[index % len(odps)]
            customer = api.post("customers", "/customers", body)
            if active:
                api.post("customers", f"/customers/{customer['id']}/activate", {})
        say(f"  {len(SUBSCRIBERS)} subscribers, two of them active")
    return True


def _fiber_tree(api: _Api) -> list[str | None]:
    olt = api.post("network", "/olts", {"name": "OLT Central", "vendor": "ZTE"})
    odc = api.post("network", "/odcs", {"name": "ODC-01", "olt_id": olt["id"], "capacity": 8})
    return [
        api.post("network", "/odps", {"name": name, "odc_id": odc["id"], "capacity": 16})["id"]
        for name in ("ODP-01-A", "ODP-01-B")
    ]


def _simulated_router(port: int) -> dict[str, Any]:
    return {
        "device_name": "Demo router (RouterOS simulator)",
        "device_type": "router",
        "status": "online",
        "brand": "MikroTik",
        "ip_address": "127.0.0.1",
        "mikrotik_username": "admin",
        "mikrotik_password": "admin",
        "mikrotik_port": port,
        "mikrotik_api_enabled": True,
        "is_default_mikrotik": True,
    }


class _Api:
    def __init__(self, http: httpx.Client, base_urls: Mapping[str, str]) -> None:
        self._http = http
        self._base_urls = base_urls

    def get(self, service: str, path: str) -> dict[str, Any]:
        return self._answer(lambda: self._http.get(self._url(service, path)))

    def post(self, service: str, path: str, body: dict[str, Any]) -> dict[str, Any]:
        data = self._answer(lambda: self._http.post(self._url(service, path), json=body))
        return dict(data["data"])

    def _url(self, service: str, path: str) -> str:
        return f"{self._base_urls[service]}/api/v1{path}"

    @staticmethod
    def _answer(call: Callable[[], httpx.Response]) -> dict[str, Any]:
        try:
            response = call()
        except httpx.HTTPError as exc:
            raise DemoFailed(f"{type(exc).__name__}: {exc}") from None
        if response.status_code >= 400:
            raise DemoFailed(
                f"{response.request.method} {response.request.url.path} answered "
                f"{response.status_code}: {response.text[:300]}"
            )
        return dict(response.json())
