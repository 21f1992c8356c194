"""The single-flight refresher, API problems in words, and the role table."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import UTC, datetime

import pytest

from isp_console.adapters.token_refresh import Refresher
from isp_console.domain.errors import GENERAL, MESSAGES, ApiProblem
from isp_console.domain.permissions import GRANTS, Action, can
from isp_console.domain.session import Area, Session

SESSION = Session(
    area=Area.CONSOLE,
    tenant="demo",
    access_token="a1",
    refresh_token="r1",
    access_expires_at=datetime(2026, 12, 4, tzinfo=UTC),
    csrf_token="c",
    subject="u",
    roles=("admin",),
    display_name="Ani",
)


async def test_concurrent_requests_spend_the_refresh_token_once() -> None:
    refresher = Refresher()
    calls = 0
    gate = asyncio.Event()

    async def refresh(session: Session) -> Session:
        nonlocal calls
        calls += 1
        await gate.wait()  # every other caller arrives while this one is out
        return replace(session, access_token=f"a{calls + 1}", refresh_token=f"r{calls + 1}")

    waiting = [asyncio.create_task(refresher.refreshed(SESSION, refresh)) for _ in range(8)]
    await asyncio.sleep(0)
    gate.set()
    fresh = await asyncio.gather(*waiting)
    assert calls == 1
    assert {s.access_token for s in fresh} == {"a2"}
    # A request still carrying the old cookie afterwards gets the same answer, no new refresh.
    assert (await refresher.refreshed(SESSION, refresh)).refresh_token == "r2"
    assert calls == 1


async def test_a_failed_refresh_fails_every_waiter_and_the_next_one_tries_again() -> None:
    refresher = Refresher()
    calls = 0
    gate = asyncio.Event()

    async def refuse(session: Session) -> Session:
        nonlocal calls
        calls += 1
        await gate.wait()
        raise RuntimeError("identity refused")

    waiting = [asyncio.create_task(refresher.refreshed(SESSION, refuse)) for _ in range(3)]
    await asyncio.sleep(0)
    gate.set()
    results = await asyncio.gather(*waiting, return_exceptions=True)
    assert calls == 1 and all(isinstance(r, RuntimeError) for r in results)

    async def accept(session: Session) -> Session:
        return replace(session, refresh_token="r9")

    assert (await refresher.refreshed(SESSION, accept)).refresh_token == "r9"


async def test_different_sessions_refresh_independently() -> None:
    refresher = Refresher()
    seen: list[str] = []

    async def refresh(session: Session) -> Session:
        seen.append(session.refresh_token)
        return replace(session, refresh_token=session.refresh_token + "'")

    other = replace(SESSION, refresh_token="other")
    await asyncio.gather(refresher.refreshed(SESSION, refresh), refresher.refreshed(other, refresh))
    assert sorted(seen) == ["other", "r1"]


def test_a_problem_reads_the_envelope_and_its_field_list() -> None:
    body = {
        "success": False,
        "error": {
            "code": "VALIDATION_ERROR",
            "message": "invalid",
            "details": {
                "fields": [
                    {"field": "phone", "message": "not a phone number", "type": "value_error"},
                    {"field": "phone", "message": "second", "type": "x"},
                    {"field": "email", "type": "missing"},
                    "not a field",
                ]
            },
        },
    }
    problem = ApiProblem.from_response(422, body)
    assert (problem.status, problem.code, problem.message) == (422, "VALIDATION_ERROR", "invalid")
    assert problem.field_errors == {"phone": "not a phone number", "email": "invalid"}
    assert problem.sentence == MESSAGES["VALIDATION_ERROR"]


def test_a_problem_takes_a_mapping_of_fields_too() -> None:
    body = {
        "error": {"code": "CONFLICT", "message": "taken", "details": {"fields": {"email": "taken"}}}
    }
    problem = ApiProblem.from_response(409, body)
    assert problem.field_errors == {"email": "taken"}
    assert problem.sentence == MESSAGES["CONFLICT"]


@pytest.mark.parametrize(
    ("status", "body", "code"),
    [
        (404, None, "NOT_FOUND"),
        (502, "<html>Bad gateway</html>", "EXTERNAL_SERVICE_ERROR"),
        (429, {"error": "slow down"}, "RATE_LIMITED"),
        (500, {"error": {"details": ["odd"]}}, "INTERNAL_ERROR"),
        (418, {}, "INTERNAL_ERROR"),
    ],
)
def test_an_answer_without_an_envelope_still_gets_words(
    status: int, body: object, code: str
) -> None:
    problem = ApiProblem.from_response(status, body)
    assert problem.code == code and problem.details == {} and problem.field_errors == {}
    assert problem.sentence == MESSAGES[code]


def test_an_unknown_code_gets_the_general_sentence() -> None:
    assert ApiProblem(400, "SOMETHING_NEW", "").sentence == GENERAL
    assert ApiProblem.unreachable("timeout").sentence == MESSAGES["UNREACHABLE"]


def test_every_action_has_a_grant_and_admin_may_do_everything() -> None:
    assert set(GRANTS) == set(Action)
    staff = {"admin", "finance", "support", "technician", "viewer"}
    for action, roles in GRANTS.items():
        assert "admin" in roles and roles <= staff, action
        assert can(["admin"], action)
        assert not can(["customer"], action) and not can([], action)


def test_a_user_of_several_roles_may_do_what_any_of_them_may() -> None:
    assert not can(["finance"], Action.CUSTOMER_WRITE)
    assert can(["finance", "support"], Action.CUSTOMER_WRITE)
    with pytest.raises(ValueError):
        Action("customer.fly")
