"""The published language: every event type, the pydantic model of its `data`, its version.

Consumers import these models, never another service's code. Each event carries the snapshot of
its aggregate, so a consumer can upsert its replica from any single event.
`docs/events.md` and `docs/asyncapi.json` are generated from this registry (`isp events-doc`).
"""

from __future__ import annotations

import builtins
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from pydantic import BaseModel

M = TypeVar("M", bound=BaseModel)


class Carrier(Protocol):
    """What `decode` reads of an event. The envelope builds events from this registry, so the
    registry names only what it reads and never imports the envelope."""

    @property
    def type(self) -> str: ...

    @property
    def data(self) -> dict[str, Any]: ...


@dataclass(frozen=True)
class EventContract:
    type: str
    model: builtins.type[BaseModel]
    version: int
    description: str


_REGISTRY: dict[str, EventContract] = {}

# An event type starts with the name it is published under, which is its producer's service name
# except where the two differ. The one place that says which service may emit which types: the
# consumers drop an event whose envelope `producer` is not the one its type belongs to.
_PRODUCER_OF_PREFIX = {"mikrotik": "mikrotik-agent"}


def register(type_: str, model: type[BaseModel], description: str, version: int = 1) -> None:
    if type_ in _REGISTRY:
        raise ValueError(f"event type {type_} registered twice")
    if type_.count(".") != 2:
        raise ValueError(f"{type_} is not <service>.<aggregate>.<verb>")
    _REGISTRY[type_] = EventContract(type_, model, version, description)


def contract_for(type_: str) -> EventContract:
    _load()
    try:
        return _REGISTRY[type_]
    except KeyError:
        raise KeyError(f"no contract for event type {type_}") from None


def producer_of(type_: str) -> str:
    """The service that emits `type_` (`mikrotik-agent` for `mikrotik.router.synced`)."""
    prefix = type_.split(".", 1)[0]
    return _PRODUCER_OF_PREFIX.get(prefix, prefix)


def all_contracts() -> list[EventContract]:
    _load()
    return sorted(_REGISTRY.values(), key=lambda c: c.type)


def decode(event: Carrier, model: type[M]) -> M:
    """The event's data as the contract's model (raises ValidationError on a broken event)."""
    if contract_for(event.type).model is not model:
        raise TypeError(f"{event.type} does not carry {model.__name__}")
    return model.model_validate(event.data)


def _load() -> None:
    # Importing a module registers its events; importing them all makes the registry complete
    # whichever single contract module a caller imported first.
    from isp_common.contracts import (  # noqa: F401
        billing,
        boost,
        customers,
        identity,
        mikrotik,
        network,
        tickets,
    )
