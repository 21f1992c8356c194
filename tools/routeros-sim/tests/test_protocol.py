"""The word/sentence codec: prefix sizes at every boundary, and the round trip of any sentence
(docs/properties.md, Property 32)."""

from __future__ import annotations

import asyncio

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from routeros_sim.protocol import (
    ProtocolError,
    SentenceDecoder,
    decode_length,
    encode_length,
    encode_sentence,
    prefix_size,
    read_sentence,
)

# (largest length of a prefix size, that size); the next length needs one byte more.
BOUNDARIES = [(0x7F, 1), (0x3FFF, 2), (0x1FFFFF, 3), (0xFFFFFFF, 4)]


@pytest.mark.parametrize(("last", "size"), BOUNDARIES)
def test_prefix_grows_by_one_byte_at_each_boundary(last: int, size: int) -> None:
    assert len(encode_length(last)) == size
    assert len(encode_length(last + 1)) == size + 1
    for length in (last, last + 1):
        prefix = encode_length(length)
        assert prefix_size(prefix[0]) == len(prefix)
        assert decode_length(prefix) == length


def test_known_encodings() -> None:
    assert encode_length(0) == b"\x00"
    assert encode_length(0x80) == b"\x80\x80"
    assert encode_length(0x4000) == b"\xc0\x40\x00"
    assert encode_length(0x200000) == b"\xe0\x20\x00\x00"
    assert encode_length(0x10000000) == b"\xf0\x10\x00\x00\x00"


def test_control_bytes_are_rejected() -> None:
    with pytest.raises(ProtocolError):
        prefix_size(0xF8)


def test_length_counts_utf8_bytes_not_characters() -> None:
    assert encode_sentence(["é"]) == b"\x02\xc3\xa9\x00"


# Lengths on both sides of every prefix boundary up to 0x200000 bytes. The 0x10000000 boundary
# would need a 256 MB word; the encoder's prefix for it is checked above instead.
BOUNDARY_LENGTHS = [0x7F, 0x80, 0x3FFF, 0x4000, 0x1FFFFF, 0x200000]

# Characters of 1, 2, 3 and 4 UTF-8 bytes, so byte and character lengths differ.
MULTIBYTE = st.sampled_from(["a", "=", "é", "ñ", "€", "中", "😀"])


@st.composite
def word_of_byte_length(draw: st.DrawFn) -> str:
    """A word whose UTF-8 encoding is exactly a boundary length, ending in non-ASCII text."""
    length = draw(st.sampled_from(BOUNDARY_LENGTHS))
    tail = draw(st.text(MULTIBYTE, max_size=4))
    tail_bytes = len(tail.encode())
    if tail_bytes >= length:
        tail = ""
        tail_bytes = 0
    return "x" * (length - tail_bytes) + tail


WORDS = st.one_of(
    st.text(min_size=1, max_size=40),
    st.text(MULTIBYTE, min_size=1, max_size=300),
    st.text(min_size=1, max_size=600),
    word_of_byte_length(),
)
SENTENCES = st.lists(WORDS, min_size=1, max_size=5)


def _chunks(data: bytes, sizes: list[int]) -> list[bytes]:
    """Split `data` by the drawn sizes in turn; a multi-megabyte word is cut in at most ~64
    pieces (bigger pieces), so the test stays fast while small data still gets 1-byte chunks."""
    floor = len(data) // 64
    chunks, position, index = [], 0, 0
    while position < len(data):
        size = max(sizes[index % len(sizes)], floor)
        chunks.append(data[position : position + size])
        position += size
        index += 1
    return chunks


# Feature: isp-management-system, Property 32: Wire protocol (docs/properties.md)
@settings(max_examples=150, deadline=None)
@given(
    sentences=st.lists(SENTENCES, min_size=1, max_size=3),
    sizes=st.lists(st.integers(1, 300), min_size=1, max_size=8),
)
def test_property_32_sentences_round_trip_in_any_chunking(
    sentences: list[list[str]], sizes: list[int]
) -> None:
    data = b"".join(encode_sentence(sentence) for sentence in sentences)
    # Every word is followed by its own length prefix and the sentence by one zero byte.
    for sentence in sentences:
        assert len(encode_sentence(sentence)) == 1 + sum(
            len(encode_length(len(w.encode()))) + len(w.encode()) for w in sentence
        )

    decoder = SentenceDecoder()
    decoded: list[list[str]] = []
    for chunk in _chunks(data, sizes):
        decoded.extend(decoder.feed(chunk))
    assert decoded == sentences
    assert not decoder.pending

    async def from_stream() -> list[list[str]]:
        reader = asyncio.StreamReader()
        for chunk in _chunks(data, sizes):
            reader.feed_data(chunk)
        reader.feed_eof()
        return [await read_sentence(reader) for _ in sentences]

    assert asyncio.run(from_stream()) == sentences
