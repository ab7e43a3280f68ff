"""Format readers: recognise a file's format from its content and read it into blocks.

`.txt`/`.md` are read here; `.html`, `.docx` and `.pdf` by their readers in bounded worker
processes (`isolated`). The format comes from the bytes, not the name: a PDF named `.txt` is
read as a PDF, and the report says so.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from ingest.blocks import Document, render
from ingest.errors import IngestError
from ingest.formats.isolated import Job, ReadLimits, read_bounded, read_isolated, too_large
from ingest.formats.plain import read_plain
from ingest.source import decode

#: File name endings taken when a folder is given, and the format each name suggests.
SUFFIXES = {".txt": "text", ".text": "text", ".tsv": "text", ".md": "markdown", ".markdown": "markdown",
            ".html": "html", ".htm": "html", ".xhtml": "html", ".docx": "docx", ".pdf": "pdf"}
#: Formats whose files are archives or binary: a file named so that holds text is refused, not read as text.
_BINARY_NAMES = {"docx": "a Word .docx file (a zip archive)", "pdf": "a PDF (no %PDF- header)"}
_HTML_START = re.compile(rb"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|title|h[1-6]|div|p|"
                         rb"table|dl|ul|ol|section|article|main|header|nav|center|font|span|b|strong|br)\b",
                         re.IGNORECASE | re.DOTALL)
_HTML_ANYWHERE = re.compile(rb"<(?:html|body)\b[^>]*>", re.IGNORECASE)


def sniff(data: bytes, name: str = "") -> str:
    """Return a file's format (text, markdown, html, docx, pdf, doc) from its first bytes.

    >>> sniff(b"%PDF-1.4 ..."), sniff(b"PK\\x03\\x04..."), sniff(b"<!DOCTYPE html><html>")
    ('pdf', 'docx', 'html')
    >>> sniff(b"ATLAS\\nThe aim <p>was</p>", "atlas.txt"), sniff(b"# ATLAS", "atlas.md")
    ('text', 'markdown')
    """
    head = data[:4096]
    if b"%PDF-" in data[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "docx"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "doc"
    text = head.lstrip(b"\xef\xbb\xbf")
    if _HTML_START.match(text) or _HTML_ANYWHERE.search(text):
        return "html"
    return "markdown" if Path(name).suffix.lower() in (".md", ".markdown") else "text"


def _local(path: Path, data: bytes, fmt: str) -> Document:
    """Read a text or Markdown file in this process: its own text, its own line numbers."""
    text = decode(str(path), data)
    return Document(str(path), fmt, read_plain(text, markdown=fmt == "markdown"), text,
                    hashlib.sha256(data).hexdigest())


def read_documents(paths: Iterable[Path],
                   limits: ReadLimits | None = None) -> Iterator[tuple[Path, Document | IngestError]]:
    """Read files into Documents; yield each (path, Document or the IngestError saying why not).

    Text is read at once; other formats are read by bounded workers at the end, which open the
    files themselves: this process holds only the first bytes it needs to tell a file's format.
    """
    limits = limits or ReadLimits()
    jobs: list[Job] = []
    held: list[tuple[Path, str]] = []
    for path in paths:
        try:
            head = _read_head(path, limits)
            fmt = sniff(head, path.name)
            if fmt == "doc":
                raise IngestError(str(path), "an old binary Word file (.doc): save it as .docx or .txt")
            named = SUFFIXES.get(path.suffix.lower())
            if named in _BINARY_NAMES and fmt in ("text", "markdown"):
                raise IngestError(str(path), f"named {path.suffix} but it is not {_BINARY_NAMES[named]} "
                                             f"(its first bytes are {head[:8]!r})")
            if fmt in ("text", "markdown"):
                yield path, _local(path, read_bounded(path, limits.max_bytes), fmt)
                continue
        except IngestError as error:
            yield path, error
            continue
        jobs.append(Job(str(path), fmt, limits.max_bytes))
        held.append((path, fmt))
    for index, answer in read_isolated(jobs, limits):
        path, fmt = held[index]
        if isinstance(answer, IngestError):
            yield path, answer
            continue
        parsed, sha = answer
        blocks, text = render(parsed)
        document = Document(str(path), fmt, blocks, text, sha)
        suggested = SUFFIXES.get(path.suffix.lower())
        if suggested and suggested != fmt:
            document.notes.append(f"named {path.suffix} but its content is {fmt}")
        yield path, document


def _read_head(path: Path, limits: ReadLimits) -> bytes:
    """Check a file is a regular file within the size limit, and return its first 4 KB (for `sniff`)."""
    try:
        if not path.is_file():
            raise IngestError(str(path), "not a regular file (a device, pipe or folder): nothing to read")
        size = path.stat().st_size
        if size > limits.max_bytes:
            raise too_large(path, f"{size / 1024 / 1024:.0f}", limits.max_bytes)
        with path.open("rb") as file:
            return file.read(4096)
    except OSError as error:
        raise IngestError(str(path), f"cannot read the file ({error.strerror or error})") from None
