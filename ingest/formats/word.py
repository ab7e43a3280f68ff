"""Read a Word document (.docx) into blocks with python-docx: styles, lists and real tables.

Paragraph styles give the structure (`Title`, `Heading n`, `List ...` or numbered paragraphs,
`Caption`; a short all-bold paragraph reads as a heading). Tables are read row by row from their
cells: a cell spanning columns fills the first of them, a cell merged down repeats the text of
the cell it continues (it belongs to both rows), rows marked to repeat as headers say so, and
a cell's paragraphs are kept as lines. The archive is checked before it is opened, so a zip bomb
or a file that is not a .docx is refused with its reason.
"""

from __future__ import annotations

import contextlib
import io
import zipfile

import docx
from docx.oxml.ns import qn

from ingest.blocks import Block, TableRow
from ingest.errors import IngestError

#: Largest total size the archive may expand to (bytes): a real .docx of text is a few MB.
MAX_EXPANDED = 200 * 1024 * 1024
#: Largest expansion of one member (uncompressed / compressed) past 1 MB: XML of text packs ~10:1.
MAX_RATIO = 400
_P, _TBL, _SDT, _TR, _TC = qn("w:p"), qn("w:tbl"), qn("w:sdt"), qn("w:tr"), qn("w:tc")
_T, _TAB, _BR, _CR = qn("w:t"), qn("w:tab"), qn("w:br"), qn("w:cr")


def check_archive(path: str, data: bytes) -> None:
    """Refuse data that is not a .docx archive, or that would expand too far when opened."""
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise IngestError(path, "an old binary Word file (.doc), not a .docx: save it as .docx")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        raise IngestError(path, f"not a Word .docx file: the zip archive cannot be read ({error})") from None
    if "word/document.xml" not in archive.namelist():
        raise IngestError(path, "a zip archive without word/document.xml: not a Word .docx file")
    total = sum(member.file_size for member in members)
    if total > MAX_EXPANDED:
        raise IngestError(path, f"the .docx would expand to {total // (1024 * 1024)} MB (at most "
                                f"{MAX_EXPANDED // (1024 * 1024)} MB): refused as a possible zip bomb")
    for member in members:
        ratio = member.file_size // max(member.compress_size, 1)
        if member.file_size > 1024 * 1024 and ratio > MAX_RATIO:
            raise IngestError(path, f"{member.filename} in the .docx expands {ratio} times: refused as a possible "
                                    "zip bomb")


def read_docx(path: str, data: bytes) -> list[Block]:
    """Read a .docx file's bytes into blocks (IngestError if it is not a readable .docx)."""
    check_archive(path, data)
    try:
        document = docx.Document(io.BytesIO(data))
    except MemoryError:
        raise
    except Exception as error:  # python-docx raises many kinds on a damaged package
        raise IngestError(path, f"not a readable Word .docx file ({type(error).__name__}: {error})") from None
    blocks: list[Block] = []
    _read_body(document, document.element.body, blocks)
    return blocks


def _read_body(document: docx.document.Document, element: object, blocks: list[Block]) -> None:
    for child in element.iterchildren():  # type: ignore[attr-defined]
        if child.tag == _P:
            block = _paragraph(docx.text.paragraph.Paragraph(child, document))
            if block is not None:
                blocks.append(block)
        elif child.tag == _TBL:
            rows = _table_rows(child)
            if rows:
                blocks.append(Block("table", rows=tuple(rows)))
        elif child.tag == _SDT:
            content = child.find(qn("w:sdtContent"))
            if content is not None:
                _read_body(document, content, blocks)


def _paragraph(paragraph: docx.text.paragraph.Paragraph) -> Block | None:
    """Return a paragraph as a block by its style, or None if it holds no text."""
    text = " ".join(paragraph_text(paragraph._p).split())
    if not text:
        return None
    style = (paragraph.style.name if paragraph.style is not None else "") or ""
    lowered = style.lower()
    numbered = paragraph._p.pPr is not None and paragraph._p.pPr.numPr is not None
    if lowered == "title":
        return Block("title", text, level=1)
    if lowered.startswith("heading"):
        digits = "".join(ch for ch in lowered if ch.isdigit())
        return Block("heading", text, level=int(digits) if digits else 2)
    if lowered.startswith("list") or numbered:
        level = 1
        ilvl = paragraph._p.pPr.numPr.ilvl if numbered else None
        with contextlib.suppress(TypeError, ValueError):  # a damaged list level is level 1
            level += min(int(ilvl.val), 8) if ilvl is not None else 0
        return Block("item", text, level=level)
    if lowered == "caption":
        return Block("caption", text)
    runs = [run for run in paragraph.runs if run.text.strip()]
    if runs and all(run.bold for run in runs) and len(text.split()) <= 10 and not text.endswith("."):
        return Block("heading", text, level=3)
    return Block("paragraph", text)


def _table_rows(table: object) -> list[TableRow]:
    """Read a table's rows from its cells, resolving horizontal and vertical merges."""
    rows: list[TableRow] = []
    above: dict[int, str] = {}
    for tr in table.iterchildren(_TR):  # type: ignore[attr-defined]
        properties = tr.find(qn("w:trPr"))
        header = properties is not None and properties.find(qn("w:tblHeader")) is not None
        texts: list[str] = []
        for tc in tr.iterchildren(_TC):
            cell_properties = tc.find(qn("w:tcPr"))
            span, merge = 1, None
            if cell_properties is not None:
                grid_span = cell_properties.find(qn("w:gridSpan"))
                if grid_span is not None and str(grid_span.get(qn("w:val"), "1")).isdigit():
                    span = min(int(grid_span.get(qn("w:val"))), 50)
                v_merge = cell_properties.find(qn("w:vMerge"))
                if v_merge is not None:
                    merge = v_merge.get(qn("w:val"), "continue")
            column = len(texts)
            text = above.get(column, "") if merge == "continue" else _cell_text(tc)
            above[column] = text
            texts.extend([text] + [""] * (span - 1))
        if texts:
            rows.append(TableRow(tuple(texts), header=header))
    return rows


def paragraph_text(p: object) -> str:
    """Return a paragraph's text: its runs wherever they sit (inserted changes, fields, smart tags),
    tabs as spaces, line breaks as newlines; deleted text (`w:delText`) is not text."""
    parts = []
    for node in p.iter(_T, _TAB, _BR, _CR):  # type: ignore[attr-defined]
        parts.append(node.text or "" if node.tag == _T else " " if node.tag == _TAB else "\n")
    return "".join(parts)


def _cell_text(tc: object) -> str:
    """Return a cell's paragraphs (and those of tables inside it) as lines."""
    lines = []
    for paragraph in tc.iter(_P):  # type: ignore[attr-defined]
        lines.extend(line.strip() for line in paragraph_text(paragraph).split("\n") if line.strip())
    return "\n".join(lines)
