"""One reconcile of one router: read the desired state, read the router's objects, diff, apply,
and write back what happened (operation log, outcome events). Runs in the router's lane."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from uuid import UUID

from isp_common.contracts.mikrotik import (
    ROUTER_SYNCED,
    SUBSCRIBER_PROVISIONED,
    SUBSCRIBER_PROVISIONING_FAILED,
    ProvisioningResult,
    RouterSynced,
)

from isp_mikrotik_agent.domain.desired import Subscriber, SuspensionMode, SuspensionSettings
from isp_mikrotik_agent.domain.diff import Change, ChangeKind, plan_changes
from isp_mikrotik_agent.domain.router_objects import (
    ACTIVE,
    ADDRESS_LIST,
    OWNED_MENUS,
    PROFILE,
    PROPLISTS,
    ObservedObject,
    desired_objects,
)
from isp_mikrotik_agent.domain.stored_state import Outcome, RouterRecord, SubscriberRecord
from isp_mikrotik_agent.domain.tags import customer_of, legacy_subscriber_tag, subscriber_tag
from isp_mikrotik_agent.use_cases.ports import (
    Decrypt,
    RouterApi,
    RouterRefused,
    RouterSession,
    RouterUnreachable,
    UowFactory,
)


@dataclass
class ReconcileReport:
    router_id: UUID
    full: bool
    subscribers: int = 0
    changes: list[Change] = field(default_factory=list)
    failed: dict[UUID | None, str] = field(default_factory=dict)
    error: str | None = None  # the router could not be reached

    def count(self, kind: ChangeKind) -> int:
        return sum(1 for c in self.changes if c.kind is kind)

    @property
    def ok(self) -> bool:
        return self.error is None and not self.failed

    def summary(self) -> dict[str, object]:
        return {
            "ok": self.ok,
            "full": self.full,
            "subscribers": self.subscribers,
            "added": self.count(ChangeKind.ADD),
            "updated": self.count(ChangeKind.SET),
            "removed": self.count(ChangeKind.REMOVE),
            "disconnected": self.count(ChangeKind.DISCONNECT),
            "failed": len(self.failed),
            "error": self.error,
        }


@dataclass(frozen=True)
class Plan:
    router: RouterRecord
    settings: SuspensionSettings
    records: list[SubscriberRecord]
    full: bool


async def load_plan(
    uow_factory: UowFactory, tenant_id: UUID, router_id: UUID, *, full: bool
) -> Plan | None:
    """What the router should hold: every subscriber (full) or the dirty ones."""
    async with uow_factory(tenant_id) as uow:
        router = await uow.routers.get(router_id)
        if router is None:
            return None
        full = full or await uow.routers.sync_requested(router_id)
        records = await uow.desired.for_router(router_id, only_dirty=not full)
        settings = await uow.desired.settings()
    if not full and not records:
        return None
    return Plan(router, settings, records, full)


def render(
    plan: Plan, decrypt: Decrypt, now: datetime
) -> tuple[list[Subscriber], dict[UUID | None, str]]:
    """The subscribers that belong on this router, decrypted; those that cannot be rendered
    (a password no key opens) are reported failed and their objects left alone."""
    wanted: list[Subscriber] = []
    broken: dict[UUID | None, str] = {}
    for record in plan.records:
        if record.target_router_id != plan.router.id:
            continue  # moved elsewhere, or gone: nothing of theirs stays here
        try:
            wanted.append(record.subscriber(decrypt))
        except ValueError:
            broken[record.customer_id] = "the PPPoE password cannot be decrypted"
    return wanted, broken


async def read_observed(client: RouterApi, plan: Plan) -> list[ObservedObject]:
    """A full sync reads every object of the owned menus (the diff leaves untagged ones be);
    a targeted one reads only the dirty subscribers' tagged objects, and the isolation profile."""
    observed: list[ObservedObject] = []
    if plan.full:
        for menu in OWNED_MENUS:
            rows = await client.print(menu, PROPLISTS[menu])
            if menu == ADDRESS_LIST:
                rows = [r for r in rows if r.get("dynamic") != "true"]
            observed += [ObservedObject(menu, r[".id"], r) for r in rows]
        return observed
    for record in plan.records:
        # The first tag format too: objects not yet adopted are found, and adopted (retagged).
        tags = (
            subscriber_tag(plan.router.tenant_id, record.customer_id),
            legacy_subscriber_tag(record.customer_id),
        )
        for menu in OWNED_MENUS[1:]:
            for tag in tags:
                rows = await client.print(menu, PROPLISTS[menu], {"comment": tag})
                observed += [ObservedObject(menu, r[".id"], r) for r in rows]
    if plan.settings.mode is SuspensionMode.ISOLATE:
        rows = await client.print(
            PROFILE, PROPLISTS[PROFILE], {"name": plan.settings.isolation_profile}
        )
        observed += [ObservedObject(PROFILE, r[".id"], r) for r in rows]
    return observed


