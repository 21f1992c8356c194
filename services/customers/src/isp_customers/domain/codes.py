"""Human customer codes, made from the tenant's counter (never from max()+1)."""

from __future__ import annotations

CUSTOMER_CODE_COUNTER = "customer_code"


def format_customer_code(number: int) -> str:
    return f"CUST-{number:06d}"
