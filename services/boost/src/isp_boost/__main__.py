"""`python -m isp_boost api|worker|all [--port N]` (see isp_common.entrypoint)."""

from __future__ import annotations

from isp_common.entrypoint import run_service

from isp_boost.app import create_boost_app
from isp_boost.bootstrap import SERVICE, boost_settings, build_runtime
from isp_boost.worker import build_worker


def main(argv: list[str] | None = None) -> None:
    run_service(
        SERVICE,
        make_settings=boost_settings,
        build_runtime=build_runtime,
        create_app=create_boost_app,
        build_worker=build_worker,
        argv=argv,
    )


if __name__ == "__main__":
    main()
