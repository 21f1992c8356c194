"""The pure heart of the reconciler: desired objects vs the router's objects → the changes that
make the router's tagged objects equal the desired ones. Untagged objects are never changed."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from uuid import UUID

from isp_mikrotik_agent.domain.router_objects import (
    ACTIVE,
    PROFILE,
    SECRET,
    ObservedObject,
    RouterObject,
)
from isp_mikrotik_agent.domain.tags import adopted, parse_tag

# A change of these makes the subscriber's running PPPoE session stale: it must dial in again
# (a new profile puts it in or out of the isolation list; a disabled secret must not stay up).
RECONNECT_ATTRIBUTES = frozenset({"name", "password", "profile", "disabled", "remote-address"})
SECRET_ATTRIBUTES = frozenset({"password"})


class ChangeKind(StrEnum):
    ADD = "add"
    SET = "set"
    REMOVE = "remove"
    DISCONNECT = "disconnect"  # remove the /ppp/active session of `name`, if there is one


@dataclass(frozen=True)
class Change:
    kind: ChangeKind
    menu: str
    name: str
    object_id: str | None = None
    attributes: Mapping[str, str] = field(default_factory=dict)
    unset: tuple[str, ...] = ()
    customer_id: UUID | None = None

    def described(self) -> dict[str, object]:
        """For the operation log and dry runs: secrets masked."""
        return {
            "kind": self.kind.value,
            "menu": self.menu,
            "name": self.name,
            "object_id": self.object_id,
            "attributes": {
                k: ("********" if k in SECRET_ATTRIBUTES else v) for k, v in self.attributes.items()
            },
            "unset": list(self.unset),
            "customer_id": str(self.customer_id) if self.customer_id else None,
        }


def plan_changes(
    desired: Sequence[RouterObject],
    observed: Iterable[ObservedObject],
    *,
    scope: UUID,
    ours: Collection[UUID] = (),
) -> list[Change]:
    """Profiles are added or fixed first (secrets refer to them) and removed last; among the
    rest, removals come before fixes and additions, so a freed name can be taken again.

    Only objects tagged for `scope` (the tenant) are this diff's; another tenant's are left
    alone like untagged ones. An object of the first tag format (no tenant) is adopted when it
    is one of `ours` (this tenant's subscribers) or the isolation profile `scope` wants: it is
    fixed in place, its comment rewritten, never removed and added again."""
    ours = frozenset(ours)
    tagged: dict[tuple[str, str], list[ObservedObject]] = defaultdict(list)
    foreign_profiles: set[str] = set()
    legacy_profiles: dict[str, list[ObservedObject]] = defaultdict(list)
    for item in observed:
        if item.menu == ACTIVE:
            continue
        tag = parse_tag(item.comment)
        if tag is not None and tag.scope == scope:
            tagged[(item.menu, str(item.comment))].append(item)
        elif tag is not None and tag.legacy and tag.customer_id in ours:
            tagged[(item.menu, adopted(tag, scope))].append(item)
        elif tag is not None and tag.legacy and tag.customer_id is None:
            legacy_profiles[adopted(tag, scope)].append(item)
        elif item.menu == PROFILE:
            foreign_profiles.add(item.name)
    for want in desired:
        if want.menu == PROFILE and (PROFILE, want.tag) not in tagged:
            tagged[(PROFILE, want.tag)] = legacy_profiles.pop(want.tag, [])
    for leftover in legacy_profiles.values():
        foreign_profiles.update(item.name for item in leftover)
    untagged_profiles = foreign_profiles

    profile_first: list[Change] = []
    removes: list[Change] = []
    sets: list[Change] = []
    adds: list[Change] = []
    disconnects: list[Change] = []
    profile_last: list[Change] = []
    wanted_keys = set()
    for want in desired:
        key = (want.menu, want.tag)
        wanted_keys.add(key)
        found = tagged.get(key, [])
        if want.menu == PROFILE and not found and want.attributes.get("name") in untagged_profiles:
            continue  # the operator's own profile of that name is used as it is
        if not found:
            change = Change(
                ChangeKind.ADD,
                want.menu,
                want.name,
                attributes={k: v for k, v in want.attributes.items() if v is not None},
                customer_id=want.customer_id,
            )
            (profile_first if want.menu == PROFILE else adds).append(change)
            continue
        keep, *extra = found
        for duplicate in extra:
            removes.append(_remove(duplicate, want.customer_id))
        fix = _fix(want, keep)
        if fix is not None:
            (profile_first if want.menu == PROFILE else sets).append(fix)
            if want.menu == SECRET and RECONNECT_ATTRIBUTES & {*fix.attributes, *fix.unset}:
                disconnects.append(_disconnect(keep.name, want.customer_id))
    for key, items in tagged.items():
        if key in wanted_keys:
            continue
        for item in items:
            customer_id = tag.customer_id if (tag := parse_tag(item.comment)) else None
            change = _remove(item, customer_id)
            (profile_last if item.menu == PROFILE else removes).append(change)
            if item.menu == SECRET:
                disconnects.append(_disconnect(item.name, customer_id))
    return [*profile_first, *removes, *sets, *adds, *disconnects, *profile_last]


def _fix(want: RouterObject, have: ObservedObject) -> Change | None:
    changed = {
        k: v
        for k, v in want.attributes.items()
        if v is not None and have.attributes.get(k, "") != v
    }
    unset = tuple(k for k, v in want.attributes.items() if v is None and have.attributes.get(k, ""))
    if not changed and not unset:
        return None
    return Change(
        ChangeKind.SET,
        want.menu,
        have.name,
        object_id=have.id,
        attributes=changed,
        unset=unset,
        customer_id=want.customer_id,
    )


def _remove(item: ObservedObject, customer_id: UUID | None) -> Change:
    return Change(
        ChangeKind.REMOVE, item.menu, item.name, object_id=item.id, customer_id=customer_id
    )


def _disconnect(name: str, customer_id: UUID | None) -> Change:
    return Change(ChangeKind.DISCONNECT, ACTIVE, name, customer_id=customer_id)
