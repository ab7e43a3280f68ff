"""Bad input stays harmless: hostile or broken .docx, .html and .pdf files are refused within seconds,
in bounded memory, with a reason naming the file, and nothing already stored changes."""

from __future__ import annotations

import io
import time
import zipfile
from pathlib import Path

import pytest

from ingest.formats import read_documents, sniff
from ingest.formats.isolated import ReadLimits
from ingest.pipeline import ingest_paths, sample_corpus
from kg.store.base import Store


def one_page_pdf(content: bytes) -> bytes:
    """Return a one-page PDF whose page draws `content` (a content stream), with a correct xref table."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Courier >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def zip_bomb() -> bytes:
    """Return a .docx-shaped zip whose document.xml expands 20 MB from about 20 KB."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"\0" * (20 * 1024 * 1024))
    return buffer.getvalue()


def read_one(path: Path, limits: ReadLimits | None = None) -> str:
    """Read one file; return the error it gets (the test fails if it is read)."""
    [(_path, answer)] = list(read_documents([path], limits))
    assert not hasattr(answer, "blocks"), f"{path.name} was read"
    return str(answer)


def test_a_docx_that_is_not_a_zip(tmp_path: Path) -> None:
    plain = tmp_path / "notes.docx"
    plain.write_bytes(b"Minutes of the meeting\nnothing else")
    assert "named .docx but it is not a Word .docx file" in read_one(plain)
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"PK\x03\x04" + b"\x00garbage" * 100)
    assert read_one(broken).startswith(f"{broken}: not a Word .docx file")


def test_a_zip_bomb_is_refused_before_it_is_opened(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.docx"
    bomb.write_bytes(zip_bomb())
    started = time.perf_counter()
    message = read_one(bomb)
    assert "expands" in message and "zip bomb" in message
    assert time.perf_counter() - started < 10


def test_a_huge_html_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    huge = tmp_path / "huge.html"
    with huge.open("wb") as file:
        file.write(b"<html><body><p>")
        file.truncate(300 * 1024 * 1024)  # sparse: 300 MB on paper, nothing on disk
    started = time.perf_counter()
    message = read_one(huge)
    assert "300 MB" in message and "KG_MAX_DOCUMENT_MB" in message
    assert time.perf_counter() - started < 2


def test_a_pdf_that_keeps_the_parser_busy_is_stopped(tmp_path: Path) -> None:
    busy = tmp_path / "busy.pdf"
    busy.write_bytes(one_page_pdf(b"BT /F1 1 Tf 1 1 Td (ab) Tj ET\n" * 400_000))
    started = time.perf_counter()
    message = read_one(busy, ReadLimits(timeout=1.0))
    assert "took longer than 1 s and was stopped" in message
    assert time.perf_counter() - started < 15


def test_a_pdf_without_a_text_layer_says_so(tmp_path: Path) -> None:
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(one_page_pdf(b"0 0 m 300 300 l S"))
    assert "no text layer" in read_one(scan)


def test_a_text_pdf_made_by_hand_is_read(tmp_path: Path) -> None:
    page = tmp_path / "atlas.pdf"
    page.write_bytes(one_page_pdf(b"BT /F1 16 Tf 56 780 Td (ATLAS) Tj ET"))
    [(_path, document)] = list(read_documents([page]))
    assert [b.text for b in document.blocks] == ["ATLAS"]


def test_a_page_in_an_unknown_encoding(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_bytes(b'<html><head><meta charset="x-klingon"></head><body><h1>ATLAS</h1></body></html>')
    assert "'x-klingon', which is not a known encoding" in read_one(page)


def test_a_reader_out_of_memory_is_stopped(tmp_path: Path) -> None:
    doc = tmp_path / "shift.docx"
    doc.write_bytes((Path(__file__).parent / "documents" / "formats" / "shift_dp_summary.docx").read_bytes())
    message = read_one(doc, ReadLimits(memory_mb=40))
    assert str(doc) in message and "40 MB" in message


def test_the_format_comes_from_the_content(tmp_path: Path) -> None:
    pdf = one_page_pdf(b"BT /F1 16 Tf 56 780 Td (ATLAS) Tj ET")
    assert sniff(pdf, "atlas.txt") == "pdf"
    misnamed = tmp_path / "atlas.txt"
    misnamed.write_bytes(pdf)
    [(_path, document)] = list(read_documents([misnamed]))
    assert document.format == "pdf" and document.notes == ["named .txt but its content is pdf"]


def test_bad_files_leave_the_store_as_it_was(store: Store, tmp_path: Path) -> None:
    assert ingest_paths(store, [sample_corpus()]).ok
    before = store.count()
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "bomb.docx").write_bytes(zip_bomb())
    (bad / "scan.pdf").write_bytes(one_page_pdf(b"0 0 m 300 300 l S"))
    (bad / "page.html").write_bytes(b'<meta charset="x-klingon"><h1>X</h1>')
    (bad / "notes.docx").write_bytes(b"not a zip")
    result = ingest_paths(store, [bad])
    assert sorted(Path(e.path).name for e in result.errors) == ["bomb.docx", "notes.docx", "page.html", "scan.pdf"]
    assert store.count() == before


@pytest.mark.parametrize("name", ["bomb.docx", "scan.pdf"])
def test_the_cli_names_the_file_and_exits_1(tmp_path: Path, name: str) -> None:
    from click.testing import CliRunner

    from web.cli import main

    path = tmp_path / name
    path.write_bytes(zip_bomb() if name.endswith(".docx") else one_page_pdf(b"0 0 m 1 1 l S"))
    result = CliRunner().invoke(main, ["ingest", "--dry-run", str(path)])
    assert result.exit_code == 1
    assert f"error: {path}: " in result.output
