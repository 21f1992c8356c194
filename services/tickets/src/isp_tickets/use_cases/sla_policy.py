"""Reading and replacing the tenant's SLA hours per priority. A new policy applies to tickets
opened (or re-prioritised) after it; due times already set stay as they were promised."""

from __future__ import annotations

from isp_tickets.domain.sla import SlaPolicy
from isp_tickets.use_cases.clock import utc_now
from isp_tickets.use_cases.ports import UnitOfWork


async def get_sla_policy(uow: UnitOfWork) -> SlaPolicy:
    return await uow.sla_policies.get()


async def set_sla_policy(uow: UnitOfWork, policy: SlaPolicy, *, by: str) -> SlaPolicy:
    await uow.sla_policies.put(policy, by=by, now=utc_now())
    return policy
