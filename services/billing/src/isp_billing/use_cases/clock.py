from __future__ import annotations

from datetime import UTC, datetime

from isp_common import context


def utc_now() -> datetime:
    return datetime.now(UTC)


def actor_sub() -> str:
    """Who does what the current request or event does (the changelog's `changed_by`)."""
    return context.get().actor.sub
