"""The customer entity. Every change returns a new customer one version up and the event to raise;
an invalid change raises before anything is built, so a refused command changes nothing."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

from isp_customers.domain.errors import invalid_field
from isp_customers.domain.events import CustomerEvent
from isp_customers.domain.lifecycle import Command, ensure_not_terminated, transition
from isp_customers.domain.references import ServicePlan
from isp_customers.domain.status import CustomerStatus, SuspensionCause

PROFILE_FIELDS = (
    "full_name",
    "nik",
    "phone",
    "email",
    "photo_url",
    "address",
    "rt",
    "rw",
    "kelurahan",
    "kecamatan",
    "city",
    "postal_code",
    "latitude",
    "longitude",
    "house_photo_url",
)
PLACEMENT_FIELDS = ("odp_id", "odc_id", "olt_id", "olt_port", "onu_serial", "router_id")
# What the router holds for the subscriber (the password travels apart, always encrypted).
ROUTER_FIELDS = ("pppoe_username", "remote_address")
EDITABLE_FIELDS = frozenset(PROFILE_FIELDS + PLACEMENT_FIELDS + ROUTER_FIELDS)
REQUIRED_FIELDS = frozenset({"full_name", "phone", "address"})

OVERDUE_REASON = "overdue"
_TICK = timedelta(microseconds=1)


def next_timestamp(previous: datetime, now: datetime) -> datetime:
    """`updated_at` never moves backwards, even when clocks of two API replicas disagree."""
    return max(now, previous + _TICK)


@dataclass(frozen=True)
class CustomerChange:
    customer: Customer
    event: CustomerEvent
    changed_fields: frozenset[str] = frozenset()


@dataclass(frozen=True, kw_only=True)
class Customer:
    id: UUID
    customer_code: str
    full_name: str
    phone: str
    address: str
    status: CustomerStatus = CustomerStatus.PENDING_ACTIVATION
    nik: str | None = None
    email: str | None = None
    photo_url: str | None = None
    rt: str | None = None
    rw: str | None = None
    kelurahan: str | None = None
    kecamatan: str | None = None
    city: str | None = None
    postal_code: str | None = None
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    house_photo_url: str | None = None
    suspension_reason: str | None = None
    suspension_cause: SuspensionCause | None = None
    service_plan_id: UUID | None = None
    monthly_fee: Decimal | None = None
    activation_date: date | None = None
    termination_date: date | None = None
    termination_reason: str | None = None
    odp_id: UUID | None = None
    odc_id: UUID | None = None
    olt_id: UUID | None = None
    olt_port: str | None = None
    onu_serial: str | None = None
    router_id: UUID | None = None
    remote_address: str | None = None
    pppoe_username: str | None = None
    pppoe_password_encrypted: str | None = None
    version: int = 1
    created_at: datetime
    updated_at: datetime
    deleted_at: datetime | None = None

    @classmethod
    def register(
        cls,
        *,
        id: UUID,
        customer_code: str,
        fields: Mapping[str, Any],
        plan: ServicePlan,
        pppoe_password_encrypted: str | None,
        now: datetime,
    ) -> CustomerChange:
        _ensure_editable(fields)
        missing = sorted(REQUIRED_FIELDS - {k for k, v in fields.items() if v})
        if missing:
            raise invalid_field(missing[0], "required")
        customer = cls(
            id=id,
            customer_code=customer_code,
            service_plan_id=plan.id,
            monthly_fee=plan.monthly_price,
            pppoe_password_encrypted=pppoe_password_encrypted,
            created_at=now,
            updated_at=now,
            **fields,
        )
        return CustomerChange(customer, CustomerEvent.CREATED, frozenset(fields))

    @property
    def is_live(self) -> bool:
        """Holds a port on its ODP and an account on its router."""
        return self.deleted_at is None and self.status is not CustomerStatus.TERMINATED

    def update(
        self,
        changes: Mapping[str, Any],
        now: datetime,
        *,
        pppoe_password_encrypted: str | None = None,
    ) -> CustomerChange | None:
        """A partial update of editable fields; None when nothing would change."""
        _ensure_editable(changes)
        ensure_not_terminated(self.status, "updated")
        for field in REQUIRED_FIELDS & changes.keys():
            if not changes[field]:
                raise invalid_field(field, "required")
        effective = {k: v for k, v in changes.items() if getattr(self, k) != v}
        if pppoe_password_encrypted is not None:
            effective["pppoe_password_encrypted"] = pppoe_password_encrypted
        if not effective:
            return None
        return self._changed(CustomerEvent.UPDATED, now, **effective)

    def activate(self, on: date, now: datetime) -> CustomerChange:
        step = transition(self.status, self.suspension_cause, Command.ACTIVATE)
        return self._changed(
            step.event,
            now,
            status=step.target,
            suspension_reason=None,
            suspension_cause=None,
            activation_date=self.activation_date or on,
        )

    def suspend(self, reason: str, now: datetime) -> CustomerChange:
        step = transition(self.status, self.suspension_cause, Command.SUSPEND)
        return self._changed(
            step.event,
            now,
            status=step.target,
            suspension_reason=reason,
            suspension_cause=step.suspension_cause,
        )

    def suspend_for_overdue(self, now: datetime) -> CustomerChange | None:
        """Billing's verdict: an active customer is suspended; any other keeps its status."""
        if self.status is not CustomerStatus.ACTIVE:
            return None
        step = transition(self.status, self.suspension_cause, Command.SUSPEND_FOR_OVERDUE)
        return self._changed(
            step.event,
            now,
            status=step.target,
            suspension_reason=OVERDUE_REASON,
            suspension_cause=step.suspension_cause,
        )

    def restore_after_settlement(self, now: datetime) -> CustomerChange | None:
        """Only a suspension billing caused is lifted by billing; a manual one stays."""
        if self.suspension_cause is not SuspensionCause.OVERDUE:
            return None
        step = transition(self.status, self.suspension_cause, Command.RESTORE_AFTER_SETTLEMENT)
        return self._changed(
            step.event, now, status=step.target, suspension_reason=None, suspension_cause=None
        )

    def terminate(self, on: date, reason: str, now: datetime) -> CustomerChange:
        step = transition(self.status, self.suspension_cause, Command.TERMINATE)
        return self._changed(
            step.event,
            now,
            status=step.target,
            suspension_reason=None,
            suspension_cause=None,
            termination_date=on,
            termination_reason=reason,
        )

    def change_plan(self, plan: ServicePlan, now: datetime) -> CustomerChange:
        ensure_not_terminated(self.status, "plan_changed")
        if plan.id == self.service_plan_id:
            raise invalid_field("new_plan_id", "the customer is already on this plan")
        return self._changed(
            CustomerEvent.PLAN_CHANGED, now, service_plan_id=plan.id, monthly_fee=plan.monthly_price
        )

    def delete(self, now: datetime) -> CustomerChange:
        stamp = next_timestamp(self.updated_at, now)
        return CustomerChange(
            replace(self, version=self.version + 1, updated_at=stamp, deleted_at=stamp),
            CustomerEvent.DELETED,
            frozenset({"deleted_at"}),
        )

    def _changed(self, event: CustomerEvent, now: datetime, **changes: Any) -> CustomerChange:
        customer = replace(
            self,
            version=self.version + 1,
            updated_at=next_timestamp(self.updated_at, now),
            **changes,
        )
        return CustomerChange(customer, event, frozenset(changes))


def _ensure_editable(fields: Mapping[str, Any]) -> None:
    unknown = sorted(fields.keys() - EDITABLE_FIELDS)
    if unknown:
        raise invalid_field(unknown[0], "unknown field")
