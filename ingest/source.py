"""Decode a text document's bytes, refusing binary, empty and mis-encoded files."""

from __future__ import annotations

from ingest.errors import IngestError


def decode(path: str, data: bytes) -> str:
    """Decode a document's bytes as UTF-8 text, or raise IngestError naming the line.

    >>> decode("x.txt", b"Aim\\nText")
    'Aim\\nText'
    >>> decode("x.txt", b"ok\\n\\xff")
    Traceback (most recent call last):
    ...
    ingest.errors.IngestError: x.txt:2: not UTF-8 text (byte 0xff at column 1); save the file as UTF-8
    """
    if not data.strip():
        raise IngestError(path, "the file is empty")
    if b"\x00" in data[:8192]:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        raise IngestError(path, "binary file (contains NUL bytes); expected plain text", line)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        bad = data[error.start]
        raise IngestError(
            path, f"not UTF-8 text (byte 0x{bad:02x} at column {column}); save the file as UTF-8", line
        ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")
