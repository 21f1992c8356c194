"""All SQL about customers: rows ↔ entities, the detail read model, search and pages."""

from __future__ import annotations

from dataclasses import fields
from typing import Any
from uuid import UUID

from sqlalchemy import ColumnElement, and_, bindparam, exists, func, or_, select, true, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from isp_common.pagination import Page, PageRequest

from isp_customers.adapters.tables import accounts, customers, provisioning
from isp_customers.domain.customer import Customer
from isp_customers.domain.errors import identifiers_taken
from isp_customers.domain.listing import CustomerFilter, SortOrder
from isp_customers.domain.read_models import (
    ZERO,
    AccountStanding,
    CustomerDetails,
    provisioning_status,
)
from isp_customers.domain.status import CustomerStatus, ProvisioningStatus, SuspensionCause

_ENTITY_FIELDS = tuple(f.name for f in fields(Customer))
_ENTITY_COLUMNS = [customers.c[name] for name in _ENTITY_FIELDS]
_DETAIL_COLUMNS = [
    *_ENTITY_COLUMNS,
    accounts.c.outstanding_balance,
    accounts.c.due_date,
    accounts.c.last_payment_date,
    provisioning.c.status.label("provisioning_status"),
    provisioning.c.customer_version.label("provisioned_version"),
]
_WITH_READ_MODELS = customers.outerjoin(
    accounts,
    and_(accounts.c.tenant_id == customers.c.tenant_id, accounts.c.customer_id == customers.c.id),
).outerjoin(
    provisioning,
    and_(
        provisioning.c.tenant_id == customers.c.tenant_id,
        provisioning.c.customer_id == customers.c.id,
    ),
)
_NOT_DELETED = customers.c.deleted_at.is_(None)
_HOLDS_ROUTER_ACCOUNT = and_(_NOT_DELETED, customers.c.status != CustomerStatus.TERMINATED.value)
# Built once: SQLAlchemy then reuses the statement's cache key instead of deriving it per call,
# which is a large share of a read by id.
_DETAILS = select(*_DETAIL_COLUMNS).select_from(_WITH_READ_MODELS)
_DETAILS_BY_ID = _DETAILS.where(customers.c.id == bindparam("customer_id"), _NOT_DELETED)
_DETAILS_BY_CODE = _DETAILS.where(
    customers.c.customer_code == bindparam("customer_code"), _NOT_DELETED
)
_UNIQUE_INDEX_FIELDS = {
    "uq_customers_code": "customer_code",
    "uq_customers_pppoe_username": "pppoe_username",
    "uq_customers_remote_address": "remote_address",
}


