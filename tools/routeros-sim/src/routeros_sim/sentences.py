"""The words of the RouterOS API as the simulated router reads and answers them: a command's
`=name=value` attributes and `?` queries in, `!re` / `!trap` / `!done` sentences out."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

Sentence = list[str]


class Trap(Exception):
    """A command failure the router reports as `!trap` (the connection stays usable)."""

    def __init__(self, message: str, category: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.category = category

    def sentences(self) -> list[Sentence]:
        trap = ["!trap"]
        if self.category is not None:
            trap.append(f"=category={self.category}")
        trap.append(f"=message={self.message}")
        return [trap, ["!done"]]


def no_such_command() -> Trap:
    return Trap("no such command prefix", category=0)


def parse_arguments(words: Iterable[str]) -> tuple[dict[str, str], list[str]]:
    """Split command words into `=name=value` attributes and `?` query words."""
    attributes: dict[str, str] = {}
    queries: list[str] = []
    for word in words:
        if word.startswith("="):
            name, _, value = word[1:].partition("=")
            attributes[name] = value
        elif word.startswith("?"):
            queries.append(word)
        # Anything else (API attributes like .tag, handled by the server) is not ours.
    return attributes, queries


def project(view: Mapping[str, str], attributes: Mapping[str, str]) -> dict[str, str]:
    """Apply `=.proplist=a,b`: only those properties, in that order."""
    proplist = attributes.get(".proplist")
    if proplist is None:
        return dict(view)
    return {name: view[name] for name in proplist.split(",") if name in view}


def reply_words(view: Mapping[str, str]) -> list[str]:
    return [f"={name}={value}" for name, value in view.items()]
