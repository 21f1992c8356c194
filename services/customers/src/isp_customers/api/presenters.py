"""The customer as the API shows it: never the PPPoE password, only whether one is set."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated
from uuid import UUID

from pydantic import BaseModel, PlainSerializer

from isp_common.money import Money

from isp_customers.domain.read_models import CustomerDetails
from isp_customers.domain.status import CustomerStatus, ProvisioningStatus, SuspensionCause

Coordinate = Annotated[Decimal, PlainSerializer(float, return_type=float, when_used="json")]


class CustomerOut(BaseModel):
    id: UUID
    customer_code: str
    full_name: str
    nik: str | None
    phone: str
    email: str | None
    photo_url: str | None
    address: str
    rt: str | None
    rw: str | None
    kelurahan: str | None
    kecamatan: str | None
    city: str | None
    postal_code: str | None
    latitude: Coordinate | None
    longitude: Coordinate | None
    house_photo_url: str | None
    status: CustomerStatus
    suspension_reason: str | None
    suspension_cause: SuspensionCause | None
    service_plan_id: UUID | None
    monthly_fee: Money | None
    activation_date: date | None
    termination_date: date | None
    termination_reason: str | None
    odp_id: UUID | None
    odc_id: UUID | None
    olt_id: UUID | None
    olt_port: str | None
    onu_serial: str | None
    router_id: UUID | None
    remote_address: str | None
    pppoe_username: str | None
    has_pppoe_password: bool
    provisioning_status: ProvisioningStatus
    outstanding_balance: Money
    due_date: date | None
    last_payment_date: date | None
    version: int
    created_at: datetime
    updated_at: datetime


def present(details: CustomerDetails) -> CustomerOut:
    customer = details.customer
    account = details.account
    return CustomerOut.model_validate(
        {
            **vars(customer),
            "has_pppoe_password": customer.pppoe_password_encrypted is not None,
            "provisioning_status": details.provisioning_status,
            "outstanding_balance": account.outstanding_balance,
            "due_date": account.due_date,
            "last_payment_date": account.last_payment_date,
        }
    )
