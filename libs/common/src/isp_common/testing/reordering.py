"""Delivering one aggregate's events out of order, with duplicates, through a consumer's real
handling path (inbox, version tracking, the handler, one transaction), for the property that
every consumer's effects are level-triggered: whatever the order, the end state is the in-order
one (a failed delivery requeued behind a newer event is skipped as stale when it comes back).

A service's property test builds a realistic history of an aggregate's snapshots (versions
1, 2, …), turns it into events once per tenant (`history_events`), delivers them in order to one
fresh tenant and in a drawn order (`redeliveries`) to another, and compares what each tenant
ends with. Needs the dev dependencies (hypothesis).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from uuid import UUID

from hypothesis import strategies as st
from pydantic import BaseModel

from isp_common import context
from isp_common.contracts.boost import BoostSnapshot
from isp_common.contracts.customers import CustomerPlanChanged, CustomerSnapshot
from isp_common.messaging.envelope import Event, new_event

if TYPE_CHECKING:
    from isp_common.messaging.consumer import Consumer


def redeliveries(count: int) -> st.SearchStrategy[list[int]]:
    """Indices into a history of `count` events: each at least once (none is lost), some more
    than once (at-least-once delivery), in any order (requeues and parallel consumers)."""
    again = st.lists(st.integers(0, count - 1), max_size=count)
    return again.flatmap(lambda extra: st.permutations([*range(count), *extra]))


def history_events(
    tenant_id: UUID,
    producer: str,
    aggregate_id: UUID,
    history: Sequence[tuple[str, BaseModel]],
    *,
    actor: str = "svc-test",
) -> list[Event]:
    """One event per (type, snapshot) of the history, the n-th at aggregate_version n + 1."""
    token = context.current.set(
        context.RequestContext(tenant_id=tenant_id, actor=context.Actor(sub=actor))
    )
    try:
        return [
            new_event(
                type_,
                tenant_id=tenant_id,
                producer=producer,
                aggregate_id=aggregate_id,
                aggregate_version=version,
                data=snapshot,
            )
            for version, (type_, snapshot) in enumerate(history, start=1)
        ]
    finally:
        context.current.reset(token)


async def deliver(consumer: Consumer[Any], event: Event) -> str:
    """What the consumer does with a message it took off its queue, minus the broker: the
    event's context, then its inbox, version check, handler and commit. Returns the outcome
    ("applied", "duplicate", "stale", "ignored")."""
    token = context.current.set(
        context.RequestContext(
            correlation_id=event.correlation_id or str(event.id),
            causation_id=str(event.id),
            tenant_id=event.tenant_id,
            actor=context.Actor(
                sub=event.actor.sub, roles=tuple(event.actor.roles), ip=event.actor.ip
            ),
        )
    )
    try:
        # The path each message takes once off the queue (private: no other caller needs it).
        return await consumer._handle(event)
    finally:
        context.current.reset(token)


async def deliver_all(
    consumer: Consumer[Any], events: Sequence[Event], order: Sequence[int]
) -> None:
    for index in order:
        await deliver(consumer, events[index])


# -- a customer's life, as customers publishes it ------------------------------------------------

_MOVES: dict[str, tuple[str, ...]] = {
    "pending_activation": ("updated", "activated", "terminated", "deleted"),
    "active": ("updated", "plan_changed", "suspended", "terminated", "deleted"),
    "suspended": ("updated", "restored", "terminated", "deleted"),
    "terminated": ("deleted",),
}
_STATUS_AFTER = {
    "activated": "active",
    "restored": "active",
    "suspended": "suspended",
    "terminated": "terminated",
}


@st.composite
def customer_lives(
    draw: st.DrawFn,
    *,
    max_events: int = 7,
    plan_changes: bool = True,
    start: Sequence[str] = ("created",),
) -> list[str]:
    """The verbs of one customer's events, in the order customers' state machine allows:
    `start` first (created, and e.g. activated), nothing after deleted."""
    verbs = list(start)
    status = "pending_activation"
    for verb in verbs[1:]:
        status = _STATUS_AFTER.get(verb, status)
    for _ in range(draw(st.integers(0, max_events - len(verbs)))):
        moves = [m for m in _MOVES[status] if plan_changes or m != "plan_changed"]
        verb = draw(st.sampled_from(moves))
        verbs.append(verb)
        if verb == "deleted":
            break
        status = _STATUS_AFTER.get(verb, status)
    return verbs


def customer_history(
    customer_id: UUID,
    verbs: Sequence[str],
    *,
    plans: Sequence[UUID],
    activated_on: date,
    **fields: object,
) -> list[tuple[str, BaseModel]]:
    """The (event type, snapshot) of each verb: version n + 1 for the n-th, `plans[0]` at first
    and the next plan on each plan change, an update renaming the customer. `fields` are fixed
    fields of every snapshot (placement, router, …)."""
    start = datetime(2026, 1, 1, tzinfo=UTC)
    state: dict[str, Any] = {
        "id": customer_id,
        "customer_code": f"CUST-{customer_id.hex[:8]}",
        "full_name": "Siti Rahayu",
        "phone": "+62 812 5550 1234",
        "address": "Jl. Merdeka 17, Bandung",
        "status": "pending_activation",
        "service_plan_id": plans[0],
        "pppoe_username": f"ppp-{customer_id.hex[:8]}",
        "created_at": start,
        **fields,
    }
    history: list[tuple[str, BaseModel]] = []
    for version, verb in enumerate(verbs, start=1):
        state["version"] = version
        state["updated_at"] = start + timedelta(minutes=version)
        state["status"] = _STATUS_AFTER.get(verb, state["status"])
        extra: dict[str, Any] = {}
        if verb == "activated":
            state["activation_date"] = activated_on
        elif verb == "suspended":
            state["suspension_reason"] = "maintenance"
        elif verb == "restored":
            state["suspension_reason"] = None
        elif verb == "terminated":
            state["termination_date"] = activated_on
        elif verb == "deleted":
            state["is_deleted"] = True
        elif verb == "updated":
            state["full_name"] = f"Siti Rahayu {version}"
        elif verb == "plan_changed":
            previous = state["service_plan_id"]
            state["service_plan_id"] = plans[(list(plans).index(previous) + 1) % len(plans)]
            extra = {"previous_plan_id": previous, "effective_date": activated_on}
        model = CustomerPlanChanged if verb == "plan_changed" else CustomerSnapshot
        history.append((f"customers.customer.{verb}", model(**state, **extra)))
    return history


_BOOST_VERB_OF = {"pending": "requested", "expired": "ended"}


def boost_history(
    customer: UUID, boost: UUID, statuses: Sequence[str], *, started: datetime
) -> list[tuple[str, BoostSnapshot]]:
    """A boost's life as (event type, snapshot) pairs, one per status it passes through, a
    3-hour boost activated at `started`."""
    history: list[tuple[str, BoostSnapshot]] = []
    for version, status in enumerate(statuses, start=1):
        activated = status in ("activated", "expired", "ended")
        snapshot = BoostSnapshot(
            id=boost,
            customer_id=customer,
            status=status,
            requested_speed_download=50_000,
            requested_speed_upload=20_000,
            duration_hours=3,
            price_per_hour=Decimal("2000.00"),
            total_price=Decimal("6000.00"),
            activated_at=started if activated else None,
            expires_at=started + timedelta(hours=3) if activated else None,
            ended_at=started + timedelta(hours=1) if status in ("expired", "ended") else None,
            version=version,
        )
        history.append((f"boost.boost.{_BOOST_VERB_OF.get(status, status)}", snapshot))
    return history
