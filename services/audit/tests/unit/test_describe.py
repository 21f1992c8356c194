from __future__ import annotations

import uuid

from isp_audit.domain.describe import clean_text, customer_of, describe, old_and_new


def test_the_customer_an_event_concerns() -> None:
    aggregate, customer = uuid.uuid4(), uuid.uuid4()
    assert customer_of("customers.customer.created", aggregate, {}) == aggregate
    assert (
        customer_of("boost.boost.requested", aggregate, {"customer_id": str(customer)}) == customer
    )
    assert customer_of("tickets.ticket.created", aggregate, {"customer_id": None}) is None
    assert customer_of("x.y.z", aggregate, {"customer_id": "not a uuid"}) is None
    assert customer_of("x.y.z", aggregate, ["not", "a", "dict"]) is None


def test_old_values_come_from_previous_fields() -> None:
    old, new = old_and_new({"service_plan_id": "b", "previous_plan_id": "a", "old_status": "x"})
    assert old == '{"service_plan_id":"a","status":"x"}'
    assert new == '{"old_status":"x","previous_plan_id":"a","service_plan_id":"b"}'
    assert old_and_new({"status": "active"}) == (None, '{"status":"active"}')


def test_descriptions_name_the_aggregate() -> None:
    aggregate = uuid.uuid4()
    text = describe(
        "A ticket was created.", "tickets.ticket.created", aggregate, {"ticket_number": "T-9"}
    )
    assert text == f"A ticket was created. [tickets.ticket {aggregate} T-9]"
    unknown = describe(None, "a.b.c", aggregate, {})
    assert unknown == f"Event a.b.c (not in the contract registry). [a.b {aggregate}]"


def test_text_postgres_cannot_store_is_replaced() -> None:
    assert clean_text("a\x00b") == "a\ufffdb"
    assert clean_text("a\ud800b?") == "a\ufffdb?"
