"""What the tenant, user and portal-account routes share: the runtime, who may do what."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import Depends, Request

from isp_common.auth import Role

from isp_identity.bootstrap import Runtime

OPERATOR = (Role.PLATFORM_ADMIN,)
# A tenant's admin reads and edits its own tenant; the operator any.
TENANT_EDITORS = (Role.PLATFORM_ADMIN, Role.ADMIN)
USER_MANAGERS = (Role.ADMIN,)
# The support desk turns a subscriber's portal login on and off as well as admins.
PORTAL_MANAGERS = (Role.ADMIN, Role.SUPPORT)


async def _runtime(request: Request) -> Runtime:
    # async: FastAPI runs a plain `def` dependency on a worker thread, a costly hop per request.
    runtime: Runtime = request.app.state.runtime
    return runtime


RuntimeDep = Annotated[Runtime, Depends(_runtime)]


def reset_token_lifetime(runtime: Runtime) -> timedelta:
    return timedelta(hours=runtime.settings.identity_reset_token_hours)


def activation_code_lifetime(runtime: Runtime) -> timedelta:
    return timedelta(days=runtime.settings.identity_activation_code_days)
