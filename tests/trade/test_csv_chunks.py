"""Line-aligned chunking: every byte once, exact line numbers, the same hash, seekable or not."""

from __future__ import annotations

import hashlib
import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autarky.errors import FormatError
from autarky.trade._csv import ContentHash, iter_chunks, read_header


class _Pipe(io.RawIOBase):
    """A non-seekable stream (like a zip member)."""

    def __init__(self, data: bytes) -> None:
        self._buf = io.BytesIO(data)

    def readable(self) -> bool:
        return True

    def readinto(self, b: bytearray) -> int:  # type: ignore[override]
        data = self._buf.read(len(b))
        b[: len(data)] = data
        return len(data)


lines_st = st.lists(st.text(alphabet="ab,\r", max_size=40), min_size=0, max_size=60)


@settings(max_examples=60, deadline=None)
@given(lines=lines_st, size=st.integers(min_value=1, max_value=64), seekable=st.booleans())
def test_chunks_cover_the_file_once(lines: list[str], size: int, seekable: bool) -> None:
    data = ("h1,h2\n" + "".join(x + "\n" for x in lines)).encode()
    stream = io.BytesIO(data) if seekable else io.BufferedReader(_Pipe(data))
    h = ContentHash("f.csv")
    _, used = read_header(stream, "f.csv", h)
    chunks = list(iter_chunks(stream, "f.csv", start_offset=used, hasher=h, size=size))
    assert b"".join(c.text for c in chunks) == data[used:]
    line = 2
    for c in chunks:
        assert c.first_line == line and c.lines == c.text.count(b"\n") and c.text.endswith(b"\n")
        line += c.lines
    assert line - 2 == len(lines)
    assert h.hexdigest() == hashlib.sha256(b"f.csv\0" + data + b"\0").hexdigest()
    if chunks:
        assert chunks[-1].offset == len(data)


def test_truncated_last_line_names_its_line() -> None:
    stream = io.BytesIO(b"a,b\n1,2\n3,4\n5,")
    _, used = read_header(stream, "x.csv")
    with pytest.raises(FormatError) as err:
        list(iter_chunks(stream, "x.csv", start_offset=used, size=4))
    assert err.value.line == 4 and err.value.path == "x.csv"


def test_header_problems() -> None:
    with pytest.raises(FormatError, match="empty"):
        read_header(io.BytesIO(b""), "x.csv")
    with pytest.raises(FormatError, match="ends inside its header"):
        read_header(io.BytesIO(b"t,i,j"), "x.csv")
