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
    ROUTER_WRITE = "router.write"  # add, edit, test connection, sync
    TICKET_WRITE = "ticket.write"  # open, workflow actions, comments
    BOOST_APPROVE = "boost.approve"
    AUDIT_VERIFY = "audit.verify"
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
    Action.ROUTER_WRITE: frozenset({ADMIN, TECHNICIAN}),
    Action.TICKET_WRITE: frozenset({ADMIN, SUPPORT, TECHNICIAN}),
    Action.BOOST_APPROVE: frozenset({ADMIN, SUPPORT}),
    Action.AUDIT_VERIFY: frozenset({ADMIN}),
    Action.USER_ADMIN: frozenset({ADMIN}),
}


def can(roles: Iterable[str], action: Action) -> bool:
    return not GRANTS[action].isdisjoint(roles)
