"""Fault injection for one simulated router, changeable while it runs (tests flip these fields
between commands; every connection reads them at the moment they matter)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Faults:
    # Seconds the router waits before sending each reply sentence.
    latency: float = 0.0
    # Cut the TCP connection (no !fatal, like a network failure) once this many reply sentences
    # have been sent on it, counting the login's. None: never.
    drop_after_sentences: int | None = None
    # Every login fails as if the password were wrong.
    refuse_login: bool = False
    # Command path ("/ppp/secret/add") → the message of the !trap it answers instead of running.
    trap_commands: dict[str, str] = field(default_factory=dict)
    # Accept no connection (they are reset at once) and cut the open ones. For a real
    # "connection refused" use SimulatedRouter.go_down(), which also closes the listening socket.
    down: bool = False

    def clear(self) -> None:
        self.latency = 0.0
        self.drop_after_sentences = None
        self.refuse_login = False
        self.trap_commands.clear()
        self.down = False
