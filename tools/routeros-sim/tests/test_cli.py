"""`routeros-sim --routers 2` serves two routers on consecutive ports from one process."""

from __future__ import annotations

import asyncio
import socket
import sys

from routeros_sim.protocol import encode_sentence, read_sentence


def _free_port_pair() -> int:
    for _ in range(20):
        with socket.socket() as first, socket.socket() as second:
            first.bind(("127.0.0.1", 0))
            port = first.getsockname()[1]
            try:
                second.bind(("127.0.0.1", port + 1))
            except OSError:
                continue
            return int(port)
    raise RuntimeError("no two consecutive free ports")


async def test_cli_runs_n_routers_on_consecutive_ports() -> None:
    port = _free_port_pair()
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "routeros_sim", "--port", str(port), "--routers", "2",
        "--user", "admin", "--password", "pw",
        stdout=asyncio.subprocess.PIPE,
    )  # fmt: skip
    try:
        assert process.stdout is not None
        lines = [await asyncio.wait_for(process.stdout.readline(), 10) for _ in range(2)]
        assert b"sim-router-2 listening" in lines[1]
        for offset, identity in ((0, "sim-router-1"), (1, "sim-router-2")):
            reader, writer = await asyncio.open_connection("127.0.0.1", port + offset)
            writer.write(encode_sentence(["/login", "=name=admin", "=password=pw"]))
            writer.write(encode_sentence(["/system/identity/print"]))
            assert await read_sentence(reader) == ["!done"]
            assert await read_sentence(reader) == ["!re", f"=name={identity}"]
            writer.close()
    finally:
        process.terminate()
        await process.wait()
