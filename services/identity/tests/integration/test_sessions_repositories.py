"""The session, throttle and directory adapters on the real database: row-level security keeps
a tenant's sessions its own; only the read-only login lookup finds whose token an id is; the
worker carries the key rotation job."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from isp_identity.domain.refresh import new_family, next_token
from isp_identity.domain.sessions import Subject, SubjectKind, ThrottleState
from isp_identity.domain.tenant import Tenant, TenantStatus
from isp_identity.worker import KEY_ROTATION_JOB, build_worker, rotate_keys

if TYPE_CHECKING:
    from conftest import LoginWorld

    from isp_identity.bootstrap import Runtime

NOW = datetime.now(UTC)


async def test_a_tenant_sees_only_its_own_sessions_and_the_directory_finds_the_owner(
    runtime: Runtime,
) -> None:
    owner, stranger = uuid.uuid4(), uuid.uuid4()
    subject = Subject(SubjectKind.USER, uuid.uuid4())
    family = new_family(subject, NOW, days=30)
    _, stored = next_token(family, NOW)

    async def add(uow: Any) -> None:
        await uow.sessions.add_family(family)
        await uow.sessions.add_token(stored)

    async def look(uow: Any) -> tuple[Any, Any, list[Any]]:
        return (
            await uow.sessions.token(stored.id),
            await uow.sessions.family(family.id),
            await uow.sessions.live_families(subject, NOW),
        )

    await runtime.run(owner, add)
    await _tenant_row(runtime, owner, "active")
    token, found, live = await runtime.run(owner, look)
    assert token == stored and found == family and live == [family]
    assert await runtime.run(stranger, look) == (None, None, [])
    assert await runtime.directory.tenant_of_refresh_token(stored.id) == owner
    assert await runtime.directory.tenant_of_refresh_token(uuid.uuid4()) is None

    async def revoke_all(uow: Any) -> int:
        return int(await uow.sessions.revoke_subject(subject, "password_changed", NOW))

    assert await runtime.run(stranger, revoke_all) == 0
    assert await runtime.run(owner, revoke_all) == 1
    assert (await runtime.run(owner, look))[2] == []


async def _tenant_row(runtime: Runtime, tenant_id: uuid.UUID, status: str) -> None:
    row = Tenant(
        tenant_id,
        f"t-{tenant_id.hex[:12]}",
        "ISP",
        "Asia/Jakarta",
        "IDR",
        TenantStatus(status),
        1,
        NOW,
        NOW,
    )

    async def add(uow: Any) -> None:
        await uow.tenants.add(row)

    await runtime.run(tenant_id, add)


async def test_a_disabled_tenant_s_tokens_name_nobody(runtime: Runtime) -> None:
    tenant = uuid.uuid4()
    await _tenant_row(runtime, tenant, "disabled")
    family = new_family(Subject(SubjectKind.USER, uuid.uuid4()), NOW, days=30)
    _, stored = next_token(family, NOW)

    async def add(uow: Any) -> None:
        await uow.sessions.add_family(family)
        await uow.sessions.add_token(stored)

    await runtime.run(tenant, add)
    assert await runtime.directory.tenant_of_refresh_token(stored.id) is None


async def test_the_throttle_upserts_and_clears_per_tenant(runtime: Runtime) -> None:
    tenant, other = uuid.uuid4(), uuid.uuid4()
    first = ThrottleState("name:abc", 1, NOW, None)
    locked = ThrottleState("name:abc", 5, NOW, NOW + timedelta(seconds=1))

    async def save(uow: Any, state: ThrottleState) -> None:
        await uow.throttle.save(state)

    async def get(uow: Any) -> ThrottleState | None:
        return await uow.throttle.get("name:abc")  # type: ignore[no-any-return]

    async def clear(uow: Any) -> None:
        await uow.throttle.clear("name:abc")

    await runtime.run(tenant, save, first)
    await runtime.run(tenant, save, locked)
    assert await runtime.run(tenant, get) == locked
    assert await runtime.run(other, get) is None
    await runtime.run(tenant, clear)
    assert await runtime.run(tenant, get) is None


async def test_only_an_active_tenant_s_slug_is_found(world: LoginWorld) -> None:
    directory = world.runtime.directory
    assert await directory.tenant_id_of(world.slug.upper()) == world.tenant.id
    assert await directory.tenant_id_of("") is None
    assert await directory.tenant_id_of("x" * 500) is None
    another = type(world.tenant)(world.runtime, world.tenant.app)  # a new tenant id, same app
    disabled = await type(world)(another).create_tenant(status="disabled")
    assert await directory.tenant_id_of(disabled.slug) is None


async def test_the_worker_runs_the_key_rotation_job(runtime: Runtime) -> None:
    worker = build_worker(runtime)
    names = [job.name for job in worker.jobs.jobs]
    assert KEY_ROTATION_JOB in names
    rotation = await rotate_keys(runtime)
    assert rotation.signing_kid
