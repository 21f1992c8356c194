"""The request's state machine, as a table and through the entity."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from isp_common.errors import InvalidState, ValidationFailed

from isp_boost.domain.boost import BoostRequest, check_boost_above_plan
from isp_boost.domain.events import BoostEvent
from isp_boost.domain.history import BoostHistory
from isp_boost.domain.lifecycle import TRANSITIONS, Command, is_allowed, transition
from isp_boost.domain.references import Speeds
from isp_boost.domain.status import BoostStatus, EndReason

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
PLAN = Speeds(20_000, 10_000)

EXPECTED = {
    (BoostStatus.PENDING, Command.APPROVE): BoostStatus.APPROVED,
    (BoostStatus.PENDING, Command.REJECT): BoostStatus.REJECTED,
    (BoostStatus.APPROVED, Command.REJECT): BoostStatus.REJECTED,
    (BoostStatus.APPROVED, Command.ACTIVATE): BoostStatus.ACTIVATED,
    (BoostStatus.ACTIVATED, Command.EXPIRE): BoostStatus.EXPIRED,
    (BoostStatus.ACTIVATED, Command.END): BoostStatus.ENDED,
}


def new_request(hours: int = 3, price: str = "5000.00") -> BoostRequest:
    return BoostRequest.new(
        id=uuid.uuid4(),
        customer_id=uuid.uuid4(),
        number="BST-000001",
        speeds=Speeds(50_000, 20_000),
        duration_hours=hours,
        price_per_hour=Decimal(price),
        requested_by="admin",
        now=NOW,
    ).request


@pytest.mark.parametrize("status", list(BoostStatus))
@pytest.mark.parametrize("command", list(Command))
def test_the_table_is_the_whole_machine(status: BoostStatus, command: Command) -> None:
    expected = EXPECTED.get((status, command))
    assert is_allowed(status, command) == (expected is not None)
    if expected is not None:
        assert transition(status, command) is expected
    else:
        with pytest.raises(InvalidState) as refused:
            transition(status, command)
        assert refused.value.details["current_state"] == status.value
        assert refused.value.code == "INVALID_STATE"
    assert TRANSITIONS == EXPECTED


@pytest.mark.parametrize("status", [s for s in BoostStatus if s.is_final])
def test_final_statuses_go_nowhere(status: BoostStatus) -> None:
    assert not any(is_allowed(status, command) for command in Command)


def test_a_new_request_is_pending_priced_and_version_one() -> None:
    request = new_request(hours=4, price="7500.50")
    assert request.status is BoostStatus.PENDING
    assert request.total_price == Decimal("30002.00")
    assert request.version == 1


def test_approve_activate_expire_raise_their_events_and_count_versions() -> None:
    approved = new_request().approve("boss", NOW, "fine")
    assert approved.event is BoostEvent.APPROVED
    assert (approved.request.approved_by, approved.request.admin_notes) == ("boss", "fine")
    later = NOW + timedelta(minutes=5)
    activated = approved.request.activate(PLAN, later)
    request = activated.request
    assert activated.event is BoostEvent.ACTIVATED
    assert request.activated_at == later
    assert request.expires_at == later + timedelta(hours=3)
    assert request.original_speeds == PLAN
    assert request.version == 3
    assert not request.is_due(later + timedelta(hours=3) - timedelta(microseconds=1))
    assert request.is_due(later + timedelta(hours=3))
    with pytest.raises(ValueError):
        request.expire(later + timedelta(hours=2))
    expired = request.expire(later + timedelta(hours=5))
    assert expired.event is BoostEvent.ENDED
    assert expired.request.status is BoostStatus.EXPIRED
    assert expired.request.ended_at == request.expires_at  # not when the job noticed
    assert expired.request.end_reason is EndReason.EXPIRED


def test_ending_early_records_the_moment_and_why() -> None:
    active = new_request().approve("boss", NOW).request.activate(PLAN, NOW).request
    ended = active.end(EndReason.DEACTIVATED, NOW + timedelta(hours=1)).request
    assert ended.status is BoostStatus.ENDED
    assert ended.ended_at == NOW + timedelta(hours=1)
    with pytest.raises(InvalidState):
        ended.end(EndReason.DEACTIVATED, NOW + timedelta(hours=2))


def test_history_starts_from_an_activated_request_only() -> None:
    pending = new_request()
    with pytest.raises(ValueError):
        BoostHistory.started_by(uuid.uuid4(), pending)
    active = pending.approve("boss", NOW).request.activate(PLAN, NOW).request
    row = BoostHistory.started_by(uuid.uuid4(), active)
    assert (row.original_speed_download, row.boosted_speed_download) == (20_000, 50_000)
    assert row.expires_at == NOW + timedelta(hours=3)
    assert row.is_active


@pytest.mark.parametrize("hours", [0, 721])
def test_duration_out_of_range_is_a_validation_error(hours: int) -> None:
    with pytest.raises(ValidationFailed):
        new_request(hours=hours)


@pytest.mark.parametrize(
    ("boosted", "ok"),
    [
        (Speeds(50_000, 10_000), True),
        (Speeds(20_000, 20_000), True),
        (Speeds(20_000, 10_000), False),
        (Speeds(19_999, 50_000), False),
        (Speeds(50_000, 9_999), False),
    ],
)
def test_a_boost_is_never_slower_than_the_plan(boosted: Speeds, ok: bool) -> None:
    if ok:
        check_boost_above_plan(boosted, PLAN)
    else:
        with pytest.raises(ValidationFailed):
            check_boost_above_plan(boosted, PLAN)
