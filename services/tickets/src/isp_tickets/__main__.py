"""`python -m isp_tickets api|worker|all [--port N]` (see isp_common.entrypoint)."""

from __future__ import annotations

from isp_common.entrypoint import run_service

from isp_tickets.app import create_tickets_app
from isp_tickets.bootstrap import SERVICE, build_runtime, tickets_settings
from isp_tickets.worker import build_worker


def main(argv: list[str] | None = None) -> None:
    run_service(
        SERVICE,
        make_settings=tickets_settings,
        build_runtime=build_runtime,
        create_app=create_tickets_app,
        build_worker=build_worker,
        argv=argv,
    )


if __name__ == "__main__":
    main()
