"""The format readers that need a third-party parser, by format name (loaded in parsing workers)."""

from __future__ import annotations

from collections.abc import Callable

from ingest.blocks import Block
from ingest.formats.html_page import read_html
from ingest.formats.pdf import read_pdf
from ingest.formats.word import read_docx

#: Format name -> reader of a file's bytes into blocks.
BINARY_READERS: dict[str, Callable[[str, bytes], list[Block]]] = {
    "html": read_html,
    "docx": read_docx,
    "pdf": read_pdf,
}
