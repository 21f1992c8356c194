"""`routeros-sim`: N simulated routers on consecutive ports from one process, until Ctrl-C."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
from collections.abc import Sequence

from routeros_sim.router import Router
from routeros_sim.server import SimulatedRouter


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="routeros-sim", description="Simulated MikroTik routers speaking the RouterOS API."
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=8728, help="port of the first router")
    parser.add_argument("--user", default="admin")
    parser.add_argument("--password", default="admin")
    parser.add_argument("--routers", type=int, default=1, help="how many routers (ports port…)")
    parser.add_argument("--latency", type=float, default=0.0, help="seconds before each reply")
    parser.add_argument(
        "--tick", type=float, default=1.0, help="seconds between queue counter updates"
    )
    return parser.parse_args(argv)


async def serve(args: argparse.Namespace) -> None:
    simulators = [
        SimulatedRouter(
            Router(identity=f"sim-router-{index + 1}"),
            host=args.host,
            port=args.port + index,
            user=args.user,
            password=args.password,
            tick_interval=args.tick,
        )
        for index in range(args.routers)
    ]
    async with contextlib.AsyncExitStack() as stack:
        for simulator in simulators:
            simulator.faults.latency = args.latency
            await stack.enter_async_context(simulator)
            print(
                f"{simulator.router.identity} listening on {simulator.host}:{simulator.port}",
                flush=True,
            )
        await asyncio.Event().wait()


def main(argv: Sequence[str] | None = None) -> None:
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve(parse_args(argv)))
