"""Who a new ticket is about, and what a subscriber may not do when opening one."""

from __future__ import annotations

import uuid
from uuid import UUID

import pytest

from isp_common.errors import Forbidden, NotFound

from isp_tickets.domain.status import Category
from isp_tickets.use_cases.create_ticket import NewTicket

MINE, THEIRS = uuid.uuid4(), uuid.uuid4()


def _new(
    customer_id: UUID | None = None,
    assigned_to: str | None = None,
    only_customer_id: UUID | None = None,
) -> NewTicket:
    return NewTicket(
        title="Down",
        description="No link",
        category=Category.TECHNICAL,
        customer_id=customer_id,
        assigned_to=assigned_to,
        only_customer_id=only_customer_id,
    )


def test_a_subscribers_ticket_is_about_itself_whatever_it_names() -> None:
    assert _new(only_customer_id=MINE).about_customer() == MINE
    assert _new(customer_id=MINE, only_customer_id=MINE).about_customer() == MINE
    with pytest.raises(NotFound):
        _new(customer_id=THEIRS, only_customer_id=MINE).about_customer()


def test_a_subscriber_cannot_assign_even_before_naming_another_customer() -> None:
    with pytest.raises(Forbidden, match="cannot assign"):
        _new(customer_id=THEIRS, assigned_to="agent-1", only_customer_id=MINE).about_customer()


def test_staff_open_tickets_about_whom_they_name_and_assign_them() -> None:
    assert _new(customer_id=THEIRS, assigned_to="agent-1").about_customer() == THEIRS
    assert _new().about_customer() is None
