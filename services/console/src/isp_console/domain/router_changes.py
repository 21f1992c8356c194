"""A router sync as a person reads it: the agent's dry run (a list of RouterOS changes) becomes
lines "add / change / remove <what> <name>" with the attributes that move, and a finished sync
becomes an outcome with its counts.

The agent's change is `{kind, menu, name, object_id, attributes, unset, customer_id}`; the
menus are RouterOS paths (`/queue/simple`, `/ppp/secret`, …)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

# RouterOS menu → the key the template names in words.
MENUS: dict[str, str] = {
    "/queue/simple": "queue",
    "/ppp/secret": "secret",
    "/ip/firewall/address-list": "address_list",
    "/ppp/profile": "profile",
    "/ppp/active": "session",
}
ACTIONS: dict[str, str] = {
    "add": "add",
    "set": "change",
    "remove": "remove",
    "disconnect": "disconnect",
}
# Attributes that say nothing to a reader (the agent's tag) are left out of a line.
HIDDEN_ATTRIBUTES = frozenset({"comment"})
ORDER = ("add", "change", "remove", "disconnect")


@dataclass(frozen=True)
class ChangeLine:
    action: str  # add, change, remove, disconnect
    what: str  # queue, secret, address_list, profile, session, other
    name: str
    attributes: tuple[tuple[str, str], ...]
    unset: tuple[str, ...]
    customer_id: str | None


@dataclass(frozen=True)
class DryRun:
    lines: tuple[ChangeLine, ...]
    ok: bool
    error: str | None
    subscribers: int

    @property
    def counts(self) -> dict[str, int]:
        counted = Counter(line.action for line in self.lines)
        return {action: counted[action] for action in ORDER if counted[action]}

    @property
    def in_sync(self) -> bool:
        return self.ok and not self.lines


def describe_change(change: Mapping[str, Any]) -> ChangeLine:
    menu = str(change.get("menu") or "")
    attributes = change.get("attributes") or {}
    shown = tuple(
        (str(key), str(value))
        for key, value in sorted(attributes.items())
        if key not in HIDDEN_ATTRIBUTES and not (key == "name" and value == change.get("name"))
    )
    customer = change.get("customer_id")
    return ChangeLine(
        action=ACTIONS.get(str(change.get("kind")), str(change.get("kind") or "")),
        what=MENUS.get(menu, "other"),
        name=str(change.get("name") or change.get("object_id") or menu),
        attributes=shown,
        unset=tuple(str(name) for name in change.get("unset") or ()),
        customer_id=str(customer) if customer else None,
    )


def dry_run_of(answer: Mapping[str, Any]) -> DryRun:
    changes: Iterable[Mapping[str, Any]] = answer.get("changes") or ()
    return DryRun(
        lines=tuple(describe_change(change) for change in changes),
        ok=bool(answer.get("ok", True)),
        error=str(answer["error"]) if answer.get("error") else None,
        subscribers=int(answer.get("subscribers") or 0),
    )


@dataclass(frozen=True)
class SyncOutcome:
    ok: bool
    added: int
    updated: int
    removed: int
    failed: int
    error: str | None


def outcome_of(router: Mapping[str, Any]) -> SyncOutcome | None:
    """The router's last sync as the agent recorded it, or None before the first."""
    result = router.get("last_sync_result")
    if not isinstance(result, Mapping):
        return None
    return SyncOutcome(
        ok=bool(result.get("ok")),
        added=int(result.get("added") or 0),
        updated=int(result.get("updated") or 0),
        removed=int(result.get("removed") or 0),
        failed=int(result.get("failed") or 0),
        error=str(result["error"]) if result.get("error") else None,
    )


def sync_finished(router: Mapping[str, Any], requested_after: str | None) -> bool:
    """Whether the router's last sync is newer than what was seen when the sync was asked."""
    last = router.get("last_sync_at")
    return bool(last) and str(last) != (requested_after or "")
