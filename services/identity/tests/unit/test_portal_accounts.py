"""The portal account replica's rules: it follows the customer's newest snapshot only, and a
deleted or terminated customer's login is off for good."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from isp_common.errors import InvalidState

from isp_identity.domain.accounts import PortalAccount
from isp_identity.domain.one_time_tokens import (
    ACTIVATION_ALPHABET,
    new_activation_code,
    normalised_activation_code,
)
from isp_identity.domain.portal import (
    CustomerFacts,
    activation_pending,
    disabled,
    enabled_with_activation,
    enabled_with_password,
    follow_customer,
)

NOW = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)
CUSTOMER = uuid.uuid4()


def facts(version: int, **overrides: object) -> CustomerFacts:
    values: dict[str, object] = {
        "customer_id": CUSTOMER,
        "customer_code": "CUST-0001",
        "pppoe_username": "Siti.PPP",
        "phone": " +62 812 555 ",
        "status": "active",
        "deleted": False,
        "version": version,
    }
    return CustomerFacts(**{**values, **overrides})  # type: ignore[arg-type]


def account(version: int = 1, **overrides: object) -> PortalAccount:
    change = follow_customer(None, facts(version, **overrides), NOW)
    assert change is not None
    return change.account


def test_a_first_snapshot_makes_a_disabled_account_with_lower_cased_login_names() -> None:
    made = account()
    assert (made.enabled, made.password_hash, made.version) == (False, None, 1)
    assert (made.customer_code, made.pppoe_username, made.phone) == (
        "cust-0001",
        "siti.ppp",
        "+62 812 555",
    )


def test_an_older_or_equal_snapshot_changes_nothing() -> None:
    current = account(version=3)
    assert follow_customer(current, facts(3, customer_code="X"), NOW) is None
    assert follow_customer(current, facts(2, deleted=True), NOW) is None


def test_a_newer_snapshot_updates_the_login_names_but_not_the_login() -> None:
    enabled = enabled_with_password(account(), "hash", NOW)
    change = follow_customer(enabled, facts(2, pppoe_username=None, status="suspended"), NOW)
    assert change is not None and not change.disabled
    assert (change.account.pppoe_username, change.account.enabled) == (None, True)
    assert change.account.version == enabled.version  # identity's own state did not change


@pytest.mark.parametrize("closing", [{"deleted": True}, {"status": "terminated"}])
def test_a_deleted_or_terminated_customer_s_login_is_disabled(closing: dict[str, object]) -> None:
    enabled = enabled_with_password(account(), "hash", NOW)
    change = follow_customer(enabled, facts(2, **closing), NOW)
    assert change is not None and change.disabled
    assert not change.account.enabled
    assert change.account.version == enabled.version + 1
    with pytest.raises(InvalidState):
        enabled_with_password(change.account, "hash", NOW)


def test_a_closed_customer_never_enabled_raises_nothing_to_revoke() -> None:
    change = follow_customer(account(), facts(2, deleted=True), NOW)
    assert change is not None and not change.disabled


def test_an_activation_code_replaces_the_password_and_disabling_drops_it() -> None:
    with_password = enabled_with_password(account(), "hash", NOW)
    pending = enabled_with_activation(with_password, "code-hash", NOW + timedelta(days=7), NOW)
    assert (pending.password_hash, pending.activation_code_hash) == (None, "code-hash")
    assert activation_pending(pending, NOW)
    assert not activation_pending(pending, NOW + timedelta(days=8))
    off = disabled(pending, NOW)
    assert off is not None
    assert (off.enabled, off.activation_code_hash) == (False, None)
    assert disabled(off, NOW) is None  # nothing more to take away
    assert disabled(replace(off, enabled=False), NOW) is None


def test_activation_codes_are_eight_unambiguous_characters() -> None:
    codes = {new_activation_code() for _ in range(200)}
    assert len(codes) == 200
    assert all(len(c) == 8 and set(c) <= set(ACTIVATION_ALPHABET) for c in codes)
    assert not set(ACTIVATION_ALPHABET) & set("01OIL")
    assert normalised_activation_code(" abcd-efgh ") == "ABCDEFGH"
