"""Schemathesis fuzzes every operation of the OpenAPI document, in-process, as an admin (what it
proves: isp_common.testing.fuzz), with billing and network stood in for by ones that know every
plan and ODP asked for."""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import httpx
import pytest
import schemathesis

from isp_common.settings import Settings
from isp_common.testing import fuzz

from isp_customers.adapters.billing_client import BillingClient
from isp_customers.adapters.network_client import NetworkClient
from isp_customers.app import create_customers_app
from isp_customers.bootstrap import build_runtime, customers_settings

if TYPE_CHECKING:
    from conftest import Tenant


@pytest.fixture(scope="module")
async def fuzz_tenant(new_tenant: Callable[[], Tenant]) -> Tenant:
    """A fresh tenant. Its plan replica starts empty: the stand-in billing below knows every plan
    id Schemathesis draws, so a create takes the lookup path and succeeds on any of them."""
    return new_tenant()


def _billing_and_network(request: httpx.Request) -> httpx.Response:
    """Billing and network, in-process, knowing every plan and ODP asked for: a create or a
    change of plan on any generated id can then succeed and its 2xx body be checked."""
    *_, kind, key = request.url.path.split("/")
    now = datetime.now(UTC).isoformat()
    if kind == "service-plans":
        data: dict[str, Any] = {
            "id": key,
            "name": "Fuzz 50M",
            "bandwidth_download": 50_000,
            "bandwidth_upload": 25_000,
            "monthly_price": "250000.00",
            "is_active": True,
            "version": 1,
            "created_at": now,
            "updated_at": now,
        }
    else:
        data = {"id": key, "odc_id": str(uuid.uuid4()), "olt_id": str(uuid.uuid4())}
        data |= {"name": "ODP-F1", "capacity": 8, "version": 1}
    return httpx.Response(200, json={"success": True, "data": data})


@pytest.fixture(scope="module")
def fuzz_app(settings: Settings) -> Iterator[Any]:
    runtime = build_runtime(settings)
    http = httpx.AsyncClient(transport=httpx.MockTransport(_billing_and_network))
    runtime = dataclasses.replace(
        runtime,
        http=http,
        billing=BillingClient(http, "http://billing"),
        network=NetworkClient(http, "http://network"),
    )
    with fuzz.asgi_session(create_customers_app(runtime)) as session:
        yield session


schema = fuzz.openapi_schema(create_customers_app(build_runtime(customers_settings())))


@schema.parametrize()
@fuzz.fuzz_settings(max_examples=30)
def test_every_operation_answers_within_its_contract(
    case: Any, fuzz_app: Any, fuzz_tenant: Tenant
) -> None:
    # `PATCH /customers/import` goes to `PATCH /customers/{customer_id}`: why `unsupported_method`
    # never runs (fuzz.NEVER_RUN_CHECKS).
    also_excluded: list[Any] = []
    if case.operation.path.endswith("/import"):
        # What a valid CSV is (a header of customer fields, valid rows) no JSON Schema can say:
        # a schema-valid file is mostly an invalid CSV, rightly a 422. Every other check holds.
        also_excluded.append(schemathesis.checks.positive_data_acceptance)
    if case.operation.path.rsplit("/", 1)[-1] in {"activate", "terminate", "change-plan"}:
        # Lifecycle dates lie within a window around the tenant's today (docs/customers.md),
        # which no JSON Schema can state: a schema-valid date may rightly be a 422.
        also_excluded.append(schemathesis.checks.positive_data_acceptance)
    fuzz.call_and_validate(
        case, fuzz_app, token=fuzz_tenant.token("admin"), also_excluded=also_excluded
    )
