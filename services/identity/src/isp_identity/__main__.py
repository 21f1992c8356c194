"""`python -m isp_identity api|worker|all [--port N]` (see isp_common.entrypoint)."""

from __future__ import annotations

from isp_common.entrypoint import run_service

from isp_identity.app import create_identity_app
from isp_identity.bootstrap import SERVICE, build_runtime, identity_settings
from isp_identity.worker import build_worker


def main(argv: list[str] | None = None) -> None:
    run_service(
        SERVICE,
        make_settings=identity_settings,
        build_runtime=build_runtime,
        create_app=create_identity_app,
        build_worker=build_worker,
        argv=argv,
    )


if __name__ == "__main__":
    main()
