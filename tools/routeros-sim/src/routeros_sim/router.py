"""An in-memory RouterOS: the menus the platform provisions, the commands that act on them, and
the PPPoE subscribers that dial in and move traffic through their queues.

`Router.execute` takes a command sentence (without `.tag`, which the server handles) and returns
the reply sentences. Tests also use the Python methods (`add`, `items`, `connect_session`,
`tick`) to seed and inspect a router directly.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from routeros_sim import values
from routeros_sim.menus import LISTS, PPP_PROFILE, SINGLETONS, MenuSchema
from routeros_sim.query import InvalidQuery, matches

Sentence = list[str]

# What an online subscriber tries to pull (bits per second, upload/download); the queue's
# max-limit caps it, so counters show the limits working.
DEMAND_UP = 50_000_000
DEMAND_DOWN = 100_000_000
AVERAGE_PACKET_BYTES = 1000


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


def format_id(number: int) -> str:
    """RouterOS item ids: a star and upper-case hex (*1 … *9, *A, *B …)."""
    return f"*{number:X}"


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
            item = Item(item_id, self._with_defaults(PPP_PROFILE, {"name": name}), self._clock())
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
        targets = self._targets(menu, attributes)
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
        return [["!re", *_words(_project(view, attributes))], ["!done"]]

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
        return [["!re", *_words(_project(view, attributes))] for view in found] + [["!done"]]

    def _add(self, menu: Menu, attributes: Mapping[str, str]) -> str:
        schema = menu.schema
        given = self._validated(schema, attributes)
        for name in schema.required:
            if not given.get(name):
                raise Trap(f"failure: {name} not specified", category=1)
        if "name" in schema.properties and "name" not in given:
            # Like RouterOS: a queue added without a name is called queue1, queue2 …
            given["name"] = self._free_name(menu, schema.path.rsplit("/", 2)[-2])
        candidate = self._with_defaults(schema, given)
        self._check_duplicate(menu, candidate, None)
        self._check_references(schema, candidate)
        item = Item(menu.new_id(), candidate, self._clock())
        menu.items[item.id] = item
        return item.id

    def _set(self, menu: Menu, targets: Sequence[Item], attributes: Mapping[str, str]) -> None:
        given = self._validated(menu.schema, attributes)
        for item in targets:
            candidate = {**item.values, **given}
            self._check_duplicate(menu, candidate, item.id)
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

    def _validated(self, schema: MenuSchema, attributes: Mapping[str, str]) -> dict[str, str]:
        given: dict[str, str] = {}
        for name, value in attributes.items():
            if name.startswith("."):
                continue  # .id, .proplist and friends are not properties
            if not schema.writable(name):
                raise Trap(f"unknown parameter {name}", category=1)
            normalise = schema.normalisers.get(name)
            try:
                given[name] = normalise(value) if normalise and value != "" else value
            except values.InvalidValue as error:
                raise Trap(f"value of {name} is invalid: {value}", category=1) from error
        return given

    def _check_duplicate(
        self, menu: Menu, candidate: Mapping[str, str], own_id: str | None
    ) -> None:
        key = menu.schema.key
        if not key:
            return
        wanted = tuple(candidate.get(name) for name in key)
        for item in menu.items.values():
            if item.id != own_id and tuple(item.values.get(n) for n in key) == wanted:
                raise Trap(menu.schema.duplicate_message, category=4)

    def _check_references(self, schema: MenuSchema, candidate: Mapping[str, str]) -> None:
        if schema.path == "/ppp/secret":
            profile = candidate.get("profile", "default")
            if not self._find_by_name(self.menus["/ppp/profile"], profile):
                raise Trap("input does not match any value of profile", category=1)
        if schema.path == "/queue/simple":
            parent = candidate.get("parent", "none")
            if parent != "none" and not self._find_by_name(self.menus["/queue/simple"], parent):
                raise Trap("input does not match any value of parent", category=1)

    def _targets(self, menu: Menu, attributes: Mapping[str, str]) -> list[Item]:
        """The items a set/remove/enable/disable names: `.id` or `numbers`, comma-separated ids
        (or names, which RouterOS also accepts in `numbers`)."""
        reference = attributes.get(".id", attributes.get("numbers"))
        if reference is None:
            raise Trap("missing =.id= or =numbers=", category=1)
        found: list[Item] = []
        for part in reference.split(","):
            item = menu.items.get(part) or self._find_by_name(menu, part)
            if item is None:
                raise Trap("no such item", category=0)
            found.append(item)
        return found

    @staticmethod
    def _find_by_name(menu: Menu, name: str) -> Item | None:
        if "name" not in menu.schema.key:
            return None
        return next((i for i in menu.items.values() if i.values.get("name") == name), None)

    def _free_name(self, menu: Menu, base: str) -> str:
        number = 1
        while self._find_by_name(menu, f"{base}{number}"):
            number += 1
        return f"{base}{number}"

    @staticmethod
    def _with_defaults(schema: MenuSchema, given: Mapping[str, str]) -> dict[str, str]:
        result = {k: v for k, v in schema.properties.items() if v is not None}
        result.update(given)
        return result

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
        secret = self._find_by_name(self.menus["/ppp/secret"], name)
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
            self._with_defaults(
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
        profile = self._find_by_name(self.menus["/ppp/profile"], secret.values["profile"])
        address_list = profile.values.get("address-list", "") if profile else ""
        if address_list:
            entries = self.menus["/ip/firewall/address-list"]
            entry_values = self._with_defaults(
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
        secrets = self._find_by_name(self.menus["/ppp/secret"], session.values["name"])
        if secrets is not None:
            secrets.values["last-logged-out"] = time.strftime("%Y-%m-%d %H:%M:%S")

    @staticmethod
    def _pool(number: int) -> str:
        return f"10.99.{number >> 8 & 0xFF}.{number & 0xFF or 1}"

    def tick(self, seconds: float) -> None:
        """Move `seconds` of traffic through the queues of online subscribers: each pulls
        DEMAND_UP/DEMAND_DOWN capped by its max-limit; the others show a zero rate."""
        online = self.online()
        addresses = {f"{address}/32" for address in online.values()}
        interfaces = {f"<pppoe-{name}>" for name in online}
        for queue in self.menus["/queue/simple"].items.values():
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


def _project(view: Mapping[str, str], attributes: Mapping[str, str]) -> dict[str, str]:
    """Apply `=.proplist=a,b`: only those properties, in that order."""
    proplist = attributes.get(".proplist")
    if proplist is None:
        return dict(view)
    return {name: view[name] for name in proplist.split(",") if name in view}


def _words(view: Mapping[str, str]) -> list[str]:
    return [f"={name}={value}" for name, value in view.items()]
