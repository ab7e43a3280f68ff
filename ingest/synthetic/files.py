"""Write generated documents in the formats real ones come in: saved web pages, Word documents and PDFs.

The synthetic corpus describes each document as a list of `ingest.blocks.Block`s; these writers turn
the blocks into the bytes of an .html or .docx file (`generate_pdf` writes PDFs), with the layouts
and quirks of the period (site templates, tag soup, windows-1252 pages, repeated and merged Word
table rows). They are written from the formats themselves, without any
reader's code, so reading them back tests the readers rather than mirrors them.
"""

from __future__ import annotations

import html
import io
import random
import re
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import groupby
from typing import Any

import docx
from docx.document import Document as WordDocument
from docx.oxml import OxmlElement
from docx.shared import Pt

from ingest.blocks import Block, TableRow

#: A numbered section row's first cell ("1. Area"); the row's other cells are empty.
NUMBERED = re.compile(r"\s*\d+[.)]?\s")
FUNDERS = ("the Department for Work and Pensions", "the European Social Fund",
           "the European Social Fund and the Department for Work and Pensions")
MENU = ("Home", "About EQUAL", "Development Partnerships", "Themes", "Publications", "News", "Contact us")
ENTITIES = {"\u2019": "&rsquo;", "\u2018": "&lsquo;", "\u201c": "&ldquo;", "\u201d": "&rdquo;",
            "\u2013": "&ndash;", "\u2014": "&mdash;", "\u00a3": "&pound;"}
HTML4 = '<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN" "http://www.w3.org/TR/html4/loose.dtd">'
ZIP_DATE = (2005, 1, 1, 0, 0, 0)


def area_row(row: TableRow) -> bool:
    """Tell whether a row is a numbered section row ('1. Area', other cells empty), which may span the table."""
    return len(row.cells) > 1 and bool(NUMBERED.match(row.cells[0])) and not any(c.strip() for c in row.cells[1:])


def title_of(blocks: list[Block], default: str) -> str:
    """Return the document's title text on one line (for <title>, core properties, PDF info)."""
    return " ".join(next((b.text for b in blocks if b.kind == "title"), default).split())


def top_heading(blocks: list[Block]) -> int:
    """Return the largest heading level used (its smallest number), so deeper headings can be set smaller."""
    return min((b.level for b in blocks if b.kind == "heading"), default=1)


# --- HTML ---------------------------------------------------------------------------------------------------

@dataclass
class _HtmlStyle:
    """The per-page choices of how a page writes its blocks."""

    entities: bool
    fields: str  # "th", "label" or "dl"
    cells: str  # "p" or "br" between a cell's paragraphs
    span: bool  # numbered section rows as one colspan cell
    nbsp: bool  # empty cells as &nbsp;
    caption: str  # "img" or "small"


def _esc(text: str, style: _HtmlStyle) -> str:
    """Escape text for HTML (lines joined by <br>), writing typographic characters as entities if the page does."""
    out = html.escape(text, quote=False).replace("\n", "<br>")
    for char, entity in ENTITIES.items() if style.entities else ():
        out = out.replace(char, entity)
    return out


def _html_list(items: list[Block], style: _HtmlStyle) -> str:
    """Write consecutive items as one <ul>, nesting a sub-list inside the previous <li> for a deeper item."""
    base = min(b.level for b in items)
    out, depth = ["<ul>"], 0
    for i, item in enumerate(items):
        level = min(item.level - base, depth + 1) if i else 0
        if i and level > depth:
            out.append("<ul>")
        elif i:
            out.append("</li>")
            for _ in range(depth - level):
                out.append("</ul></li>")
        depth = level
        out.append(f"<li>{_esc(item.text, style)}")
    out.append("</li>" + "</ul></li>" * depth + "</ul>")
    return "\n".join(out)


def _html_fields(fields: list[Block], style: _HtmlStyle) -> str:
    """Write consecutive fields as a two-column table (<th scope="row"> or <td class="label">) or a <dl>."""
    if style.fields == "dl":
        pairs = "".join(f"<dt>{_esc(f.label, style)}</dt><dd>{_esc(f.text, style)}</dd>\n" for f in fields)
        return f'<dl class="details">\n{pairs}</dl>'
    label = '<th scope="row">{}</th>' if style.fields == "th" else '<td class="label">{}</td>'
    rows = "".join(f"<tr>{label.format(_esc(f.label, style))}<td>{_esc(f.text, style)}</td></tr>\n" for f in fields)
    return f'<table class="details" cellspacing="0" cellpadding="3">\n{rows}</table>'


def _html_cell(text: str, tag: str, style: _HtmlStyle) -> str:
    """Write one table cell, its paragraphs as <p>s or joined by <br>."""
    parts = [part for part in text.split("\n") if part.strip()]
    if not parts:
        return f"<{tag}>{'&nbsp;' if style.nbsp else ''}</{tag}>"
    if style.cells == "p" and len(parts) > 1:
        return f"<{tag}>" + "".join(f"<p>{_esc(p, style)}</p>" for p in parts) + f"</{tag}>"
    return f"<{tag}>" + "<br>".join(_esc(p, style) for p in parts) + f"</{tag}>"


