"""`python -m isp_mikrotik_agent api|worker|all [--port N]` (see isp_common.entrypoint); the
worker also runs the lanes of the routers this replica holds."""

from __future__ import annotations

from isp_common.entrypoint import run_service

from isp_mikrotik_agent.app import create_agent_app
from isp_mikrotik_agent.bootstrap import SERVICE, agent_settings, build_runtime
from isp_mikrotik_agent.worker import AgentBackground


def main(argv: list[str] | None = None) -> None:
    run_service(
        SERVICE,
        make_settings=agent_settings,
        build_runtime=build_runtime,
        create_app=create_agent_app,
        build_worker=AgentBackground,
        argv=argv,
    )


if __name__ == "__main__":
    main()
