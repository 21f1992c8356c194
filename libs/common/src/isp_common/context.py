"""Who and why of the current request or event, carried in context variables.

Logging reads them for every line; the unit of work reads them to stamp event envelopes, so a
use case never has to pass correlation ids around by hand.
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass, field
from uuid import UUID


@dataclass(frozen=True)
class Actor:
    sub: str
    roles: tuple[str, ...] = ()
    ip: str | None = None


SYSTEM_ACTOR = Actor(sub="system", roles=("system",))


@dataclass(frozen=True)
class RequestContext:
    request_id: str | None = None
    correlation_id: str | None = None
    causation_id: str | None = None
    tenant_id: UUID | None = None
    actor: Actor = field(default=SYSTEM_ACTOR)


_EMPTY = RequestContext()
current: ContextVar[RequestContext | None] = ContextVar("isp_request_context", default=None)


def get() -> RequestContext:
    return current.get() or _EMPTY


def update(**changes: object) -> RequestContext:
    from dataclasses import replace

    ctx = replace(get(), **changes)  # type: ignore[arg-type]
    current.set(ctx)
    return ctx
