"""The background half of the service: the outbox relay, the `identity.customers` consumer
(portal accounts follow customers) and the signing-key rotation job."""

from __future__ import annotations

from isp_common.jobs import PeriodicJob
from isp_common.logging import get_logger
from isp_common.messaging.worker import Worker

from isp_identity.bootstrap import Runtime
from isp_identity.consumers.customers import customers_consumer
from isp_identity.domain.tenant import PLATFORM_TENANT_ID
from isp_identity.use_cases.signing_keys import Rotation, rotate_signing_keys

KEY_ROTATION_JOB = "rotate-signing-keys"
log = get_logger(__name__)


async def rotate_keys(runtime: Runtime) -> Rotation:
    """One round: keys past their verification window go, a new key comes once none signs."""
    rotation = await runtime.run(
        PLATFORM_TENANT_ID,
        rotate_signing_keys,
        runtime.key_factory,
        runtime.settings.key_policy,
        runtime.clock(),
    )
    if rotation.deleted:
        log.info("signing keys retired", count=rotation.deleted)
    return rotation


def key_rotation_job(runtime: Runtime) -> PeriodicJob:
    async def run() -> None:
        await rotate_keys(runtime)

    return PeriodicJob(KEY_ROTATION_JOB, runtime.settings.identity_key_rotation_check_seconds, run)


def build_worker(runtime: Runtime) -> Worker:
    return Worker(
        runtime.settings,
        runtime.db,
        consumers=[customers_consumer(runtime)],
        jobs=[key_rotation_job(runtime)],
    )
