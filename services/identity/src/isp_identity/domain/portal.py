"""Rules for subscribers' portal accounts.

An account is a replica of the customer (what they log in with, whether they still exist),
kept from customers' events and level-triggered by the customer's version: an event older
than what the account already reflects changes nothing, so any order of delivery, with
duplicates and replays, ends in the same state. What identity itself decides (enabled, the
password, an activation code) is changed only by staff and the subscriber, never by a
customer event, except that a deleted or terminated customer's account is disabled for good.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from uuid import UUID

from isp_common.errors import InvalidState

from isp_identity.domain.accounts import PortalAccount

# Statuses after which the customer never comes back (customers' state machine).
FINAL_STATUSES = frozenset({"terminated"})


@dataclass(frozen=True, kw_only=True)
class CustomerFacts:
    """What a customers.customer.* snapshot tells identity."""

    customer_id: UUID
    customer_code: str
    pppoe_username: str | None
    phone: str | None
    status: str
    deleted: bool
    version: int


@dataclass(frozen=True)
class ReplicaChange:
    account: PortalAccount
    # The account was enabled and the customer is now gone: its sessions end, an event says so.
    disabled: bool


def login_name(value: str | None) -> str | None:
    """A login identifier as stored and looked up: trimmed, lower-cased; blank is none."""
    name = (value or "").strip().lower()
    return name or None


def is_closed(account: PortalAccount) -> bool:
    return account.customer_deleted or account.customer_status in FINAL_STATUSES


def follow_customer(
    account: PortalAccount | None, facts: CustomerFacts, now: datetime
) -> ReplicaChange | None:
    """The account after the customer's snapshot; None when the snapshot is not newer than
    what the account reflects (a duplicate, a replay, an event overtaken by a later one)."""
    if account is not None and facts.version <= account.customer_version:
        return None
    identifiers = {
        "customer_code": login_name(facts.customer_code) or str(facts.customer_id),
        "pppoe_username": login_name(facts.pppoe_username),
        "phone": login_name(facts.phone),
        "customer_status": facts.status,
        "customer_deleted": facts.deleted,
        "customer_version": facts.version,
        "updated_at": now,
    }
    if account is None:
        # No login until staff enable one (a password or an activation code).
        followed = PortalAccount(
            customer_id=facts.customer_id,
            enabled=False,
            password_hash=None,
            password_changed_at=None,
            activation_code_hash=None,
            activation_expires_at=None,
            version=1,
            created_at=now,
            **identifiers,  # type: ignore[arg-type]
        )
        return ReplicaChange(followed, disabled=False)
    followed = replace(account, **identifiers)  # type: ignore[arg-type]
    if is_closed(followed) and (account.enabled or account.activation_code_hash):
        return ReplicaChange(_without_login(followed), disabled=True)
    return ReplicaChange(followed, disabled=False)


def enabled_with_password(
    account: PortalAccount, password_hash: str, now: datetime
) -> PortalAccount:
    _ensure_open(account, "enabled")
    return replace(
        account,
        enabled=True,
        password_hash=password_hash,
        password_changed_at=now,
        activation_code_hash=None,
        activation_expires_at=None,
        version=account.version + 1,
        updated_at=now,
    )


def enabled_with_activation(
    account: PortalAccount, code_hash: str, expires_at: datetime, now: datetime
) -> PortalAccount:
    """The subscriber sets their password with the code (docs/identity.md); until then any
    earlier password no longer works: the code is issued because that one is lost or unknown."""
    _ensure_open(account, "enabled")
    return replace(
        account,
        enabled=True,
        password_hash=None,
        password_changed_at=None,
        activation_code_hash=code_hash,
        activation_expires_at=expires_at,
        version=account.version + 1,
        updated_at=now,
    )


def disabled(account: PortalAccount, now: datetime) -> PortalAccount | None:
    """None when there is no login to take away (already disabled, no code outstanding)."""
    if not account.enabled and account.activation_code_hash is None:
        return None
    return _without_login(replace(account, updated_at=now))


def activation_pending(account: PortalAccount, now: datetime) -> bool:
    return (
        account.enabled
        and account.activation_code_hash is not None
        and account.activation_expires_at is not None
        and account.activation_expires_at > now
    )


def _without_login(account: PortalAccount) -> PortalAccount:
    return replace(
        account,
        enabled=False,
        activation_code_hash=None,
        activation_expires_at=None,
        version=account.version + 1,
    )


def _ensure_open(account: PortalAccount, requested: str) -> None:
    if is_closed(account):
        current = "deleted" if account.customer_deleted else account.customer_status
        raise InvalidState(
            current, requested, f"the customer is {current}: their portal login stays disabled"
        )
