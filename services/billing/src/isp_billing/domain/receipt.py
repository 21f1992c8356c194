"""What a payment receipt shows: the payment, who paid it, and the tenant it is issued by."""

from __future__ import annotations

from dataclasses import dataclass

from isp_billing.domain.ledger import Account, Payment
from isp_billing.domain.settings import BillingSettings


@dataclass(frozen=True)
class Receipt:
    payment: Payment
    account: Account | None
    settings: BillingSettings
