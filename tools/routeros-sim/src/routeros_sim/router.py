"""An in-memory RouterOS: the menus the platform provisions, the commands that act on them, and
the PPPoE subscribers that dial in and move traffic through their queues.

`Router.execute` takes a command sentence (without `.tag`, which the server handles) and returns
the reply sentences. Tests also use the Python methods (`add`, `items`, `connect_session`,
`tick`) to seed and inspect a router directly.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence

from routeros_sim import values
from routeros_sim.menus import LISTS, PPP_PROFILE, SINGLETONS, MenuSchema
from routeros_sim.query import InvalidQuery, matches
from routeros_sim.sentences import (
    Sentence,
    Trap,
    no_such_command,
    parse_arguments,
    project,
    reply_words,
)
from routeros_sim.table import Item, Menu, with_defaults
from routeros_sim.traffic import move_traffic

__all__ = ["Router", "Sentence", "Trap"]


class Router:
    def __init__(
        self,
        identity: str = "MikroTik",
        *,
        version: str = "7.16 (stable)",
        empty_reply: bool = False,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._clock = clock
        self.booted = clock()
        # RouterOS 7 answers a print that finds nothing with `!empty` before `!done`; older
        # clients do not expect it, so it is opt-in.
        self.empty_reply = empty_reply
        self.menus: dict[str, Menu] = {schema.path: Menu(schema) for schema in LISTS}
        self.singletons: dict[str, dict[str, str]] = {
            schema.path: {k: v for k, v in schema.properties.items() if v is not None}
            for schema in SINGLETONS
        }
        self.singletons["/system/identity"]["name"] = identity
        self.singletons["/system/resource"]["version"] = version
        self._session_counter = 0
        self._seed_default_profiles()

    def _seed_default_profiles(self) -> None:
        profiles = self.menus["/ppp/profile"]
        # The two built-in profiles, with the ids a real router gives them.
        defaults = {"*0": "default", "*FFFFFFFE": "default-encryption"}
        for item_id, name in defaults.items():
            item = Item(item_id, with_defaults(PPP_PROFILE, {"name": name}), self._clock())
            item.values["default"] = "true"
            if name == "default-encryption":
                item.values["use-encryption"] = "yes"
            profiles.items[item_id] = item

    # ---- the API ---------------------------------------------------------------------------

    def execute(self, words: Sequence[str]) -> list[Sentence]:
        """Run one command sentence; a failure is a `!trap` reply, never an exception."""
        try:
            return self._execute(words)
        except Trap as trap:
            return trap.sentences()

    def _execute(self, words: Sequence[str]) -> list[Sentence]:
        if not words or not words[0].startswith("/"):
            raise no_such_command()
        path, _, command = words[0].rstrip("/").rpartition("/")
        attributes, queries = parse_arguments(words[1:])
        if path in self.singletons:
            return self._singleton(path, command, attributes)
        menu = self.menus.get(path)
        if menu is None or command not in menu.schema.commands:
            raise no_such_command()
        if command in ("print", "getall"):
            return self._print(menu, attributes, queries)
        if command == "add":
            return [["!done", f"=ret={self._add(menu, attributes)}"]]
        targets = menu.targets(attributes)
        attributes = {k: v for k, v in attributes.items() if k not in (".id", "numbers")}
        if command == "set":
            self._set(menu, targets, attributes)
        elif command == "remove":
            self._remove(menu, targets)
        elif command in ("enable", "disable"):
            self._set(menu, targets, {"disabled": "false" if command == "enable" else "true"})
        elif command == "unset":
            self._unset(menu, targets, attributes.get("value-name", ""))
        return [["!done"]]

    def _singleton(self, path: str, command: str, attributes: Mapping[str, str]) -> list[Sentence]:
        schema = next(s for s in SINGLETONS if s.path == path)
        if command not in schema.commands:
            raise no_such_command()
        properties = self.singletons[path]
        if command == "set":
            for name, value in attributes.items():
                if not schema.writable(name):
                    raise Trap(f"unknown parameter {name}", category=1)
                properties[name] = value
            return [["!done"]]
        view = dict(properties)
        if path == "/system/resource":
            view["uptime"] = values.duration(self._clock() - self.booted)
        return [["!re", *reply_words(project(view, attributes))], ["!done"]]

    def _print(
        self, menu: Menu, attributes: Mapping[str, str], queries: Sequence[str]
    ) -> list[Sentence]:
        try:
            found = [view for view in self._views(menu) if matches(view, queries)]
        except InvalidQuery as error:
            raise Trap(f"invalid query: {error}", category=1) from error
        if "count-only" in attributes:
            return [["!done", f"=ret={len(found)}"]]
        if not found and self.empty_reply:
            return [["!empty"], ["!done"]]
        return [["!re", *reply_words(project(view, attributes))] for view in found] + [["!done"]]

    def _add(self, menu: Menu, attributes: Mapping[str, str]) -> str:
        schema = menu.schema
        given = menu.validated(attributes)
        for name in schema.required:
            if not given.get(name):
                raise Trap(f"failure: {name} not specified", category=1)
        if "name" in schema.properties and "name" not in given:
            # Like RouterOS: a queue added without a name is called queue1, queue2 …
            given["name"] = menu.free_name(schema.path.rsplit("/", 2)[-2])
        candidate = with_defaults(schema, given)
        menu.check_duplicate(candidate, None)
        self._check_references(schema, candidate)
        item = Item(menu.new_id(), candidate, self._clock())
        menu.items[item.id] = item
        return item.id

    def _set(self, menu: Menu, targets: Sequence[Item], attributes: Mapping[str, str]) -> None:
        given = menu.validated(attributes)
        for item in targets:
            candidate = {**item.values, **given}
            menu.check_duplicate(candidate, item.id)
            self._check_references(menu.schema, candidate)
        for item in targets:
            item.values.update(given)

    def _unset(self, menu: Menu, targets: Sequence[Item], name: str) -> None:
        if not menu.schema.writable(name):
            raise Trap(f"unknown parameter {name}", category=1)
        default = menu.schema.properties[name]
        for item in targets:
            if default is None:
                item.values.pop(name, None)
            else:
                item.values[name] = default

    def _remove(self, menu: Menu, targets: Sequence[Item]) -> None:
        for item in targets:
            if item.values.get("default") == "true" and menu.schema is PPP_PROFILE:
                raise Trap("failure: can not remove default profile", category=4)
        for item in targets:
            del menu.items[item.id]
            if menu.schema.path == "/ppp/active":
                self._end_session(item)

    # ---- checks ------------------------------------------------------------------------------

    def _check_references(self, schema: MenuSchema, candidate: Mapping[str, str]) -> None:
        if schema.path == "/ppp/secret":
            profile = candidate.get("profile", "default")
            if not self.menus["/ppp/profile"].find_by_name(profile):
                raise Trap("input does not match any value of profile", category=1)
        if schema.path == "/queue/simple":
            parent = candidate.get("parent", "none")
            if parent != "none" and not self.menus["/queue/simple"].find_by_name(parent):
                raise Trap("input does not match any value of parent", category=1)

    # ---- views --------------------------------------------------------------------------------

    def _views(self, menu: Menu) -> list[dict[str, str]]:
        return [self._view(menu, item) for item in menu.items.values()]

    def _view(self, menu: Menu, item: Item) -> dict[str, str]:
        view = {".id": item.id}
        for name in menu.schema.properties:
            if name in item.values:
                view[name] = item.values[name]
        if menu.schema.path == "/ppp/active":
            view["uptime"] = values.duration(self._clock() - item.created)
        return view

    # ---- direct access for tests, demos and the simulator itself -------------------------

    def items(self, path: str) -> list[dict[str, str]]:
        """What `print` would show, as dicts with `.id`."""
        if path in self.singletons:
            return [dict(self.singletons[path])]
        return self._views(self.menus[path])

    def find(self, path: str, **equal: str) -> list[dict[str, str]]:
        """Items whose properties equal the keyword arguments (underscores read as dashes)."""
        wanted = {k.replace("_", "-"): v for k, v in equal.items()}
        return [v for v in self.items(path) if all(v.get(k) == x for k, x in wanted.items())]

    def add(self, path: str, properties: Mapping[str, str]) -> str:
        """Add an item as a client would (same checks); raises Trap on failure."""
        return self._add(self.menus[path], dict(properties))

    @property
    def identity(self) -> str:
        return self.singletons["/system/identity"]["name"]

    def connect_session(
        self, name: str, *, caller_id: str | None = None, address: str | None = None
    ) -> str:
        """A PPPoE subscriber dials in: an /ppp/active entry, and the profile's address list
        gets the subscriber's address as a dynamic entry (that is how isolation works). Refused
        (Trap) for an unknown or disabled secret, as the router would refuse the login."""
        secret = self.menus["/ppp/secret"].find_by_name(name)
        if secret is None or secret.values.get("disabled") == "true":
            raise Trap(f"login refused for {name}", category=4)
        for session in list(self.menus["/ppp/active"].items.values()):
            if session.values["name"] == name:
                self._remove(self.menus["/ppp/active"], [session])
        self._session_counter += 1
        number = self._session_counter
        session_address = address or secret.values.get("remote-address") or self._pool(number)
        active = self.menus["/ppp/active"]
        item = Item(
            active.new_id(),
            with_defaults(
                active.schema,
                {
                    "name": name,
                    "caller-id": caller_id
                    or f"02:00:00:00:{number >> 8 & 0xFF:02X}:{number & 0xFF:02X}",
                    "address": session_address,
                    "session-id": f"0x{0x81000000 + number:08X}",
                },
            ),
            self._clock(),
        )
        active.items[item.id] = item
        profile = self.menus["/ppp/profile"].find_by_name(secret.values["profile"])
        address_list = profile.values.get("address-list", "") if profile else ""
        if address_list:
            entries = self.menus["/ip/firewall/address-list"]
            entry_values = with_defaults(
                entries.schema, {"list": address_list, "address": session_address}
            )
            entry_values["dynamic"] = "true"
            entry = Item(entries.new_id(), entry_values, self._clock())
            entries.items[entry.id] = entry
        return item.id

    def disconnect_session(self, name: str) -> bool:
        active = self.menus["/ppp/active"]
        sessions = [s for s in active.items.values() if s.values["name"] == name]
        self._remove(active, sessions)
        return bool(sessions)

    def online(self) -> dict[str, str]:
        """PPPoE name → address of every active session."""
        return {
            s.values["name"]: s.values["address"] for s in self.menus["/ppp/active"].items.values()
        }

    def _end_session(self, session: Item) -> None:
        # The dynamic address-list entries a profile added go away with the session.
        entries = self.menus["/ip/firewall/address-list"]
        for entry in list(entries.items.values()):
            if (
                entry.values["dynamic"] == "true"
                and entry.values["address"] == session.values["address"]
            ):
                del entries.items[entry.id]
        secrets = self.menus["/ppp/secret"].find_by_name(session.values["name"])
        if secrets is not None:
            secrets.values["last-logged-out"] = time.strftime("%Y-%m-%d %H:%M:%S")

    @staticmethod
    def _pool(number: int) -> str:
        return f"10.99.{number >> 8 & 0xFF}.{number & 0xFF or 1}"

    def tick(self, seconds: float) -> None:
        """Move `seconds` of traffic through the queues of online subscribers (`traffic`)."""
        move_traffic(self.menus["/queue/simple"], self.online(), seconds)