async def diff_router(
    client: RouterApi, plan: Plan, decrypt: Decrypt, now: datetime
) -> tuple[list[Change], dict[UUID | None, str]]:
    wanted, broken = render(plan, decrypt, now)
    scope = plan.router.tenant_id
    desired = desired_objects(wanted, plan.settings, now, with_profile=plan.full, scope=scope)
    observed = [
        o for o in await read_observed(client, plan) if customer_of(o.comment) not in broken
    ]
    ours = {record.customer_id for record in plan.records}
    return plan_changes(desired, observed, scope=scope, ours=ours), broken


async def apply_change(client: RouterApi, change: Change) -> None:
    if change.kind is ChangeKind.ADD:
        await client.add(change.menu, change.attributes)
    elif change.kind is ChangeKind.SET:
        assert change.object_id is not None
        if change.attributes:
            await client.set(change.menu, change.object_id, change.attributes)
        for name in change.unset:
            await client.unset(change.menu, change.object_id, name)
    elif change.kind is ChangeKind.REMOVE:
        assert change.object_id is not None
        await client.remove(change.menu, change.object_id)
    else:
        sessions = await client.print(ACTIVE, (".id", "name"), {"name": change.name})
        for session in sessions:
            await client.remove(ACTIVE, session[".id"])


async def reconcile(
    uow_factory: UowFactory,
    session: RouterSession,
    decrypt: Decrypt,
    tenant_id: UUID,
    router_id: UUID,
    *,
    full: bool = False,
    dry_run: bool = False,
) -> ReconcileReport | None:
    """None when there was nothing to do. Raises RouterUnreachable (after recording it) when
    the router could not be reached, so the lane can back off."""
    plan = await load_plan(uow_factory, tenant_id, router_id, full=full or dry_run)
    if plan is None:
        return None
    report = ReconcileReport(router_id, plan.full, subscribers=len(plan.records))
    now = datetime.now(UTC)
    log: list[dict[str, object]] = []
    try:
        client = await session.client(plan.router)
        changes, broken = await diff_router(client, plan, decrypt, now)
        report.failed.update(broken)
        if dry_run:
            report.changes = changes
            return report
        for change in changes:
            try:
                await apply_change(client, change)
            except RouterRefused as refused:
                report.failed[change.customer_id] = str(refused)
                log.append(_entry(change, "failed", str(refused)))
            else:
                report.changes.append(change)
                log.append(_entry(change, "ok", None))
    except RouterUnreachable as error:
        report.error = str(error)
    if not dry_run:
        await record(uow_factory, tenant_id, plan, report, log)
    if report.error is not None:
        raise RouterUnreachable(report.error)
    return report


async def record(
    uow_factory: UowFactory,
    tenant_id: UUID,
    plan: Plan,
    report: ReconcileReport,
    log: Sequence[dict[str, object]],
) -> None:
    now = datetime.now(UTC)
    outcomes = list(_outcomes(plan, report))
    async with uow_factory(tenant_id) as uow:
        await uow.operations.append(plan.router.id, log, now)
        for outcome, version in await uow.desired.record_outcomes(outcomes, now):
            uow.raise_event(
                SUBSCRIBER_PROVISIONED if outcome.ok else SUBSCRIBER_PROVISIONING_FAILED,
                outcome.customer_id,
                version,
                ProvisioningResult(
                    customer_id=outcome.customer_id,
                    router_id=outcome.router_id,
                    status="provisioned" if outcome.ok else "failed",
                    customer_version=outcome.customer_version,
                    error=outcome.error,
                    at=now,
                ),
            )
        if plan.full:
            summary = report.summary()
            await uow.routers.record_sync(plan.router.id, summary, now)
            uow.raise_event(
                ROUTER_SYNCED,
                plan.router.id,
                await uow.routers.next_event_version(plan.router.id),
                RouterSynced(
                    router_id=plan.router.id,
                    ok=report.ok,
                    added=report.count(ChangeKind.ADD),
                    updated=report.count(ChangeKind.SET),
                    removed=report.count(ChangeKind.REMOVE),
                    error=report.error or _first_error(report),
                    at=now,
                ),
            )
        await uow.commit()


def _outcomes(plan: Plan, report: ReconcileReport) -> Iterable[Outcome]:
    touched = {c.customer_id for c in report.changes} | set(report.failed)
    for record in plan.records:
        error = report.error or report.failed.get(record.customer_id)
        here = record.target_router_id == plan.router.id
        placed = here and record.subscriber(lambda _: "").wants_objects
        clean = (
            error is None
            and record.revision <= record.reconciled_revision
            and record.customer_version <= record.reported_version
            and record.provisioning_status == "provisioned"
            and (record.placed_router_id == plan.router.id) == placed
            and record.customer_id not in touched
        )
        if clean:
            continue  # a full sync that changed nothing writes nothing for them
        yield Outcome(
            customer_id=record.customer_id,
            revision=record.revision,
            router_id=plan.router.id,
            ok=error is None,
            placed=placed,
            customer_version=record.customer_version,
            error=error,
            moved_away=not here,
        )


def _entry(change: Change, outcome: str, error: str | None) -> dict[str, object]:
    return {
        "customer_id": change.customer_id,
        "action": change.kind.value,
        "menu": change.menu,
        "object_name": change.name[:255],
        "request": change.described(),
        "outcome": outcome,
        "error": error,
    }


def _first_error(report: ReconcileReport) -> str | None:
    return next(iter(report.failed.values()), None)
