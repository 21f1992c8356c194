"""The customer as the published language carries it (never the PPPoE password in clear)."""

from __future__ import annotations

from isp_common.contracts.customers import CustomerSnapshot

from isp_customers.domain.customer import Customer


def customer_snapshot(customer: Customer) -> CustomerSnapshot:
    return CustomerSnapshot(
        id=customer.id,
        customer_code=customer.customer_code,
        full_name=customer.full_name,
        phone=customer.phone,
        email=customer.email,
        address=customer.address,
        city=customer.city,
        status=customer.status.value,
        suspension_reason=customer.suspension_reason,
        service_plan_id=customer.service_plan_id,
        monthly_fee=customer.monthly_fee,
        activation_date=customer.activation_date,
        termination_date=customer.termination_date,
        odp_id=customer.odp_id,
        odc_id=customer.odc_id,
        olt_id=customer.olt_id,
        olt_port=customer.olt_port,
        onu_serial=customer.onu_serial,
        router_id=customer.router_id,
        remote_address=customer.remote_address,
        pppoe_username=customer.pppoe_username,
        pppoe_password_encrypted=customer.pppoe_password_encrypted,
        is_deleted=customer.deleted_at is not None,
        version=customer.version,
        created_at=customer.created_at,
        updated_at=customer.updated_at,
    )
