from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from isp_common.errors import Conflict, InvalidState, ValidationFailed

from isp_customers.domain.customer import Customer, next_timestamp
from isp_customers.domain.events import CustomerEvent
from isp_customers.domain.placement import with_fiber_path
from isp_customers.domain.references import Odp, ServicePlan
from isp_customers.domain.status import CustomerStatus, SuspensionCause

T0 = datetime(2026, 1, 1, 8, 0, tzinfo=UTC)
PLAN = ServicePlan(uuid.uuid4(), "Home 20M", Decimal("150000.00"), is_active=True)
FIELDS = {"full_name": "Siti Aminah", "phone": "+62 811 000 111", "address": "Jl. Braga 1"}


def registered(**fields: object) -> Customer:
    change = Customer.register(
        id=uuid.uuid4(),
        customer_code="CUST-000001",
        fields={**FIELDS, **fields},
        plan=PLAN,
        pppoe_password_encrypted=None,
        now=T0,
    )
    assert change.event is CustomerEvent.CREATED
    return change.customer


def test_a_new_customer_waits_for_activation_on_its_plan_price() -> None:
    customer = registered()
    assert customer.status is CustomerStatus.PENDING_ACTIVATION
    assert customer.monthly_fee == Decimal("150000.00")
    assert (customer.version, customer.created_at, customer.updated_at) == (1, T0, T0)


def test_required_fields_and_unknown_fields_are_refused() -> None:
    with pytest.raises(ValidationFailed, match="required"):
        registered(phone="")
    with pytest.raises(ValidationFailed, match="unknown field"):
        registered(status="active")


def test_every_change_moves_version_and_time_forward_even_if_the_clock_goes_back() -> None:
    customer = registered()
    earlier = T0 - timedelta(hours=1)
    change = customer.update({"city": "Bandung"}, earlier)
    assert change is not None
    assert change.customer.version == 2
    assert change.customer.updated_at == T0 + timedelta(microseconds=1)
    assert next_timestamp(T0, T0 + timedelta(seconds=5)) == T0 + timedelta(seconds=5)


def test_an_update_that_changes_nothing_is_not_a_change() -> None:
    customer = registered(city="Bandung")
    assert customer.update({"city": "Bandung"}, T0) is None
    assert customer.update({}, T0) is None


def test_a_new_password_is_a_change_even_with_no_field() -> None:
    change = registered().update({}, T0, pppoe_password_encrypted="token")
    assert change is not None
    assert change.changed_fields == {"pppoe_password_encrypted"}


def test_first_activation_sets_the_date_and_restoring_keeps_it() -> None:
    active = registered().activate(date(2026, 1, 5), T0).customer
    suspended = active.suspend("site survey", T0).customer
    assert suspended.suspension_cause is SuspensionCause.MANUAL
    restore = suspended.activate(date(2026, 2, 1), T0)
    assert restore.event is CustomerEvent.RESTORED
    assert restore.customer.activation_date == date(2026, 1, 5)
    assert restore.customer.suspension_reason is None


def test_billing_suspends_only_active_customers_and_lifts_only_its_own_suspension() -> None:
    pending = registered()
    assert pending.suspend_for_overdue(T0) is None
    active = pending.activate(date(2026, 1, 5), T0).customer
    overdue = active.suspend_for_overdue(T0)
    assert overdue is not None
    assert overdue.customer.suspension_reason == "overdue"
    restored = overdue.customer.restore_after_settlement(T0)
    assert restored is not None and restored.customer.status is CustomerStatus.ACTIVE
    manual = active.suspend("overdue", T0).customer  # an operator's words, not billing's
    assert manual.restore_after_settlement(T0) is None


def test_terminated_customers_take_no_update_nor_plan() -> None:
    terminated = registered().terminate(date(2026, 3, 1), "moved away", T0).customer
    with pytest.raises(InvalidState):
        terminated.update({"city": "Jakarta"}, T0)
    with pytest.raises(InvalidState):
        terminated.change_plan(ServicePlan(uuid.uuid4(), "X", Decimal(1), True), T0)


def test_a_plan_change_needs_another_plan_and_takes_its_price() -> None:
    customer = registered()
    with pytest.raises(ValidationFailed):
        customer.change_plan(PLAN, T0)
    faster = ServicePlan(uuid.uuid4(), "Home 50M", Decimal("250000.00"), is_active=True)
    change = customer.change_plan(faster, T0)
    assert change.event is CustomerEvent.PLAN_CHANGED
    assert change.customer.monthly_fee == Decimal("250000.00")


def test_plans_must_be_active_and_odps_must_have_room() -> None:
    with pytest.raises(ValidationFailed, match="not active"):
        ServicePlan(uuid.uuid4(), "Old", Decimal(1), is_active=False).ensure_assignable("x")
    odp = Odp(uuid.uuid4(), "ODP-1", capacity=2)
    odp.ensure_can_take(1)
    with pytest.raises(Conflict, match="full"):
        odp.ensure_can_take(2)


def test_the_odp_decides_the_fiber_path_unless_given() -> None:
    odp = Odp(uuid.uuid4(), "ODP-1", capacity=2, odc_id=uuid.uuid4(), olt_id=uuid.uuid4())
    given_odc = uuid.uuid4()
    placed = with_fiber_path({"odp_id": odp.id, "odc_id": given_odc}, odp)
    assert placed == {"odp_id": odp.id, "odc_id": given_odc, "olt_id": odp.olt_id}


def test_deleting_stamps_the_time_and_bumps_the_version() -> None:
    change = registered().delete(T0 + timedelta(seconds=1))
    assert change.event is CustomerEvent.DELETED
    assert change.customer.deleted_at == change.customer.updated_at
    assert change.customer.version == 2
