"""Identity's consumer is level-triggered: any order of one customer's events, with duplicates,
through the real handling path (inbox, version tracking, handlers) leaves the portal account,
its events and the subscriber's sessions as in-order delivery does (a deleted or terminated
customer's login is off and their sessions revoked)."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from isp_common.messaging.consumer import Consumer
from isp_common.testing.reordering import (
    customer_history,
    customer_lives,
    deliver_all,
    history_events,
    redeliveries,
)

from isp_identity.bootstrap import Runtime
from isp_identity.consumers.customers import customers_consumer
from isp_identity.domain.refresh import new_family
from isp_identity.domain.sessions import Subject, SubjectKind

if TYPE_CHECKING:
    from conftest import Tenant

Events = Callable[[uuid.UUID], Awaitable[list[dict[str, Any]]]]
PASSWORD = "a subscriber's long passphrase"


@pytest.fixture(scope="module")
def consumer(runtime: Runtime) -> Consumer:
    return customers_consumer(runtime)


async def _delivered(
    tenant: Tenant,
    consumer: Consumer,
    outbox_events: Events,
    verbs: list[str],
    order: Sequence[int],
) -> tuple[Any, ...]:
    customer = uuid.uuid4()
    history = customer_history(
        customer, verbs, plans=[uuid.uuid4()], activated_on=datetime.now(UTC).date()
    )
    events = history_events(tenant.id, "customers", customer, history)
    # Created first, so staff can enable the login; it comes again later in the drawn order
    # (a duplicate the inbox absorbs).
    await deliver_all(consumer, events, [0])
    put = await tenant.client("support").put(
        f"/customers/{customer}/portal-account", json={"password": PASSWORD}
    )
    assert put.status_code == 200, put.text
    family = new_family(Subject(SubjectKind.CUSTOMER, customer), datetime.now(UTC), 30)
    async with tenant.runtime.unit_of_work(tenant.id) as uow:
        await uow.sessions.add_family(family)
        await uow.commit()
    await deliver_all(consumer, events, order)
    async with tenant.runtime.unit_of_work(tenant.id) as uow:
        account = await uow.portal_accounts.get(customer)
        session = await uow.sessions.family(family.id)
    assert account is not None and session is not None
    shown = await tenant.client("admin").get(f"/customers/{customer}/portal-account")

    def named(login: str | None) -> str | None:  # the names carry the customer's own id
        return None if login is None else login.replace(customer.hex[:8], "<id>")

    return (
        account.enabled,
        account.password_hash is not None,
        named(account.customer_code),
        named(account.pppoe_username),
        account.phone,
        account.customer_status,
        account.customer_deleted,
        account.customer_version,
        account.version,
        session.revoked_at is not None,
        [e["type"] for e in await outbox_events(customer)],
        shown.status_code,
    )


# Feature: isp-management-system, Property 30: Level-triggered consumers (docs/properties.md)
@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(verbs=customer_lives(), data=st.data())
async def test_any_order_of_a_customers_events_leaves_the_portal_account_as_in_order(
    new_tenant: Callable[[], Tenant],
    consumer: Consumer,
    outbox_events: Events,
    verbs: list[str],
    data: st.DataObject,
) -> None:
    order = data.draw(redeliveries(len(verbs)), label="order")
    in_order, shuffled = new_tenant(), new_tenant()
    expected = await _delivered(in_order, consumer, outbox_events, verbs, range(len(verbs)))
    actual = await _delivered(shuffled, consumer, outbox_events, verbs, order)
    assert actual == expected
    closed = "deleted" in verbs or "terminated" in verbs
    assert actual[0] is not closed  # enabled unless the customer is gone
    assert actual[9] is closed  # the session ended with the customer
