"""What a customer read answers: the customer with the billing and provisioning it is shown with."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from isp_customers.domain.customer import Customer
from isp_customers.domain.status import ProvisioningStatus

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class AccountStanding:
    """Billing's read model of the customer's account (from billing.account.* events)."""

    outstanding_balance: Decimal = ZERO
    due_date: date | None = None
    last_payment_date: date | None = None


def provisioning_status(
    reported: ProvisioningStatus | None, reflects_version: int | None, customer_version: int
) -> ProvisioningStatus:
    """What the agent last said, unless the customer has changed since the version it was
    about: then the router is still being brought up to date."""
    if reported is None:
        return ProvisioningStatus.PENDING
    if reflects_version is not None and reflects_version < customer_version:
        return ProvisioningStatus.PENDING
    return reported


@dataclass(frozen=True)
class CustomerDetails:
    customer: Customer
    account: AccountStanding = AccountStanding()
    provisioning_status: ProvisioningStatus = ProvisioningStatus.PENDING
