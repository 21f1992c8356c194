"""`python -m isp_network api|worker|all [--port N]` (see isp_common.entrypoint)."""

from __future__ import annotations

from isp_common.entrypoint import run_service

from isp_network.app import create_network_app
from isp_network.bootstrap import SERVICE, build_runtime, network_settings
from isp_network.worker import build_worker


def main(argv: list[str] | None = None) -> None:
    run_service(
        SERVICE,
        make_settings=network_settings,
        build_runtime=build_runtime,
        create_app=create_network_app,
        build_worker=build_worker,
        argv=argv,
    )


if __name__ == "__main__":
    main()
