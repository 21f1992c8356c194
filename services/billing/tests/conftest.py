"""Billing's own part of its test harness (the rest: isp_common.testing.fixtures): its tenant,
who learns of customers through customers' events, and the service it is."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest

from isp_common.contracts.customers import CustomerPlanChanged, CustomerSnapshot
from isp_common.testing import mark_integration
from isp_common.testing.fixtures import *  # noqa: F403  (fixtures: pytest finds them by name)
from isp_common.testing.fixtures import ServiceUnderTest
from isp_common.testing.tenants import ApiTenant

from isp_billing import MIGRATIONS
from isp_billing.app import create_billing_app
from isp_billing.bootstrap import Runtime, build_runtime
from isp_billing.use_cases.apply_customer import apply_customer
from isp_billing.worker import build_worker

TESTS = Path(__file__).parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    mark_integration(items, TESTS)


@dataclass
class Tenant(ApiTenant[Runtime]):
    """One tenant: its users (API clients) and what customers' events tell billing."""

    base_url = "http://billing/api/v1"
    _versions: dict[UUID, int] = field(default_factory=dict)

    async def plan(self, price: str = "150000.00", **fields: Any) -> dict[str, Any]:
        body = {
            "name": f"Home {uuid.uuid4().hex[:8]}",
            "bandwidth_download": 20_000,
            "bandwidth_upload": 10_000,
            "monthly_price": price,
            **fields,
        }
        answer = await self.client("admin").post("/service-plans", json=body)
        assert answer.status_code == 201, answer.text
        return dict(answer.json()["data"])

    async def customer_event(
        self, verb: str, customer_id: UUID, plan_id: UUID | str | None, **fields: Any
    ) -> None:
        """What customers' `customers.customer.<verb>` event tells billing."""
        version = self._versions.get(customer_id, 0) + 1
        self._versions[customer_id] = version
        now = datetime.now(UTC)
        values: dict[str, Any] = {
            "id": customer_id,
            "customer_code": f"CUST-{str(customer_id)[:6]}",
            "full_name": "Siti Rahayu",
            "phone": "+62 812 5550 1234",
            "address": "Jl. Merdeka 17, Bandung",
            "status": "active",
            "service_plan_id": plan_id,
            "version": version,
            "created_at": now,
            "updated_at": now,
            **fields,
        }
        model = CustomerPlanChanged if verb == "plan_changed" else CustomerSnapshot
        await self.runtime.run(self.id, apply_customer, model(**values), uuid.uuid4())

    async def active_customer(
        self, plan_id: UUID | str, activated: date, customer_id: UUID | None = None
    ) -> UUID:
        customer_id = customer_id or uuid.uuid4()
        await self.customer_event("created", customer_id, plan_id, status="pending_activation")
        await self.customer_event("activated", customer_id, plan_id, activation_date=activated)
        return customer_id

    async def account(self, customer_id: UUID) -> dict[str, Any]:
        answer = await self.client("admin").get(f"/customers/{customer_id}/account")
        assert answer.status_code == 200, answer.text
        return dict(answer.json()["data"])

    async def invoices(self, customer_id: UUID) -> list[dict[str, Any]]:
        answer = await self.client("admin").get(
            "/invoices", params={"customer_id": str(customer_id), "per_page": 100}
        )
        assert answer.status_code == 200, answer.text
        return list(answer.json()["data"])

    async def pay(self, customer_id: UUID, amount: str, **fields: Any) -> dict[str, Any]:
        body = {
            "customer_id": str(customer_id),
            "amount": amount,
            "payment_method": "cash",
            "payment_for": "monthly_subscription",
            **fields,
        }
        answer = await self.client("finance").post("/payments", json=body)
        assert answer.status_code == 201, answer.text
        return dict(answer.json()["data"])


@pytest.fixture(scope="session")
def service() -> ServiceUnderTest[Runtime]:
    # Billing's tests look up all a tenant's events, not one aggregate's.
    return ServiceUnderTest(
        "billing",
        MIGRATIONS,
        build_runtime,
        create_billing_app,
        Tenant,
        outbox_by="tenant_id",
        build_worker=build_worker,
    )


def money(value: Any) -> Decimal:
    return Decimal(str(value))
