"""The format readers on small documents made for each case: what structure each one keeps."""

from __future__ import annotations

import io
from pathlib import Path

import docx
import pytest

from ingest.blocks import Block
from ingest.formats import read_documents
from ingest.formats.html_page import decode_html, read_html
from ingest.formats.word import read_docx
from ingest.pipeline import ingest_paths
from ingest.summary_reader import read_summary


def kinds(blocks: list[Block]) -> list[tuple[str, str]]:
    return [(b.kind, b.label + "=" + b.text if b.label else b.text) for b in blocks if b.kind != "table"]


def test_html_site_around_the_content_is_left_out() -> None:
    page = (b"<html><head><title>ATLAS | GB EQUAL</title><script>var x = 'Theme B';</script></head><body>"
            b"<div id='header'><p class='sitename'>GB EQUAL</p><form><input name=q></form></div>"
            b"<ul id='nav'><li><a href='/'>Home</a></li></ul><p class='breadcrumb'>Home &gt; DPs</p>"
            b"<h1>ATLAS</h1><p>The aim was to help.<br>Second line</p><ul><li>one<li>two</ul>"
            b"<div id='footer'>Funded by the Department for Work and Pensions</div></body></html>")
    assert kinds(read_html("p.html", page)) == [  # the <title> (before its site name) leads, for a fallback
        ("paragraph", "ATLAS"), ("title", "ATLAS"), ("paragraph", "The aim was to help."),
        ("paragraph", "Second line"), ("item", "one"), ("item", "two")]


def test_html_title_element_names_a_page_without_headings() -> None:
    blocks = read_html("p.html", b"<html><head><title>ATLAS | GB EQUAL</title></head><body><p>Text.</p></body>")
    assert kinds(blocks)[0] == ("title", "ATLAS")
    about = read_html("p.html", b"<title>ATLAS - Asylum Training | GB EQUAL</title><h1>About us</h1><p>Text.</p>")
    assert kinds(about)[:2] == [("paragraph", "ATLAS - Asylum Training"), ("title", "About us")]


def test_html_banner_h1_then_the_dp_in_h2() -> None:
    blocks = read_html("p.html", b"<h1>EQUAL in the North West</h1><h2>WORKWAYS</h2><p>We helped.</p>")
    assert kinds(blocks)[:2] == [("title", "WORKWAYS"), ("paragraph", "We helped.")]


def test_a_page_whose_heading_only_says_what_it_is_is_named_by_its_title_element(tmp_path: Path) -> None:
    page = tmp_path / "about.html"
    page.write_bytes(b"<title>ATLAS - Asylum Training | GB EQUAL</title><h1>About the partnership</h1>"
                     b"<p>ATLAS set out to help refugee teachers back into schools.</p><p>Round: 2</p>")
    [reading] = ingest_paths(None, [page]).readings
    assert (reading.dp, reading.aliases) == ("ATLAS", ["Asylum Training"])


def test_html_tables_keep_spans_and_a_layout_table_is_a_container() -> None:
    blocks = read_html("t.html", b"<table><tr><th>WHAT</th><th>WHO</th></tr><tr><td colspan=2>1. Area</td></tr>"
                                 b"<tr><td>a</td><td rowspan=2>DTI</td></tr><tr><td>b</td></tr></table>")
    assert [row.cells for row in blocks[0].rows] == [("WHAT", "WHO"), ("1. Area", ""), ("a", "DTI"), ("b", "DTI")]
    assert blocks[0].rows[0].header
    layout = read_html("l.html", b"<table><tr><td id=leftnav>Menu</td><td><h1>ATLAS</h1><p>Text.</p></td></tr></table>")
    assert kinds(layout) == [("title", "ATLAS"), ("paragraph", "Text.")]


def test_html_definition_lists_are_fields() -> None:
    blocks = read_html("d.html", b"<dl><div><dt>Round</dt><dd>2</dd></div><dt>Members</dt><dd>A<br>B</dd></dl>")
    assert [(b.label, b.text) for b in blocks] == [("Round", "2"), ("Members", "A\nB")]


def test_html_tag_soup_that_never_closes_is_read_flat() -> None:
    soup = b"<P>" + b"<FONT>word " * 600 + b"<P>end<LI>item"
    blocks = read_html("s.html", soup)
    assert blocks[-2:] == [Block("paragraph", "end"), Block("item", "item", level=1)]