def _html_table(block: Block, style: _HtmlStyle) -> str:
    """Write a table: leading header rows in <thead> as <th>, the rest in <tbody>."""
    width = max((len(r.cells) for r in block.rows), default=1)
    lead = next((i for i, r in enumerate(block.rows) if not r.header), len(block.rows))
    out = ['<table border="1" cellspacing="0" cellpadding="4" class="data">']
    for i, row in enumerate(block.rows):
        if i == 0 and lead:
            out.append("<thead>")
        if i == lead:
            out.append("<tbody>")
        if style.span and area_row(row):
            out.append(f'<tr><td colspan="{width}"><strong>{_esc(row.cells[0], style)}</strong></td></tr>')
        else:
            tag = "th" if row.header else "td"
            cells = list(row.cells) + [""] * (width - len(row.cells))
            out.append("<tr>" + "".join(_html_cell(c, tag, style) for c in cells) + "</tr>")
        if i == lead - 1:
            out.append("</thead>")
    out.append("</tbody></table>" if lead < len(block.rows) else "</table>")
    return "\n".join(out)


def _html_content(blocks: list[Block], style: _HtmlStyle, title_tag: str) -> str:
    """Write the page's content from its blocks, grouping consecutive items and fields."""
    top, out = top_heading(blocks), []
    for kind, group in groupby(blocks, key=lambda b: b.kind):
        run = list(group)
        if kind in ("item", "field"):
            out.append(_html_list(run, style) if kind == "item" else _html_fields(run, style))
            continue
        for b in run:
            if kind == "title":
                out.append(f"<{title_tag}>{_esc(b.text, style)}</{title_tag}>")
            elif kind == "heading":
                tag = "h3" if b.level <= top else "h4"
                out.append(f"<{tag}>{_esc(b.text, style)}</{tag}>")
            elif kind == "paragraph":
                out.append(f"<p>{_esc(b.text, style)}</p>")
            elif kind == "caption" and style.caption == "img":
                out.append(f'<p><img src="images/photo.jpg" alt="" width="200" height="150"></p>\n'
                           f'<p class="caption">{_esc(b.text, style)}</p>')
            elif kind == "caption":
                out.append(f'<p class="caption"><small>{_esc(b.text, style)}</small></p>')
            elif kind == "table":
                out.append(_html_table(b, style))
    return "\n".join(out)


def html_bytes(blocks: list[Block], rng: random.Random, site: str = "GB EQUAL") -> bytes:
    """Write blocks as a saved 2000s web page in one of three site templates, UTF-8 or windows-1252."""
    template = rng.choice(("div", "table", "html5"))
    style = _HtmlStyle(entities=rng.random() < 0.4, fields=rng.choice(("th", "label", "dl")),
                       cells=rng.choice(("p", "br")), span=rng.random() < 0.3, nbsp=template == "table",
                       caption=rng.choice(("img", "small")))
    cp1252, soup, split = rng.random() < 0.25, rng.random() < 0.15, template == "div" and rng.random() < 0.5
    title, name = _esc(title_of(blocks, site), style), _esc(site, style)
    body = _html_content(blocks, style, "h2" if split else "h1")
    meta = ('<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">' if cp1252
            else '<meta charset="utf-8">')
    head = (f"<head>\n{meta}\n<title>{title} - {name}</title>\n"
            '<link rel="stylesheet" type="text/css" href="/css/main.css">\n</head>')
    menu = "<ul>\n" + "".join(f'<li><a href="/{m.lower().replace(" ", "_")}.htm">{m}</a></li>\n' for m in MENU)
    menu += "</ul>"
    search = ('<form action="/search.asp" method="get"><label for="q">Search</label> '
              '<input type="text" name="q" id="q" size="15"> <input type="submit" value="Go"></form>')
    footer = (f"<p>{name} is funded by {rng.choice(FUNDERS)}.</p>\n<p>&copy; {name} {rng.randint(2002, 2008)} | "
              '<a href="/accessibility.htm">Accessibility</a> | <a href="/privacy.htm">Privacy</a></p>')
    if template == "div":
        brand = f"<h1>{name}</h1>" if split else f'<p class="sitename"><a href="/">{name}</a></p>'
        page = (f'{HTML4}\n<html>\n{head}\n<body>\n<div id="container">\n<div id="header">{brand}\n{search}</div>\n'
                f'<div id="nav">\n{menu}\n</div>\n<div id="breadcrumb"><a href="/">Home</a> &gt; '
                f'<a href="/development_partnerships.htm">Development Partnerships</a> &gt; {title}</div>\n'
                f'<div id="content">\n{body}\n</div>\n<div id="footer">\n{footer}\n</div>\n</div>\n</body>\n</html>\n')
    elif template == "table":
        page = (f'{HTML4}\n<html>\n{head}\n<body bgcolor="#FFFFFF" leftmargin="0" topmargin="0">\n'
                '<table width="760" border="0" cellspacing="0" cellpadding="0">\n<tr><td colspan="2">'
                f'<img src="/images/banner.gif" alt="{name}" width="760" height="80"></td></tr>\n'
                f'<tr><td id="leftnav" width="160" valign="top">\n{menu}\n</td>\n'
                f'<td valign="top" width="600">\n{body}\n</td></tr>\n'
                f'<tr><td colspan="2" class="footer">\n{footer}\n</td></tr>\n</table>\n</body>\n</html>\n')
    else:
        page = (f'<!DOCTYPE html>\n<html lang="en">\n{head}\n<body>\n<header><p class="sitename">{name}</p>\n'
                f'{search}</header>\n<nav>\n{menu}\n</nav>\n<main>\n{body}\n</main>\n'
                f"<footer>\n{footer}\n</footer>\n</body>\n</html>\n")
    if soup:
        page = re.sub(r"</(p|li)>", "", page)
        page = re.sub(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)", lambda m: f"<{m[1]}{m[2].upper()}", page)
    return page.encode("cp1252", errors="xmlcharrefreplace") if cp1252 else page.encode("utf-8")


