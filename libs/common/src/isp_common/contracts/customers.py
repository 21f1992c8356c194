"""customers.customer.*: the subscriber's snapshot."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from pydantic import BaseModel

from isp_common.contracts import register
from isp_common.money import Money


class CustomerSnapshot(BaseModel):
    id: UUID
    customer_code: str
    full_name: str
    phone: str
    email: str | None = None
    address: str
    city: str | None = None
    status: str  # pending_activation | active | suspended | terminated
    suspension_reason: str | None = None
    service_plan_id: UUID | None = None
    monthly_fee: Money | None = None
    activation_date: date | None = None
    termination_date: date | None = None
    odp_id: UUID | None = None
    odc_id: UUID | None = None
    olt_id: UUID | None = None
    olt_port: str | None = None
    onu_serial: str | None = None
    router_id: UUID | None = None  # a network device; None means the tenant's default router
    remote_address: str | None = None  # a fixed IPv4 address for the PPPoE session, if any
    pppoe_username: str | None = None
    # Fernet token; only holders of ISP_SECRET_KEY (the agent) read it.
    pppoe_password_encrypted: str | None = None
    is_deleted: bool = False
    version: int
    created_at: datetime
    updated_at: datetime


class CustomerPlanChanged(CustomerSnapshot):
    previous_plan_id: UUID | None = None
    effective_date: date
    reason: str | None = None


_SNAPSHOT_EVENTS = {
    "created": "A customer was created (status pending_activation).",
    "updated": "Fields of a customer changed (PATCH).",
    "activated": "The customer became active; the agent provisions the router.",
    "suspended": "The customer was suspended (manually or for overdue); the agent isolates them.",
    "restored": "A suspended customer became active again; the agent lifts the isolation.",
    "terminated": "The customer was terminated (final); the agent removes router objects.",
    "deleted": "The customer was soft-deleted; every service drops live records about them.",
}
# Every type whose data is the customer's whole snapshot: what a replica of customers takes.
CUSTOMER_SNAPSHOT_TYPES = tuple(f"customers.customer.{verb}" for verb in _SNAPSHOT_EVENTS)
CUSTOMER_PLAN_CHANGED = "customers.customer.plan_changed"

for type_, text in zip(CUSTOMER_SNAPSHOT_TYPES, _SNAPSHOT_EVENTS.values(), strict=True):
    register(type_, CustomerSnapshot, text)

register(
    CUSTOMER_PLAN_CHANGED,
    CustomerPlanChanged,
    "The customer moved to another service plan; billing prorates, the agent changes the queue.",
)
