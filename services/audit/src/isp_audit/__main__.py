"""`python -m isp_audit api|worker|all [--port N]` (see isp_common.entrypoint)."""

from __future__ import annotations

from isp_common.entrypoint import run_service

from isp_audit.app import create_audit_app
from isp_audit.bootstrap import SERVICE, audit_settings, build_runtime
from isp_audit.worker import build_worker


def main(argv: list[str] | None = None) -> None:
    run_service(
        SERVICE,
        make_settings=audit_settings,
        build_runtime=build_runtime,
        create_app=create_audit_app,
        build_worker=build_worker,
        argv=argv,
    )


if __name__ == "__main__":
    main()
