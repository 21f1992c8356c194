"""A speed-boost request and what happens to it. Pure: every change returns a new request and the
event it raises; persistence and publishing are the use cases' business."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from decimal import Decimal
from uuid import UUID

from isp_boost.domain.errors import invalid_field
from isp_boost.domain.events import BoostEvent
from isp_boost.domain.lifecycle import Command, transition
from isp_boost.domain.pricing import (
    MAX_DURATION_HOURS,
    MAX_SPEED_KBPS,
    MIN_DURATION_HOURS,
    total_price,
)
from isp_boost.domain.references import Speeds
from isp_boost.domain.status import BoostStatus, EndReason

REQUEST_NUMBER_PREFIX = "BST-"


def request_number(counter: int) -> str:
    return f"{REQUEST_NUMBER_PREFIX}{counter:06d}"


@dataclass(frozen=True)
class BoostRequest:
    id: UUID
    customer_id: UUID
    request_number: str
    requested_speed_download: int
    requested_speed_upload: int
    duration_hours: int
    price_per_hour: Decimal
    total_price: Decimal
    status: BoostStatus
    requested_at: datetime
    requested_by: str
    version: int
    created_at: datetime
    updated_at: datetime
    customer_notes: str | None = None
    admin_notes: str | None = None
    approved_at: datetime | None = None
    approved_by: str | None = None
    rejected_at: datetime | None = None
    rejected_by: str | None = None
    rejection_reason: str | None = None
    activated_at: datetime | None = None
    expires_at: datetime | None = None
    ended_at: datetime | None = None
    end_reason: EndReason | None = None
    original_speed_download: int | None = None
    original_speed_upload: int | None = None

    @classmethod
    def new(
        cls,
        *,
        id: UUID,
        customer_id: UUID,
        number: str,
        speeds: Speeds,
        duration_hours: int,
        price_per_hour: Decimal,
        requested_by: str,
        now: datetime,
        customer_notes: str | None = None,
    ) -> BoostChange:
        check_boost_speeds(speeds)
        if not MIN_DURATION_HOURS <= duration_hours <= MAX_DURATION_HOURS:
            raise invalid_field(
                "duration_hours",
                f"must be between {MIN_DURATION_HOURS} and {MAX_DURATION_HOURS} hours",
            )
        request = cls(
            id=id,
            customer_id=customer_id,
            request_number=number,
            requested_speed_download=speeds.download,
            requested_speed_upload=speeds.upload,
            duration_hours=duration_hours,
            price_per_hour=price_per_hour,
            total_price=total_price(duration_hours, price_per_hour),
            status=BoostStatus.PENDING,
            requested_at=now,
            requested_by=requested_by,
            customer_notes=customer_notes,
            version=1,
            created_at=now,
            updated_at=now,
        )
        return BoostChange(request, BoostEvent.REQUESTED)

    @property
    def boosted_speeds(self) -> Speeds:
        return Speeds(self.requested_speed_download, self.requested_speed_upload)

    @property
    def original_speeds(self) -> Speeds | None:
        if self.original_speed_download is None or self.original_speed_upload is None:
            return None
        return Speeds(self.original_speed_download, self.original_speed_upload)

    def is_due(self, now: datetime) -> bool:
        """An activated boost is due to expire once `now` reaches `activated_at + duration`."""
        return (
            self.status is BoostStatus.ACTIVATED
            and self.expires_at is not None
            and now >= self.expires_at
        )

    def approve(self, by: str, now: datetime, admin_notes: str | None = None) -> BoostChange:
        status = transition(self.status, Command.APPROVE)
        notes = admin_notes if admin_notes is not None else self.admin_notes
        changed = self._moved(status, now, approved_at=now, approved_by=by, admin_notes=notes)
        return BoostChange(changed, BoostEvent.APPROVED)

    def reject(self, by: str, reason: str, now: datetime) -> BoostChange:
        status = transition(self.status, Command.REJECT)
        changed = self._moved(status, now, rejected_at=now, rejected_by=by, rejection_reason=reason)
        return BoostChange(changed, BoostEvent.REJECTED)

    def activate(self, original: Speeds, now: datetime) -> BoostChange:
        """Starts the boost now; it runs `duration_hours` from this instant (docs/properties.md,
        Property 24). `original` is the plan's speeds, what the subscriber goes back to."""
        status = transition(self.status, Command.ACTIVATE)
        changed = self._moved(
            status,
            now,
            activated_at=now,
            expires_at=now + timedelta(hours=self.duration_hours),
            original_speed_download=original.download,
            original_speed_upload=original.upload,
        )
        return BoostChange(changed, BoostEvent.ACTIVATED)

    def expire(self, now: datetime) -> BoostChange:
        """Ends a boost whose time is up. It ended at `expires_at`, however late the job that
        noticed runs: that is the end of what was paid for."""
        status = transition(self.status, Command.EXPIRE)
        if not self.is_due(now):
            raise ValueError("the boost is not due to expire yet")
        assert self.expires_at is not None
        changed = self._moved(status, now, ended_at=self.expires_at, end_reason=EndReason.EXPIRED)
        return BoostChange(changed, BoostEvent.ENDED)

    def end(self, reason: EndReason, now: datetime) -> BoostChange:
        """Ends an active boost before its time (deactivation, the customer going away)."""
        status = transition(self.status, Command.END)
        return BoostChange(
            self._moved(status, now, ended_at=now, end_reason=reason), BoostEvent.ENDED
        )

    def _moved(self, status: BoostStatus, now: datetime, **changes: object) -> BoostRequest:
        return replace(
            self,
            status=status,
            version=self.version + 1,
            updated_at=max(now, self.updated_at),
            **changes,  # type: ignore[arg-type]
        )


@dataclass(frozen=True)
class BoostChange:
    request: BoostRequest
    event: BoostEvent


def check_boost_speeds(speeds: Speeds) -> None:
    for field, value in (
        ("requested_speed_download", speeds.download),
        ("requested_speed_upload", speeds.upload),
    ):
        if not 1 <= value <= MAX_SPEED_KBPS:
            raise invalid_field(field, f"must be between 1 and {MAX_SPEED_KBPS} kbps")


def check_boost_above_plan(boosted: Speeds, plan: Speeds) -> None:
    """A boost never slows a subscriber down, and must speed up at least one direction."""
    if boosted.download < plan.download:
        raise invalid_field(
            "requested_speed_download", f"must not be below the plan's {plan.download} kbps"
        )
    if boosted.upload < plan.upload:
        raise invalid_field(
            "requested_speed_upload", f"must not be below the plan's {plan.upload} kbps"
        )
    if boosted == plan:
        raise invalid_field(
            "requested_speed_download", "a boost must be faster than the plan in one direction"
        )
