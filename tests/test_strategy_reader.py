"""The strategy reader: every quirk of DESIGN.md section 3, on the sample and on our own tables."""

from __future__ import annotations

import pytest

from ingest.errors import IngestError
from ingest.pipeline import load_gazetteer, sample_corpus
from ingest.strategy_reader import read_strategy
from tests.conftest import DOCUMENTS

LEVELS = load_gazetteer().levels


def read(name: str, folder=DOCUMENTS):
    return read_strategy(name, (folder / name).read_text(encoding="utf-8"), LEVELS)


@pytest.fixture(scope="module")
def sample():
    return read("theme_d_mainstreaming_strategy_2005.txt", sample_corpus())


def names(mentions):
    return [m.text for m in mentions]


def test_title_gives_theme_round_and_year(sample) -> None:
    assert (sample.theme, sample.round, sample.year) == ("D", 2, 2005)
    other = read("theme_a_strategy_2003.txt")
    assert (other.theme, other.round, other.year) == ("A", 1, 2003)


def test_repeated_headers_are_skipped_and_sections_span_page_breaks(sample) -> None:
    assert [(s.number, s.title) for s in sample.sections] == [
        (1, "Trading opportunities - public & private procurement"),
        (2, "Workforce development and training"),
        (3, "Access to finance"),
        (4, "Quality and Impact measurement"),
        (5, "Other"),
    ]
    first = sample.sections[0]
    assert len(first.rows) == 4  # the row after the page break still belongs to section 1
    assert first.rows[-1].cells["WHAT"].text.startswith("Setting up new organisational structure")
    assert not any("WHAT?" in c.text for s in sample.sections for r in s.rows for c in r.cells.values())


def test_header_losing_its_bracket_and_numbering_variants() -> None:
    strategy = read("theme_a_strategy_2003.txt")
    assert strategy.columns == ["WHAT", "WHO", "WHEN", "HOW", "WHY", "DPS"]
    assert [s.number for s in strategy.sections] == [1, 2]  # "1." and "2)"


def test_html_cells_are_cleaned(sample) -> None:
    row = sample.sections[3].rows[0]
    assert row.cells["WHAT"].text.startswith("Measurement -Piloting")
    assert "<p>" not in row.cells["WHO"].text


def test_inline_levels_with_variants(sample) -> None:
    levels = {(m.text, m.level) for m in sample.sections[0].audiences}
    assert ("One North East*", "local-regional") in levels
    assert ("DTI", "national") in levels
    assert ("Social Enterprise Europe", "european") in levels
    quality = {(m.text, m.level) for m in sample.sections[3].audiences}
    assert ("Social accounting network", "local-regional") in quality  # "Local/ regional:"
    practitioner = {(m.text, m.level) for m in sample.sections[1].audiences}
    assert ("Training providers", "practitioner") in practitioner


def test_levels_in_other_wordings() -> None:
    strategy = read("theme_a_strategy_2003.txt")
    levels = {(m.text, m.level) for s in strategy.sections for m in s.audiences}
    assert ("DWP Jobcentre Plus LSC", "national") in levels
    assert ("One NorthEast", "regional") in levels
    assert ("CBI", "national") in levels
    assert ("careers advisers", "practitioner") in levels


def test_page_break_continuation_joins_the_cell_above(sample) -> None:
    other = sample.sections[4]
    joined = [m for m in other.audiences if m.text == "Social Enterprise Support agencies"]
    assert joined and {c.row for c in joined[0].cells} == {14, 15}
    assert joined[0].level == "local-regional"
    assert ("NHS", "national") in {(m.text, m.level) for m in other.audiences}


def test_continuation_in_our_own_table_keeps_level() -> None:
    strategy = read("theme_a_strategy_2003.txt")
    found = {(m.text, m.level) for s in strategy.sections for m in s.audiences}
    assert ("Social Enterprise Support agencies", "regional") in found
    assert ("Sector Skills Councils", "regional") in found


def test_qualifiers_and_lead_markers(sample) -> None:
    finance = {m.text: m for m in sample.sections[2].audiences}
    assert finance["Futurebuilders"].qualifier == "Home Office"
    assert sample.sections[0].audiences[1].lead
    dps = names(sample.sections[4].dps)
    assert dps == ["INSPIRE* Bristol City Council", "Sandwell Borough Council"]


def test_placeholders_are_not_content(sample) -> None:
    assert "WHY" not in sample.sections[0].rows[0].cells  # "To be completed"
    strategy = read("theme_a_strategy_2003.txt")
    assert "WHY" not in strategy.sections[0].rows[0].cells  # "TBC"


def test_curly_quotes_and_dashes_are_plain() -> None:
    strategy = read("theme_a_strategy_2003.txt")
    assert strategy.title == "Equal Round 1 - Theme A Thematic Mainstreaming Strategy 2003"
    assert strategy.sections[0].rows[0].cells["WHEN"].text.startswith('"Welfare reform"')


def test_table_without_header_names_the_line() -> None:
    with pytest.raises(IngestError) as caught:
        read("bad_no_header.txt")
    assert caught.value.line == 3
    assert "no header row" in caught.value.reason
