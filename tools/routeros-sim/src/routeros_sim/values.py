"""How RouterOS normalises the values it is given: what a client reads back is not always what it
wrote ("10M/20M" prints as "10000000/20000000", "yes" as "true", "10.0.0.2" as "10.0.0.2/32")."""

from __future__ import annotations

import ipaddress

_TRUE = {"yes", "true"}
_FALSE = {"no", "false"}
_SUFFIXES = {"k": 1_000, "K": 1_000, "M": 1_000_000, "G": 1_000_000_000}


class InvalidValue(ValueError):
    """A value RouterOS would not accept for that property."""


def boolean(value: str) -> str:
    if value in _TRUE:
        return "true"
    if value in _FALSE:
        return "false"
    raise InvalidValue(value)


def bits(value: str) -> int:
    """ "10M" → 10000000; plain numbers are bits per second already."""
    value = value.strip()
    if not value:
        raise InvalidValue(value)
    multiplier = _SUFFIXES.get(value[-1], 1)
    number = value[:-1] if value[-1] in _SUFFIXES else value
    try:
        result = int(float(number) * multiplier)
    except ValueError as error:
        raise InvalidValue(value) from error
    if result < 0:
        raise InvalidValue(value)
    return result


def bits_pair(value: str) -> str:
    """An "upload/download" rate; one number sets both directions, as on the router."""
    parts = value.split("/")
    if len(parts) == 1:
        parts = parts * 2
    if len(parts) != 2:
        raise InvalidValue(value)
    return "/".join(str(bits(part)) for part in parts)


def text_pair(value: str) -> str:
    """Pairs that stay text ("8/8", "10s/10s", "default-small/default-small")."""
    parts = value.split("/")
    if len(parts) == 1:
        parts = parts * 2
    if len(parts) != 2 or not all(parts):
        raise InvalidValue(value)
    return "/".join(parts)


def targets(value: str) -> str:
    """Queue targets: addresses get their prefix length ("10.0.0.2" → "10.0.0.2/32"),
    interface names ("<pppoe-alice>") stay as they are."""
    normalised = []
    for part in value.split(","):
        part = part.strip()
        if not part:
            raise InvalidValue(value)
        try:
            normalised.append(str(ipaddress.ip_network(part, strict=False)))
        except ValueError:
            normalised.append(part)
    return ",".join(normalised)


def address(value: str) -> str:
    try:
        return str(ipaddress.ip_address(value))
    except ValueError as error:
        raise InvalidValue(value) from error


def address_or_network(value: str) -> str:
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        pass
    try:
        return str(ipaddress.ip_network(value, strict=False))
    except ValueError as error:
        raise InvalidValue(value) from error


def duration(seconds: float) -> str:
    """RouterOS style: "3w2d4h5m6s", "0s"."""
    remaining = int(seconds)
    parts = []
    for unit, size in (("w", 604800), ("d", 86400), ("h", 3600), ("m", 60)):
        count, remaining = divmod(remaining, size)
        if count:
            parts.append(f"{count}{unit}")
    if remaining or not parts:
        parts.append(f"{remaining}s")
    return "".join(parts)
