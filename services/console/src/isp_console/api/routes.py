"""Every router of pages, in one list the app includes (one module per area of the console)."""

from __future__ import annotations

from fastapi import APIRouter

from isp_console.api import (
    audit_routes,
    billing_routes,
    boost_routes,
    customer_page_routes,
    customer_routes,
    dashboard_routes,
    network_routes,
    plan_routes,
    portal_routes,
    router_routes,
    ticket_routes,
    user_routes,
)

PAGE_ROUTERS: tuple[APIRouter, ...] = tuple(
    module.router
    for module in (
        dashboard_routes,
        customer_routes,
        customer_page_routes,
        plan_routes,
        billing_routes,
        network_routes,
        router_routes,
        ticket_routes,
        boost_routes,
        audit_routes,
        user_routes,
        portal_routes,
    )
)
