"""The customer's statuses and why a suspended customer is suspended."""

from __future__ import annotations

from enum import StrEnum


class CustomerStatus(StrEnum):
    PENDING_ACTIVATION = "pending_activation"
    ACTIVE = "active"
    SUSPENDED = "suspended"
    TERMINATED = "terminated"


class SuspensionCause(StrEnum):
    # An operator suspended the customer: only an operator activates them again.
    MANUAL = "manual"
    # Billing reported the account overdue: billing's `settled` restores them.
    OVERDUE = "overdue"


class ProvisioningStatus(StrEnum):
    PENDING = "pending"
    PROVISIONED = "provisioned"
    FAILED = "failed"
