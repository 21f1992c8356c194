from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from isp_common.auth import Role

from isp_billing.bootstrap import Runtime

STAFF_READERS = (Role.ADMIN, Role.FINANCE, Role.SUPPORT, Role.TECHNICIAN, Role.VIEWER)
# Subscribers read plans and their own invoices, payments, receipts and account.
READERS = (*STAFF_READERS, Role.CUSTOMER)
PLAN_WRITERS = (Role.ADMIN,)
MONEY_WRITERS = (Role.ADMIN, Role.FINANCE)
MONEY_READERS = (Role.ADMIN, Role.FINANCE, Role.SUPPORT, Role.VIEWER, Role.CUSTOMER)


async def _runtime(request: Request) -> Runtime:
    runtime: Runtime = request.app.state.runtime
    return runtime


RuntimeDep = Annotated[Runtime, Depends(_runtime)]
