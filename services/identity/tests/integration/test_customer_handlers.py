"""The `identity.customers` handlers, called as the consumer calls them (inside a real unit of
work): the portal account follows the customer's newest snapshot; a deleted or terminated
customer's login is disabled and their sessions end."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from isp_common import context
from isp_common.contracts.customers import CustomerSnapshot
from isp_common.messaging.envelope import new_event

from isp_identity.consumers.customers import HANDLERS
from isp_identity.domain.refresh import new_family
from isp_identity.domain.sessions import Subject, SubjectKind

if TYPE_CHECKING:
    from conftest import Tenant

Events = Callable[[uuid.UUID], Awaitable[list[dict[str, Any]]]]
PASSWORD = "a subscriber's long passphrase"


def snapshot(**overrides: Any) -> CustomerSnapshot:
    now = datetime.now(UTC)
    values: dict[str, Any] = {
        "id": uuid.uuid4(),
        "customer_code": "CUST-000042",
        "full_name": "Siti",
        "phone": "0812-555-0042",
        "address": "Jl. Merdeka 1",
        "status": "active",
        "pppoe_username": "Siti42",
        "version": 1,
        "created_at": now,
        "updated_at": now,
    }
    return CustomerSnapshot(**{**values, **overrides})


async def deliver(tenant: Tenant, verb: str, customer: CustomerSnapshot) -> None:
    token = context.current.set(context.RequestContext(actor=context.Actor(sub="ops")))
    try:
        event = new_event(
            f"customers.customer.{verb}",
            tenant_id=tenant.id,
            producer="customers",
            aggregate_id=customer.id,
            aggregate_version=customer.version,
            data=customer,
        )
        async with tenant.runtime.unit_of_work(tenant.id) as uow:
            await HANDLERS[event.type](event, uow)
            await uow.commit()
    finally:
        context.current.reset(token)


async def account(tenant: Tenant, customer: uuid.UUID) -> Any:
    async with tenant.runtime.unit_of_work(tenant.id) as uow:
        return await uow.portal_accounts.get(customer)


async def test_the_account_follows_the_newest_snapshot_and_ignores_older_ones(
    tenant: Tenant,
) -> None:
    customer = snapshot(version=2)
    await deliver(tenant, "created", customer)
    renamed = customer.model_copy(update={"pppoe_username": "NEW-ppp", "version": 3})
    await deliver(tenant, "updated", renamed)
    stale = customer.model_copy(update={"pppoe_username": "stale", "phone": "1", "version": 1})
    await deliver(tenant, "updated", stale)
    await deliver(tenant, "updated", renamed)  # a duplicate
    found = await account(tenant, customer.id)
    assert (found.pppoe_username, found.phone, found.customer_code) == (
        "new-ppp",
        "0812-555-0042",
        "cust-000042",
    )
    assert (found.customer_version, found.enabled, found.version) == (3, False, 1)


async def test_the_login_names_find_the_account_and_a_shared_one_is_ambiguous(
    tenant: Tenant,
) -> None:
    first = snapshot(phone="+62 811 000", customer_code="C-1", pppoe_username="p-1")
    second = snapshot(phone="+62 811 000", customer_code="C-2", pppoe_username=None)
    for customer in (first, second):
        await deliver(tenant, "created", customer)
    async with tenant.runtime.unit_of_work(tenant.id) as uow:
        by_code = await uow.portal_accounts.by_login_name("c-1")
        by_ppp = await uow.portal_accounts.by_login_name(" P-1 ")
        by_phone = await uow.portal_accounts.by_login_name("+62 811 000")
    assert [a.customer_id for a in by_code] == [first.id]
    assert [a.customer_id for a in by_ppp] == [first.id]
    assert {a.customer_id for a in by_phone} == {first.id, second.id}
    await deliver(tenant, "deleted", second.model_copy(update={"is_deleted": True, "version": 2}))
    async with tenant.runtime.unit_of_work(tenant.id) as uow:
        by_phone = await uow.portal_accounts.by_login_name("+62 811 000")
    assert [a.customer_id for a in by_phone] == [first.id]  # a deleted one no longer counts


async def test_deleting_or_terminating_a_customer_disables_the_login_and_ends_sessions(
    tenant: Tenant, outbox_events: Events
) -> None:
    for verb, change in (
        ("deleted", {"is_deleted": True}),
        ("terminated", {"status": "terminated"}),
    ):
        customer = snapshot()
        await deliver(tenant, "created", customer)
        admin = tenant.client("admin")
        enabled = await admin.put(
            f"/customers/{customer.id}/portal-account", json={"password": PASSWORD}
        )
        assert enabled.status_code == 200, enabled.text
        family = new_family(Subject(SubjectKind.CUSTOMER, customer.id), datetime.now(UTC), 30)
        async with tenant.runtime.unit_of_work(tenant.id) as uow:
            await uow.sessions.add_family(family)
            await uow.commit()
        closed = customer.model_copy(update={**change, "version": 2})
        await deliver(tenant, verb, closed)
        await deliver(tenant, verb, closed)  # a replay changes nothing more
        found = await account(tenant, customer.id)
        assert not found.enabled, verb
        async with tenant.runtime.unit_of_work(tenant.id) as uow:
            revoked = await uow.sessions.family(family.id)
        assert revoked is not None and revoked.revoked_at is not None, verb
        types = [e["type"] for e in await outbox_events(customer.id)]
        assert types == ["identity.portal_account.enabled", "identity.portal_account.disabled"]
        assert [e["type"] for e in await outbox_events(family.id)] == ["identity.session.revoked"]


async def test_a_suspended_customer_keeps_their_login(tenant: Tenant) -> None:
    customer = snapshot()
    await deliver(tenant, "created", customer)
    await tenant.client("admin").put(
        f"/customers/{customer.id}/portal-account", json={"password": PASSWORD}
    )
    await deliver(
        tenant, "suspended", customer.model_copy(update={"status": "suspended", "version": 2})
    )
    found = await account(tenant, customer.id)
    assert (found.enabled, found.customer_status) == (True, "suspended")


async def test_the_same_customer_id_in_two_tenants_is_two_accounts(
    tenant: Tenant, new_tenant: Callable[[], Tenant]
) -> None:
    other = new_tenant()
    customer = snapshot()
    await deliver(tenant, "created", customer)
    await deliver(other, "created", snapshot(id=customer.id, customer_code="CUST-000777"))
    for owner, code in ((tenant, "CUST-000042"), (other, "CUST-000777")):
        async with owner.runtime.unit_of_work(owner.id) as uow:
            account = await uow.portal_accounts.get(customer.id)
        assert account is not None and account.customer_code.upper() == code
