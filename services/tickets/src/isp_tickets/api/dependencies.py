from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from isp_common.auth import STAFF, Role

from isp_tickets.bootstrap import Runtime

READERS = (*STAFF, Role.CUSTOMER)
# Who opens tickets and comments on them: the subscriber (on their own) and the support desk.
OPENERS = (Role.ADMIN, Role.SUPPORT, Role.TECHNICIAN, Role.CUSTOMER)
# Who triages: edits, assigns, closes and reopens.
DISPATCHERS = (Role.ADMIN, Role.SUPPORT)
# Who works a ticket: starts and resolves it.
WORKERS = (Role.ADMIN, Role.SUPPORT, Role.TECHNICIAN)
SLA_READERS = STAFF
SLA_WRITERS = (Role.ADMIN,)


async def _runtime(request: Request) -> Runtime:
    # async: FastAPI runs a plain `def` dependency on a worker thread, a costly hop per request.
    runtime: Runtime = request.app.state.runtime
    return runtime


RuntimeDep = Annotated[Runtime, Depends(_runtime)]
