"""`python -m isp_customers api|worker|all [--port N]` (see isp_common.entrypoint)."""

from __future__ import annotations

from isp_common.entrypoint import run_service

from isp_customers.app import create_customers_app
from isp_customers.bootstrap import SERVICE, build_runtime, customers_settings
from isp_customers.worker import build_worker


def main(argv: list[str] | None = None) -> None:
    run_service(
        SERVICE,
        make_settings=customers_settings,
        build_runtime=build_runtime,
        create_app=create_customers_app,
        build_worker=build_worker,
        argv=argv,
    )


if __name__ == "__main__":
    main()
