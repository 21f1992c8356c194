"""Schemathesis fuzzes every operation of the OpenAPI document, in-process, as an admin (what it
proves: isp_common.testing.fuzz), as a tenant with a plan and an active customer."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from typing import TYPE_CHECKING, Any

import pytest
import schemathesis

from isp_common.settings import Settings
from isp_common.testing import fuzz

from isp_billing.app import create_billing_app
from isp_billing.bootstrap import billing_settings, build_runtime

if TYPE_CHECKING:
    from conftest import Tenant


@pytest.fixture(scope="module")
async def fuzz_tenant(new_tenant: Callable[[], Tenant]) -> Tenant:
    """A fresh tenant with a plan and an active customer, so that reads and payments can hit."""
    tenant = new_tenant()
    plan = await tenant.plan("150000.00")
    await tenant.active_customer(plan["id"], date(2026, 1, 1))
    return tenant


@pytest.fixture(scope="module")
def fuzz_app(settings: Settings) -> Iterator[Any]:
    with fuzz.asgi_session(create_billing_app(build_runtime(settings))) as session:
        yield session


DATED_BY_THE_TENANTS_TODAY = frozenset(
    {"/api/v1/payments", "/api/v1/billing/runs", "/api/v1/billing/overdue-check"}
)
schema = fuzz.openapi_schema(create_billing_app(build_runtime(billing_settings())))


@schema.parametrize()
@fuzz.fuzz_settings(max_examples=30)
def test_every_operation_answers_within_its_contract(
    case: Any, fuzz_app: Any, fuzz_tenant: Tenant
) -> None:
    also_excluded: list[Any] = []
    if case.operation.path in DATED_BY_THE_TENANTS_TODAY:
        # Their dates are bounded by the tenant's today (docs/billing.md, "Dates"), which no JSON
        # Schema can state: a schema-valid date may rightly be a 422. Every other check holds.
        also_excluded.append(schemathesis.checks.positive_data_acceptance)
    fuzz.call_and_validate(
        case, fuzz_app, token=fuzz_tenant.token("admin"), also_excluded=also_excluded
    )
