"""The RouterOS API wire protocol: words and sentences.

A word is a length prefix followed by that many bytes; a sentence is words ended by an empty word
(a single zero byte). The length counts BYTES of the UTF-8 encoding, not characters, so a
non-ASCII word is longer on the wire than it looks. The prefix takes 1–5 bytes; the high bits of
its first byte say how many:

    0x00–0x7F            1 byte   0xxxxxxx
    0x80–0x3FFF          2 bytes  10xxxxxx + 1 byte            (value | 0x8000)
    0x4000–0x1FFFFF      3 bytes  110xxxxx + 2 bytes           (value | 0xC00000)
    0x200000–0xFFFFFFF   4 bytes  1110xxxx + 3 bytes           (value | 0xE0000000)
    ≥ 0x10000000         5 bytes  0xF0 + 4 bytes big endian

First bytes 0xF8–0xFF are reserved control bytes; we reject them.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable

# Words are text; bytes that are not valid UTF-8 (a real router may send latin-1 comments)
# survive a decode/encode round trip instead of failing the whole connection.
_ERRORS = "surrogateescape"

MAX_WORD_LENGTH = 0xFFFFFFFF


class ProtocolError(ValueError):
    """The peer sent bytes that are not a RouterOS API word."""


def encode_length(length: int) -> bytes:
    if length < 0 or length > MAX_WORD_LENGTH:
        raise ProtocolError(f"word length {length} cannot be encoded")
    if length < 0x80:
        return length.to_bytes(1, "big")
    if length < 0x4000:
        return (length | 0x8000).to_bytes(2, "big")
    if length < 0x200000:
        return (length | 0xC00000).to_bytes(3, "big")
    if length < 0x10000000:
        return (length | 0xE0000000).to_bytes(4, "big")
    return b"\xf0" + length.to_bytes(4, "big")


def prefix_size(first_byte: int) -> int:
    """How many bytes the length prefix that starts with `first_byte` takes in all."""
    if first_byte < 0x80:
        return 1
    if first_byte < 0xC0:
        return 2
    if first_byte < 0xE0:
        return 3
    if first_byte < 0xF0:
        return 4
    if first_byte == 0xF0:
        return 5
    raise ProtocolError(f"control byte 0x{first_byte:02X} where a word length was expected")


def decode_length(prefix: bytes) -> int:
    """The word length of a complete prefix (as many bytes as `prefix_size` says)."""
    size = prefix_size(prefix[0])
    if len(prefix) != size:
        raise ProtocolError(f"length prefix of {len(prefix)} bytes, expected {size}")
    if size == 5:
        return int.from_bytes(prefix[1:], "big")
    value = int.from_bytes(prefix, "big")
    # Strip the marker bits: the top `size` bits of the prefix (a 1-byte prefix has just the 0).
    return value & ((1 << (8 * size - size)) - 1)


def encode_word(word: str) -> bytes:
    data = word.encode("utf-8", _ERRORS)
    return encode_length(len(data)) + data


def encode_sentence(words: Iterable[str]) -> bytes:
    return b"".join(encode_word(word) for word in words) + b"\x00"


def decode_word(data: bytes) -> str:
    return data.decode("utf-8", _ERRORS)


class SentenceDecoder:
    """Incremental decoder: feed it bytes as they arrive in any chunking, take whole sentences."""

    def __init__(self) -> None:
        self._buffer = bytearray()
        self._words: list[str] = []

    def feed(self, data: bytes) -> list[list[str]]:
        self._buffer.extend(data)
        sentences: list[list[str]] = []
        while (word := self._next_word()) is not None:
            if word == "":
                sentences.append(self._words)
                self._words = []
            else:
                self._words.append(word)
        return sentences

    @property
    def pending(self) -> bool:
        """Whether part of a sentence has been fed but not completed."""
        return bool(self._buffer) or bool(self._words)

    def _next_word(self) -> str | None:
        if not self._buffer:
            return None
        size = prefix_size(self._buffer[0])
        if len(self._buffer) < size:
            return None
        length = decode_length(bytes(self._buffer[:size]))
        if len(self._buffer) < size + length:
            return None
        word = decode_word(bytes(self._buffer[size : size + length]))
        del self._buffer[: size + length]
        return word


async def read_word(reader: asyncio.StreamReader) -> str:
    """One word from the stream; `asyncio.IncompleteReadError` when the peer closes mid-word."""
    first = await reader.readexactly(1)
    rest = await reader.readexactly(prefix_size(first[0]) - 1)
    length = decode_length(first + rest)
    return decode_word(await reader.readexactly(length)) if length else ""


async def read_sentence(reader: asyncio.StreamReader) -> list[str]:
    """One sentence (its words, without the terminating empty word)."""
    words: list[str] = []
    while word := await read_word(reader):
        words.append(word)
    return words
