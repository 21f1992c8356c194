"""`python -m isp_billing api|worker|all [--port N]` (see isp_common.entrypoint)."""

from __future__ import annotations

from isp_common.entrypoint import run_service

from isp_billing.app import create_billing_app
from isp_billing.bootstrap import SERVICE, billing_settings, build_runtime
from isp_billing.worker import build_worker


def main(argv: list[str] | None = None) -> None:
    run_service(
        SERVICE,
        make_settings=billing_settings,
        build_runtime=build_runtime,
        create_app=create_billing_app,
        build_worker=build_worker,
        argv=argv,
    )


if __name__ == "__main__":
    main()
