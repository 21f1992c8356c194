"""Traffic through the simple queues of online subscribers, so a router's counters move as a
real one's do and show each queue's max-limit at work."""

from __future__ import annotations

from collections.abc import Mapping

from routeros_sim.table import Menu

# What an online subscriber tries to pull (bits per second, upload/download); the queue's
# max-limit caps it, so counters show the limits working.
DEMAND_UP = 50_000_000
DEMAND_DOWN = 100_000_000
AVERAGE_PACKET_BYTES = 1000


def move_traffic(queues: Menu, online: Mapping[str, str], seconds: float) -> None:
    """`seconds` of traffic through the queues whose target is an online subscriber (PPPoE
    name → address): each pulls DEMAND_UP/DEMAND_DOWN capped by its max-limit; the others show
    a zero rate."""
    addresses = {f"{address}/32" for address in online.values()}
    interfaces = {f"<pppoe-{name}>" for name in online}
    for queue in queues.items.values():
        q = queue.values
        targets = set(q.get("target", "").split(","))
        active = q["disabled"] == "false" and bool(targets & (addresses | interfaces))
        if not active:
            q["rate"] = q["packet-rate"] = "0/0"
            q["total-rate"] = "0"
            continue
        up_limit, down_limit = (int(x) for x in q["max-limit"].split("/"))
        rate = (_capped(DEMAND_UP, up_limit), _capped(DEMAND_DOWN, down_limit))
        moved = tuple(int(bps * seconds / 8) for bps in rate)
        total = _add_pair(q["bytes"], moved)
        packets = _add_pair(q["packets"], tuple(b // AVERAGE_PACKET_BYTES for b in moved))
        q["bytes"], q["packets"] = total, packets
        q["total-bytes"] = str(sum(int(x) for x in total.split("/")))
        q["total-packets"] = str(sum(int(x) for x in packets.split("/")))
        q["rate"] = f"{rate[0]}/{rate[1]}"
        q["total-rate"] = str(sum(rate))
        q["packet-rate"] = "/".join(str(r // 8 // AVERAGE_PACKET_BYTES) for r in rate)


def _capped(demand: int, limit: int) -> int:
    return demand if limit == 0 else min(demand, limit)


def _add_pair(pair: str, amounts: tuple[int, ...]) -> str:
    return "/".join(str(int(old) + new) for old, new in zip(pair.split("/"), amounts, strict=True))
