"""A RouterOS API simulator: in-memory routers behind the real API wire protocol, for tests,
demos and benchmarks, with fault injection (latency, dropped connections, refused logins, traps,
routers that are down)."""

from routeros_sim.faults import Faults
from routeros_sim.router import Router
from routeros_sim.server import SimulatedRouter

__all__ = ["Faults", "Router", "SimulatedRouter"]
