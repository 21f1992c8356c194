from __future__ import annotations

from isp_audit.domain.categories import Category, action_of, category_of


def test_categories_from_event_types() -> None:
    assert category_of("customers.customer.activated") is Category.CUSTOMER
    assert category_of("billing.plan.updated") is Category.SERVICE_PLAN
    assert category_of("billing.account.overdue") is Category.PAYMENT
    assert category_of("billing.payment.recorded") is Category.PAYMENT
    assert category_of("tickets.ticket.closed") is Category.TICKET
    assert category_of("network.device.created") is Category.DEVICE
    assert category_of("mikrotik.router.synced") is Category.DEVICE
    assert category_of("boost.boost.activated") is Category.SPEED_BOOST
    assert category_of("something.new.happened") is Category.SYSTEM
    assert category_of("") is Category.SYSTEM


def test_action_is_the_verb() -> None:
    assert action_of("customers.customer.plan_changed") == "plan_changed"
    assert action_of("odd") == "odd"
    assert action_of("trailing.") == "trailing."
