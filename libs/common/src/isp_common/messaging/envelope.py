"""The envelope every event travels in (docs/architecture.md, "The event path"; docs/events.md)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from isp_common import context
from isp_common.contracts import contract_for


class EventActor(BaseModel):
    sub: str
    roles: list[str] = Field(default_factory=list)
    ip: str | None = None


class Event(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: UUID
    type: str = Field(description="<service>.<aggregate>.<past-tense verb>")
    version: int = 1
    occurred_at: datetime
    tenant_id: UUID
    producer: str
    aggregate_id: UUID
    aggregate_version: int = Field(description="rises by one per change of the aggregate")
    correlation_id: str | None = None
    causation_id: str | None = None
    actor: EventActor
    data: dict[str, Any]

    @property
    def aggregate(self) -> str:
        """`customers.customer` for `customers.customer.activated`."""
        return self.type.rsplit(".", 1)[0]


def new_event(
    type_: str,
    *,
    tenant_id: UUID,
    producer: str,
    aggregate_id: UUID,
    aggregate_version: int,
    data: BaseModel,
) -> Event:
    contract = contract_for(type_)
    if not isinstance(data, contract.model):
        raise TypeError(f"{type_} carries {contract.model.__name__}, not {type(data).__name__}")
    ctx = context.get()
    event_id = uuid.uuid4()
    return Event(
        id=event_id,
        type=type_,
        version=contract.version,
        occurred_at=datetime.now(UTC),
        tenant_id=tenant_id,
        producer=producer,
        aggregate_id=aggregate_id,
        aggregate_version=aggregate_version,
        correlation_id=ctx.correlation_id or str(event_id),
        causation_id=ctx.causation_id,
        actor=EventActor(sub=ctx.actor.sub, roles=list(ctx.actor.roles), ip=ctx.actor.ip),
        data=data.model_dump(mode="json"),
    )
