"""The mark every object the agent creates carries in its `comment`: objects without it are
someone else's and are never changed."""

from __future__ import annotations

from uuid import UUID

TAG_PREFIX = "isp-agent:"
ISOLATION_PROFILE_TAG = f"{TAG_PREFIX}isolation-profile"


def subscriber_tag(customer_id: UUID) -> str:
    return f"{TAG_PREFIX}{customer_id}"


def is_tagged(comment: str | None) -> bool:
    return bool(comment) and str(comment).startswith(TAG_PREFIX)


def customer_of(comment: str | None) -> UUID | None:
    """The subscriber a tagged comment names (None for the agent's shared objects)."""
    if not is_tagged(comment):
        return None
    try:
        return UUID(str(comment)[len(TAG_PREFIX) :])
    except ValueError:
        return None