@pytest.mark.parametrize(("declared", "data", "text"), [
    (b"windows-1252", "\u201cquoted\u201d \u00a33".encode("cp1252"), "\u201cquoted\u201d \u00a33"),
    (b"iso-8859-1", "\u2013".encode("cp1252"), "\u2013"),  # browsers read latin-1 as windows-1252
    (b"utf-8", "\u2019".encode(), "\u2019"),
])
def test_html_encodings_by_declaration(declared: bytes, data: bytes, text: str) -> None:
    page = b'<meta http-equiv="Content-Type" content="text/html; charset=' + declared + b'"><p>' + data
    assert text in decode_html("p.html", page)


def word_file(build) -> bytes:  # type: ignore[no-untyped-def]
    document = docx.Document()
    build(document)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_word_styles_and_a_field_table() -> None:
    def build(d):  # type: ignore[no-untyped-def]
        d.add_paragraph("RIVERSIDE - Routes Into Vocational Education", style="Title")
        table = d.add_table(rows=2, cols=2)
        table.cell(0, 0).text, table.cell(0, 1).text = "Round", "2"
        table.cell(1, 0).text = "Members"
        table.cell(1, 1).paragraphs[0].add_run("Riverside Trust").add_break()
        table.cell(1, 1).paragraphs[0].add_run("Hull College")
        d.add_heading("Objectives", level=2)
        d.add_paragraph("to train", style="List Bullet")

    blocks = read_docx("w.docx", word_file(build))
    assert kinds(blocks) == [("title", "RIVERSIDE - Routes Into Vocational Education"), ("heading", "Objectives"),
                             ("item", "to train")]
    table = next(b for b in blocks if b.kind == "table")
    assert [row.cells for row in table.rows] == [("Round", "2"), ("Members", "Riverside Trust\nHull College")]


def test_word_merged_cells() -> None:
    def build(d):  # type: ignore[no-untyped-def]
        table = d.add_table(rows=3, cols=3)
        for i, name in enumerate(("WHAT", "WHO", "WHEN")):
            table.cell(0, i).text = name
        table.cell(1, 0).merge(table.cell(1, 2)).text = "1. Area"
        table.cell(2, 0).text = "offer"
        table.cell(2, 1).text = "DTI"
        table.cell(2, 2).text = "2005"

    [table] = [b for b in read_docx("m.docx", word_file(build)) if b.kind == "table"]
    assert [row.cells for row in table.rows][1:] == [("1. Area", "", ""), ("offer", "DTI", "2005")]


def test_a_page_of_fields_only_is_read(tmp_path: Path) -> None:
    (tmp_path / "a.html").write_bytes(b"<dl><dt>DP name</dt><dd>ATLAS</dd><dt>Round</dt><dd>2</dd></dl>")
    result = ingest_paths(None, [tmp_path])
    assert result.ok and [(r.dp, r.name_source, r.round) for r in result.readings] == [("ATLAS", "field", 2)]


def test_a_heading_over_a_list_is_not_a_tab_label() -> None:
    summary = read_summary("a.txt", "ATLAS\nObjectives\n- to train\n- to place\nBackground\nNo work.\n")
    assert summary.objectives == ["to train", "to place"]


def test_documents_are_built_in_the_order_given(tmp_path: Path) -> None:
    big, small = tmp_path / "a_big.html", tmp_path / "b_small.html"
    big.write_bytes(b"<h1>HARBOUR</h1><p>Theme: A</p><p>The aim of the Partnership was to help.</p>"
                    + b"<p>More text about the work.</p>" * 20000)
    small.write_bytes(b"<h1>HARBOUR</h1><p>Theme: F</p><p>The aim of the Partnership was to help.</p>")
    readings = ingest_paths(None, [big, small]).readings
    assert [Path(r.file).name for r in readings] == ["a_big.html", "b_small.html"]
    assert any("dp/harbour-f" in w for w in readings[1].warnings)


def test_a_device_or_pipe_is_not_read(tmp_path: Path) -> None:
    [(_path, answer)] = list(read_documents([Path("/dev/zero")]))
    assert "not a regular file" in str(answer)