class SqlCustomerRepository:
    def __init__(self, connection: AsyncConnection, tenant_id: UUID) -> None:
        self._connection = connection
        self._tenant_id = tenant_id

    async def add(self, customer: Customer) -> None:
        values = {**_row_values(customer), "tenant_id": self._tenant_id}
        await self._execute_unique(customers.insert().values(values))

    async def save(self, customer: Customer) -> None:
        statement = update(customers).where(customers.c.id == customer.id)
        await self._execute_unique(statement.values(_row_values(customer)))

    async def get(self, customer_id: UUID, *, for_update: bool = False) -> Customer | None:
        query = select(*_ENTITY_COLUMNS).where(customers.c.id == customer_id, _NOT_DELETED)
        if for_update:
            query = query.with_for_update()
        row = (await self._connection.execute(query)).mappings().first()
        return _to_customer(row) if row else None

    async def details(self, customer_id: UUID) -> CustomerDetails | None:
        return await self._one_details(_DETAILS_BY_ID, customer_id=customer_id)

    async def details_by_code(self, customer_code: str) -> CustomerDetails | None:
        return await self._one_details(_DETAILS_BY_CODE, customer_code=customer_code)

    async def page(
        self, where: CustomerFilter, sort: SortOrder, request: PageRequest
    ) -> Page[CustomerDetails]:
        condition = _matching(where)
        total = await self._connection.scalar(select(func.count()).where(condition))
        column = customers.c[sort.field]
        # The id breaks ties, so that walking the pages meets every customer exactly once.
        order = (
            (column.desc(), customers.c.id.desc()) if sort.descending else (column, customers.c.id)
        )
        query = (
            select(*_DETAIL_COLUMNS)
            .select_from(_WITH_READ_MODELS)
            .where(condition)
            .order_by(*order)
            .limit(request.limit)
            .offset(request.offset)
        )
        rows = (await self._connection.execute(query)).mappings().all()
        return Page([_to_details(row) for row in rows], int(total or 0), request)

    async def code_exists(self, customer_code: str) -> bool:
        query = select(exists().where(customers.c.customer_code == customer_code))
        return bool(await self._connection.scalar(query))

    async def taken_identifiers(self, customer: Customer) -> list[str]:
        checks: dict[str, ColumnElement[bool]] = {
            "customer_code": customers.c.customer_code == customer.customer_code
        }
        if customer.is_live:
            for field in ("pppoe_username", "remote_address"):
                value = getattr(customer, field)
                if value is not None:
                    checks[field] = and_(_HOLDS_ROUTER_ACCOUNT, customers.c[field] == value)
        query = select(*(func.bool_or(check).label(name) for name, check in checks.items())).where(
            customers.c.id != customer.id, or_(*checks.values())
        )
        row = (await self._connection.execute(query)).mappings().one()
        return [name for name in checks if row[name]]

    async def count_live_on_odp(self, odp_id: UUID, *, excluding: UUID | None) -> int:
        query = select(func.count()).where(customers.c.odp_id == odp_id, _HOLDS_ROUTER_ACCOUNT)
        if excluding is not None:
            query = query.where(customers.c.id != excluding)
        return int(await self._connection.scalar(query) or 0)

    async def _one_details(self, query: Any, **params: Any) -> CustomerDetails | None:
        row = (await self._connection.execute(query, params)).mappings().first()
        return _to_details(row) if row else None

    async def _execute_unique(self, statement: Any) -> None:
        """The use cases check uniqueness first; the indexes still decide a race between two
        transactions, and the loser gets the same CONFLICT the check would have given."""
        try:
            await self._connection.execute(statement)
        except IntegrityError as exc:
            constraint = getattr(exc.orig.__cause__, "constraint_name", None) if exc.orig else None
            field = _UNIQUE_INDEX_FIELDS.get(constraint or "")
            if field is None:
                raise
            raise identifiers_taken([field]) from exc


def _matching(where: CustomerFilter) -> ColumnElement[bool]:
    conditions: list[ColumnElement[bool]] = [_NOT_DELETED]
    if where.search:
        conditions.append(customers.c.search_document.ilike(_contains(where.search), escape="\\"))
    if where.status is not None:
        conditions.append(customers.c.status == where.status.value)
    if where.service_plan_id is not None:
        conditions.append(customers.c.service_plan_id == where.service_plan_id)
    if where.odp_id is not None:
        conditions.append(customers.c.odp_id == where.odp_id)
    if where.kelurahan is not None:
        conditions.append(func.lower(customers.c.kelurahan) == where.kelurahan.lower())
    if where.only_customer_id is not None:
        conditions.append(customers.c.id == where.only_customer_id)
    return and_(true(), *conditions)


def _contains(term: str) -> str:
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _row_values(customer: Customer) -> dict[str, Any]:
    values = {name: getattr(customer, name) for name in _ENTITY_FIELDS}
    values["status"] = customer.status.value
    values["suspension_cause"] = (
        customer.suspension_cause.value if customer.suspension_cause else None
    )
    return values


def _to_customer(row: Any) -> Customer:
    values = {name: row[name] for name in _ENTITY_FIELDS}
    values["status"] = CustomerStatus(row["status"])
    cause = row["suspension_cause"]
    values["suspension_cause"] = SuspensionCause(cause) if cause else None
    return Customer(**values)


def _to_details(row: Any) -> CustomerDetails:
    customer = _to_customer(row)
    reported = row["provisioning_status"]
    return CustomerDetails(
        customer=customer,
        account=AccountStanding(
            outstanding_balance=row["outstanding_balance"] or ZERO,
            due_date=row["due_date"],
            last_payment_date=row["last_payment_date"],
        ),
        provisioning_status=provisioning_status(
            ProvisioningStatus(reported) if reported else None,
            row["provisioned_version"],
            customer.version,
        ),
    )
