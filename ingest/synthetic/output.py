"""Write a generated corpus's documents in the forms real ones come in: text, HTML, Word and PDF.

Summaries are written in the classic layout of the sample (headings, the DP named in prose) or as
DP pages (`generate_pages`); strategies as tab-separated text, or as documents with real tables.
Each file's format is drawn from those asked for, by its own random stream, so that a corpus of
text only is the same, byte for byte, as before formats existed.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from pathlib import Path

from ingest.blocks import Block, TableRow
from ingest.synthetic.files import docx_bytes, html_bytes
from ingest.synthetic.pages import Page, blocks_as_text, page_blocks
from ingest.synthetic.pdf import pdf_bytes
from kg.rdf.namespaces import entity_iri

#: The formats `kg generate --formats` knows, and the file name ending of each.
FORMATS = {"txt": ".txt", "html": ".html", "docx": ".docx", "pdf": ".pdf"}
#: Summary layouts: the sample's (headings, names in prose), DP pages, or a mix of both.
LAYOUTS = ("classic", "pages", "mixed")
#: Public bodies a DP page lists among its partners, as written (`{town}` is the DP's town).
PARTNER_BODIES = [("jobcentre-plus", "Jobcentre Plus"), ("lsc", "Learning and Skills Council {town}"),
                  ("connexions", "Connexions {town}")]
_TAG = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class Output:
    """What documents to write: the formats to draw from and the summary layout."""

    formats: tuple[str, ...] = ("txt",)
    layout: str = "classic"

    def __post_init__(self) -> None:
        unknown = [f for f in self.formats if f not in FORMATS]
        if unknown or not self.formats:
            raise ValueError(f"unknown format(s) {', '.join(unknown) or '(none)'}: use {', '.join(FORMATS)}")
        if self.layout not in LAYOUTS:
            raise ValueError(f"unknown layout {self.layout!r}: use {', '.join(LAYOUTS)}")


def file_bytes(blocks: list[Block], fmt: str, rng: random.Random) -> bytes:
    """Write blocks as the bytes of a file in a format (`txt` as a page copied to text)."""
    if fmt == "html":
        return html_bytes(blocks, rng)
    if fmt == "docx":
        return docx_bytes(blocks, rng)
    if fmt == "pdf":
        return pdf_bytes(blocks, rng)
    return blocks_as_text(blocks, rng).encode("utf-8")


def strategy_blocks(text: str) -> list[Block]:
    """Turn a generated strategy's text (prose, then tab-separated rows) into a title, paragraphs and a table."""
    lines = text.split("\n")
    at = next((i for i, line in enumerate(lines) if line.count("\t") >= 2), len(lines))
    prose = [line.strip() for line in lines[:at] if line.strip()]
    blocks = [Block("title" if index == 0 else "paragraph", line) for index, line in enumerate(prose)]
    rows = []
    for line in lines[at:]:
        if not line.strip():
            continue
        cells = tuple(_TAG.sub("\n", cell).strip().replace("\n\n", "\n") for cell in line.split("\t"))
        rows.append(TableRow(cells, header=cells[0].upper().startswith("WHAT")))
    if rows:
        width = max(len(row.cells) for row in rows)
        padded = (TableRow(row.cells + ("",) * (width - len(row.cells)), header=row.header) for row in rows)
        blocks.append(Block("table", rows=tuple(padded)))
    return blocks


def write_strategy(out_dir: Path, file: str, text: str, output: Output, rng: random.Random) -> str:
    """Write a strategy in one of the output formats; return its file name (relative to out_dir)."""
    fmt = rng.choice(output.formats)
    if fmt == "txt":
        data = text.encode("utf-8")
    else:
        file = file.rsplit(".", 1)[0] + FORMATS[fmt]
        data = file_bytes(strategy_blocks(text), fmt, rng)
    (out_dir / file).write_bytes(data)
    return file


def write_page(out_dir: Path, slug: str, name: str, theme: str, round_: int, region: str, town: str,
               mentions: list[str], output: Output, rng: random.Random) -> tuple[str, dict[str, object]]:
    """Write a DP page in one of the output formats; return its file name and its ground truth."""
    body_partners = rng.sample(PARTNER_BODIES, k=rng.randint(1, 2))
    page: Page = page_blocks(rng, name, theme, round_, region, town, mentions,
                             [written.format(town=town) for _slug, written in body_partners])
    fmt = rng.choice(output.formats)
    file = f"summaries/{slug}{FORMATS[fmt]}"
    (out_dir / file).write_bytes(file_bytes(page.blocks, fmt, rng))
    return file, {"layout": "page", "format": fmt, "features": page.layout, "aliases": page.aliases,
                  "theme_stated": page.theme, "partners": page.partners, "lead_partner": page.lead,
                  "people": page.people, "partner_bodies": [str(entity_iri("body", s)) for s, _w in body_partners]}
