"""What each role may do, so that a screen shows only the actions that would succeed.

The API decides (it answers 403 whatever the console shows); this table mirrors its
authorization so that a viewer sees no button that would be refused. A new write action gets a
row here and the templates ask `can(Action.X)`.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum


class Action(StrEnum):
    CUSTOMER_WRITE = "customer.write"  # create, edit, import
    CUSTOMER_LIFECYCLE = "customer.lifecycle"  # activate, suspend, isolate, terminate, delete
    PLAN_WRITE = "plan.write"
    PAYMENT_WRITE = "payment.write"  # record, void
    INVOICE_WRITE = "invoice.write"
    BILLING_RUN = "billing.run"  # billing run, overdue check
    BILLING_SETTINGS = "billing.settings"
    NETWORK_WRITE = "network.write"  # OLT, ODC, ODP, devices
    ROUTER_WRITE = "router.write"  # test connection, sync (devices: test connection)
    ROUTER_SETTINGS = "router.settings"  # suspension mode, isolation profile and list
    TICKET_WRITE = "ticket.write"  # open, start, resolve, comment
    TICKET_DISPATCH = "ticket.dispatch"  # assign, close, reopen
    TICKET_SLA = "ticket.sla"  # SLA hours per priority
    BOOST_APPROVE = "boost.approve"  # approve, reject, activate
    BOOST_PRICING = "boost.pricing"
    AUDIT_VERIFY = "audit.verify"  # read the whole trail and verify its chain
    USER_ADMIN = "user.admin"  # staff users and roles


ADMIN = "admin"
FINANCE = "finance"
SUPPORT = "support"
TECHNICIAN = "technician"
VIEWER = "viewer"

GRANTS: dict[Action, frozenset[str]] = {
    Action.CUSTOMER_WRITE: frozenset({ADMIN, SUPPORT}),
    Action.CUSTOMER_LIFECYCLE: frozenset({ADMIN, SUPPORT}),
    Action.PLAN_WRITE: frozenset({ADMIN}),
    Action.PAYMENT_WRITE: frozenset({ADMIN, FINANCE}),
    Action.INVOICE_WRITE: frozenset({ADMIN, FINANCE}),
    Action.BILLING_RUN: frozenset({ADMIN, FINANCE}),
    Action.BILLING_SETTINGS: frozenset({ADMIN}),
    Action.NETWORK_WRITE: frozenset({ADMIN, TECHNICIAN}),
    Action.ROUTER_WRITE: frozenset({ADMIN, SUPPORT, TECHNICIAN}),
    Action.ROUTER_SETTINGS: frozenset({ADMIN}),
    Action.TICKET_WRITE: frozenset({ADMIN, SUPPORT, TECHNICIAN}),
    Action.TICKET_DISPATCH: frozenset({ADMIN, SUPPORT}),
    Action.TICKET_SLA: frozenset({ADMIN}),
    Action.BOOST_APPROVE: frozenset({ADMIN, SUPPORT}),
    Action.BOOST_PRICING: frozenset({ADMIN, FINANCE}),
    Action.AUDIT_VERIFY: frozenset({ADMIN, VIEWER}),
    Action.USER_ADMIN: frozenset({ADMIN}),
}


def can(roles: Iterable[str], action: Action) -> bool:
    return not GRANTS[action].isdisjoint(roles)