# --- DOCX ---------------------------------------------------------------------------------------------------

def _fill(cell: Any, text: str, bold: bool) -> None:
    """Write a cell's text, each of its lines as a separate paragraph."""
    for i, part in enumerate(text.split("\n")):
        paragraph = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
        paragraph.add_run(part).bold = bold or None


def _docx_table(doc: WordDocument, block: Block, span: bool) -> None:
    """Write a table: leading header rows repeat on each page, numbered section rows may span the row."""
    width = max((len(r.cells) for r in block.rows), default=1)
    table = doc.add_table(rows=0, cols=width)
    table.style = "Table Grid"
    lead = True
    for row in block.rows:
        cells = table.add_row()
        lead = lead and row.header
        if lead:
            cells._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
        if span and area_row(row) and width > 1:
            _fill(cells.cells[0].merge(cells.cells[-1]), row.cells[0], True)
            continue
        for cell, text in zip(cells.cells, list(row.cells) + [""] * (width - len(row.cells))):
            _fill(cell, text, row.header)


def _restamp(data: bytes) -> bytes:
    """Rewrite a zip with fixed entry dates, so the same document gives the same bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            dst.writestr(zipfile.ZipInfo(info.filename, ZIP_DATE), src.read(info), zipfile.ZIP_DEFLATED)
    return out.getvalue()


def docx_bytes(blocks: list[Block], rng: random.Random) -> bytes:
    """Write blocks as a Word document: styled title, headings, lists and captions, fields and tables as tables."""
    doc = docx.Document()
    styled_title = rng.random() < 0.75
    headings = rng.choices(("styles", "h3", "bold"), weights=(6, 2, 2))[0]
    items = rng.choices(("List Bullet", "List Number", "dash"), weights=(6, 2, 2))[0]
    span, top = rng.random() < 0.5, top_heading(blocks)
    for kind, group in groupby(blocks, key=lambda b: b.kind):
        run = list(group)
        if kind == "field":
            table = doc.add_table(rows=0, cols=2)
            table.style = "Table Grid"
            for f in run:
                cells = table.add_row().cells
                _fill(cells[0], f.label, True)
                _fill(cells[1], f.text, False)
            continue
        base = min(b.level for b in run)
        for b in run:
            if kind == "table":
                _docx_table(doc, b, span)
            elif (kind == "title" and not styled_title) or (kind == "heading" and headings == "bold"):
                doc.add_paragraph().add_run(b.text).bold = True
            elif kind == "title":
                doc.add_paragraph(b.text, "Title")
            elif kind == "heading":
                doc.add_paragraph(b.text, "Heading 3" if headings == "h3" or b.level > top else "Heading 2")
            elif kind == "item" and items == "dash":
                paragraph = doc.add_paragraph("- " + b.text)
                paragraph.paragraph_format.left_indent = Pt(18 * (b.level - base))
            elif kind == "item":
                depth = min(b.level - base, 2)
                doc.add_paragraph(b.text, items + (f" {depth + 1}" if depth else ""))
            else:
                doc.add_paragraph(b.text, "Caption" if kind == "caption" else None)
    props = doc.core_properties
    props.title = title_of(blocks, "")
    props.author = props.last_modified_by = rng.choice(("GB EQUAL Support Unit", "ECOTEC", "DP Co-ordinator"))
    props.created = props.modified = datetime(rng.randint(2002, 2007), rng.randint(1, 12), rng.randint(1, 28),
                                              rng.randint(8, 17), rng.randrange(60), tzinfo=UTC)
    props.revision = 1
    buffer = io.BytesIO()
    doc.save(buffer)
    return _restamp(buffer.getvalue())
