"""Pure rules of the login door: opaque tokens, refresh decisions, throttle backoff, claims and
key windows."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest

from isp_identity.domain.claims import TokenPolicy, access_claims
from isp_identity.domain.opaque_tokens import new_opaque_token, parse_opaque_token, secret_matches
from isp_identity.domain.refresh import (
    RefreshDecision,
    RevocationReason,
    decide_refresh,
    new_family,
    next_token,
    revoked,
)
from isp_identity.domain.sessions import SigningKey, Subject, SubjectKind
from isp_identity.domain.signing_keys import key_window, signing_key
from isp_identity.domain.throttle import (
    lock_seconds,
    name_key,
    record_failure,
    retry_after_seconds,
)

NOW = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)
USER = Subject(SubjectKind.USER, uuid4())


def test_an_opaque_token_round_trips_and_only_its_hash_is_kept() -> None:
    token = new_opaque_token()
    parsed = parse_opaque_token(token.text)
    assert parsed == token
    assert token.secret not in token.secret_hash and len(token.secret_hash) == 64
    assert secret_matches(token.secret_hash, token.secret)
    assert not secret_matches(token.secret_hash, token.secret + "x")


@pytest.mark.parametrize(
    "text", ["", ".", "abc", "not-a-uuid.secret", f"{uuid4()}.", f"{uuid4()}.{'x' * 200}"]
)
def test_what_is_not_an_opaque_token(text: str) -> None:
    assert parse_opaque_token(text) is None


def test_a_refresh_rotates_once_then_counts_as_reuse() -> None:
    family = new_family(USER, NOW, days=30)
    opaque, stored = next_token(family, NOW)
    assert stored.expires_at == family.expires_at == NOW + timedelta(days=30)
    assert decide_refresh(opaque, stored, family, NOW) is RefreshDecision.ROTATE
    spent = replace(stored, used_at=NOW)
    assert decide_refresh(opaque, spent, family, NOW) is RefreshDecision.REUSED
    ended = revoked(family, RevocationReason.REUSE_DETECTED, NOW)
    assert decide_refresh(opaque, stored, ended, NOW) is RefreshDecision.REFUSED
    assert (
        decide_refresh(opaque, stored, family, NOW + timedelta(days=30)) is RefreshDecision.REFUSED
    )
    forged = replace(opaque, secret="guess")
    assert decide_refresh(forged, stored, family, NOW) is RefreshDecision.REFUSED
    assert decide_refresh(opaque, None, None, NOW) is RefreshDecision.REFUSED


def test_the_lock_doubles_from_one_second_after_five_failures_up_to_fifteen_minutes() -> None:
    assert [lock_seconds(n) for n in range(1, 11)] == [0, 0, 0, 0, 1, 2, 4, 8, 16, 32]
    assert lock_seconds(14) == 512 and lock_seconds(15) == 900 and lock_seconds(10_000) == 900


def test_failures_accumulate_into_a_lock() -> None:
    key, state = name_key("Someone@Example.com"), None
    assert key == name_key("  someone@example.COM ")
    for n in range(1, 6):
        failure = record_failure(key, state, NOW)
        state = failure.state
        assert failure.state.failures == n and failure.locked == (n == 5)
    assert retry_after_seconds(state, NOW) == 1
    assert retry_after_seconds(state, NOW + timedelta(seconds=1)) == 0


def test_claims_say_who_and_for_how_long() -> None:
    policy = TokenPolicy("isp-identity", "isp-api", 900, 30)
    tenant, session = uuid4(), uuid4()
    staff = access_claims(
        policy, tenant_id=tenant, subject=USER, roles={"b", "a"}, session_id=session, now=NOW
    )
    assert staff["roles"] == ["a", "b"] and staff["aud"] == "isp-api"
    assert staff["exp"] - staff["iat"] == 900 and "customer_id" not in staff
    customer = Subject(SubjectKind.CUSTOMER, uuid4())
    subscriber = access_claims(
        replace(policy, audience=None),
        tenant_id=tenant,
        subject=customer,
        roles={"customer"},
        session_id=session,
        now=NOW,
    )
    assert subscriber["customer_id"] == subscriber["sub"] == str(customer.id)
    assert "aud" not in subscriber and subscriber["sid"] == str(session)


def test_a_key_signs_for_its_rotation_and_verifies_a_token_lifetime_and_skew_longer() -> None:
    window = key_window(NOW, rotation_days=30, access_token_seconds=900)
    assert window.signs_until == NOW + timedelta(days=30)
    assert window.verifies_until == window.signs_until + timedelta(minutes=20)

    def key(kid: str, created: datetime, signs: datetime) -> SigningKey:
        return SigningKey(kid, "x", {}, created, signs, signs + timedelta(minutes=20))

    old = key("old", NOW - timedelta(days=40), NOW - timedelta(days=10))
    current = key("current", NOW - timedelta(days=10), NOW + timedelta(days=20))
    newer = key("newer", NOW - timedelta(days=1), NOW + timedelta(days=29))
    assert signing_key([old, current, newer], NOW) == newer
    assert signing_key([old], NOW) is None
