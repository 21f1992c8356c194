"""The mark every object the agent creates carries in its `comment`: objects without it are
someone else's and are never changed.

The tag names the tenant the object is for (`isp-agent:<tenant>:<customer>`,
`isp-agent:<tenant>:isolation-profile`): two tenants whose routers are one device each see
only their own objects, and never remove the other's. Tags of the first format
(`isp-agent:<customer>`, `isp-agent:isolation-profile`) named no tenant; a tenant adopts (retags)
those of its own subscribers, and leaves the others be.
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

TAG_PREFIX = "isp-agent:"
PROFILE_PART = "isolation-profile"
LEGACY_ISOLATION_PROFILE_TAG = f"{TAG_PREFIX}{PROFILE_PART}"


@dataclass(frozen=True)
class Tag:
    scope: UUID | None  # the tenant; None: a tag of the first format
    customer_id: UUID | None  # None: the isolation profile

    @property
    def legacy(self) -> bool:
        return self.scope is None


def subscriber_tag(scope: UUID, customer_id: UUID) -> str:
    return f"{TAG_PREFIX}{scope}:{customer_id}"


def isolation_profile_tag(scope: UUID) -> str:
    return f"{TAG_PREFIX}{scope}:{PROFILE_PART}"


def legacy_subscriber_tag(customer_id: UUID) -> str:
    return f"{TAG_PREFIX}{customer_id}"


def parse_tag(comment: str | None) -> Tag | None:
    """The tag a comment is, of either format; None when it is not the agent's."""
    if not comment or not str(comment).startswith(TAG_PREFIX):
        return None
    parts = str(comment)[len(TAG_PREFIX) :].split(":")
    try:
        if len(parts) == 1:
            return Tag(None, None if parts[0] == PROFILE_PART else UUID(parts[0]))
        if len(parts) == 2:
            return Tag(UUID(parts[0]), None if parts[1] == PROFILE_PART else UUID(parts[1]))
    except ValueError:
        return None
    return None


def is_tagged(comment: str | None) -> bool:
    return parse_tag(comment) is not None


def customer_of(comment: str | None) -> UUID | None:
    """The subscriber a tagged comment names (None for the agent's shared objects)."""
    tag = parse_tag(comment)
    return tag.customer_id if tag else None


def adopted(tag: Tag, scope: UUID) -> str:
    """What a first-format tag becomes when `scope` adopts it."""
    if tag.customer_id is None:
        return isolation_profile_tag(scope)
    return subscriber_tag(scope, tag.customer_id)
