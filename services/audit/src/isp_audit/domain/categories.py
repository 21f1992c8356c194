"""What an audit row is about (the seed's `Category`), read off an event's type."""

from __future__ import annotations

from enum import StrEnum


class Category(StrEnum):
    CUSTOMER = "customer"
    PAYMENT = "payment"
    TICKET = "ticket"
    SERVICE_PLAN = "service_plan"
    DEVICE = "device"
    SPEED_BOOST = "speed_boost"
    SYSTEM = "system"


# `<service>.<aggregate>` → category; the first match wins, so the precise entries come first.
_BY_AGGREGATE: tuple[tuple[str, Category], ...] = (
    ("customers.customer", Category.CUSTOMER),
    ("billing.plan", Category.SERVICE_PLAN),
    ("billing.", Category.PAYMENT),  # accounts, invoices, payments, receipts
    ("tickets.", Category.TICKET),
    ("boost.", Category.SPEED_BOOST),
    ("network.", Category.DEVICE),  # OLTs, ODCs, ODPs, devices
    ("mikrotik.", Category.DEVICE),  # what the agent did on the routers
)


def category_of(event_type: str) -> Category:
    """Any type at all, known to the contracts or not: an unknown one is `system`."""
    for prefix, category in _BY_AGGREGATE:
        if event_type.startswith(prefix):
            return category
    return Category.SYSTEM


def action_of(event_type: str) -> str:
    """The past-tense verb: `activated` for `customers.customer.activated`."""
    return event_type.rsplit(".", 1)[-1] or event_type
