"""One list menu's items (`/ppp/secret`, `/queue/simple`, …) and the checks RouterOS makes on
them before an add or a set: writable properties, valid values, no duplicate key."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from routeros_sim import values
from routeros_sim.menus import MenuSchema
from routeros_sim.sentences import Trap


def format_id(number: int) -> str:
    """RouterOS item ids: a star and upper-case hex (*1 … *9, *A, *B …)."""
    return f"*{number:X}"


def with_defaults(schema: MenuSchema, given: Mapping[str, str]) -> dict[str, str]:
    result = {k: v for k, v in schema.properties.items() if v is not None}
    result.update(given)
    return result


@dataclass
class Item:
    id: str
    values: dict[str, str]
    created: float


class Menu:
    def __init__(self, schema: MenuSchema) -> None:
        self.schema = schema
        self.items: dict[str, Item] = {}
        self._next_id = 1

    def new_id(self) -> str:
        item_id = format_id(self._next_id)
        self._next_id += 1
        return item_id

    def validated(self, attributes: Mapping[str, str]) -> dict[str, str]:
        given: dict[str, str] = {}
        for name, value in attributes.items():
            if name.startswith("."):
                continue  # .id, .proplist and friends are not properties
            if not self.schema.writable(name):
                raise Trap(f"unknown parameter {name}", category=1)
            normalise = self.schema.normalisers.get(name)
            try:
                given[name] = normalise(value) if normalise and value != "" else value
            except values.InvalidValue as error:
                raise Trap(f"value of {name} is invalid: {value}", category=1) from error
        return given

    def check_duplicate(self, candidate: Mapping[str, str], own_id: str | None) -> None:
        key = self.schema.key
        if not key:
            return
        wanted = tuple(candidate.get(name) for name in key)
        for item in self.items.values():
            if item.id != own_id and tuple(item.values.get(n) for n in key) == wanted:
                raise Trap(self.schema.duplicate_message, category=4)

    def targets(self, attributes: Mapping[str, str]) -> list[Item]:
        """The items a set/remove/enable/disable names: `.id` or `numbers`, comma-separated ids
        (or names, which RouterOS also accepts in `numbers`)."""
        reference = attributes.get(".id", attributes.get("numbers"))
        if reference is None:
            raise Trap("missing =.id= or =numbers=", category=1)
        found: list[Item] = []
        for part in reference.split(","):
            item = self.items.get(part) or self.find_by_name(part)
            if item is None:
                raise Trap("no such item", category=0)
            found.append(item)
        return found

    def find_by_name(self, name: str) -> Item | None:
        if "name" not in self.schema.key:
            return None
        return next((i for i in self.items.values() if i.values.get("name") == name), None)

    def free_name(self, base: str) -> str:
        number = 1
        while self.find_by_name(f"{base}{number}"):
            number += 1
        return f"{base}{number}"
