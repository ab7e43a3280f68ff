"""The DP summary reader on the sample and on summaries written in other wordings."""

from __future__ import annotations

import pytest

from ingest.errors import IngestError
from ingest.pipeline import sample_corpus
from ingest.summary_reader import detect_dp_name, read_summary
from tests.conftest import DOCUMENTS


def test_sample_summary_sections_and_dp() -> None:
    text = (sample_corpus() / "seem_dp_summary.txt").read_text(encoding="utf-8")
    summary = read_summary("seem_dp_summary.txt", text)
    assert summary.dp_name == "SEEM"
    assert [c.column for c in summary.sections] == [
        "aim", "objectives", "background", "beneficiaries", "outcomes"]
    assert len(summary.objectives) == 10
    assert summary.objectives[0].startswith("developing a common understanding")
    figures = [(o.quantity, o.qualifier, o.period) for o in summary.outcomes if o.quantity]
    assert figures == [(300, "over", "2003-4"), (150, "over", "2003-4")]


def test_other_headings_case_and_order() -> None:
    summary = read_summary("f.txt", (DOCUMENTS / "fair_chance_summary.txt").read_text())
    assert summary.dp_name == "Fair Chance"
    columns = [c.column for c in summary.sections]
    assert columns == ["title", "aim", "objectives", "background", "beneficiaries", "outcomes"]
    assert summary.objectives == [
        "To test intensive personal advice with Jobcentre Plus",
        "To influence the New Deal for Lone Parents",
        "To build links with the Learning and Skills Council",
    ]
    quantities = {(o.quantity, o.unit) for o in summary.outcomes if o.quantity}
    assert (1200, "lone parents took part") in quantities
    assert (80, "employers signed up") in quantities


def test_inline_heading_and_missing_sections() -> None:
    text = "Aims: The Bridges DP trained refugees.\nMain outcomes\nOver 40 refugees qualified."
    summary = read_summary("b.txt", text)
    assert summary.dp_name == "Bridges"
    assert summary.section("aim").text == "The Bridges DP trained refugees."
    assert summary.section("objectives") is None
    assert summary.outcomes[0].quantity == 40


def test_override_names_the_dp() -> None:
    text = (DOCUMENTS / "untitled_summary.txt").read_text()
    assert read_summary("u.txt", text, dp_name="Refugees into Teaching DP").dp_name == "Refugees into Teaching"


@pytest.mark.parametrize("text, reason, line", [
    ("Aim\nTo help people.\n", "no recognisable Development Partnership", 1),
    ("Just a letter\nwith no headings at all.\n", "no recognisable summary heading", 1),
])
def test_unreadable_summaries_name_the_reason(text: str, reason: str, line: int) -> None:
    with pytest.raises(IngestError) as caught:
        read_summary("x.txt", text)
    assert reason in str(caught.value)
    assert caught.value.line == line
    assert str(caught.value).startswith("x.txt:1:")


@pytest.mark.parametrize(("lines", "file_name", "name"), [
    (["The aim of the New Access DP was to test.", "The New Access DP worked in Leeds."], "x", "New Access"),
    (["The partners of the Women into Work DP met.", "The Women into Work DP ended."], "x", "Women into Work"),
    (["Back to Work DP summary", "New ideas: Work DP aimed at change."], "x", "Back to Work"),
    (["This EQUAL DP was funded.", "The aim of the SEEM DP was to test."], "x", "SEEM"),
    (["New Balance DP aimed to help workers."], "new-balance", "New Balance"),
    (["New Balance DP aimed to help workers."], "summary-17", "Balance"),
    (["Equal Impact DP summary", "The aim of the Equal Impact DP was to promote."], "x", "Equal Impact"),
])
def test_dp_names_that_start_like_a_description(lines: list[str], file_name: str, name: str) -> None:
    """`New`, `Equal`, `to` and `into` can be part of a DP's name; the reader keeps them where it can tell."""
    found = detect_dp_name(lines, file_name)
    assert found is not None and found[0] == name


@pytest.mark.parametrize("name", ["Rural Partners", "Equal Keys", "Open Door Members", "May Day Futures",
                                  "Partners with Confidence", "Social Initiative", "Community Futures"])
def test_title_names_that_look_like_labels_or_page_words(name: str) -> None:
    """A DP's name may hold words that label fields or describe pages: alone on the title line it is the name."""
    summary = read_summary("p.txt", f"{name}\nDescription\nPartners\nWe helped people in Leeds back into work.\n"
                                    "The objectives of the Partnership were to:\n- train\n- place\nRound\n2\n")
    assert summary.dp_name == name and summary.name_source == "title"


@pytest.mark.parametrize(("text", "name"), [
    # what the page is, not a DP: a fiche's heading, a form's entry, a database banner with the DP reference
    ("DEVELOPMENT PARTNERSHIP PROJECT FICHE\n\nDP NAME\nTyne Steps\n\nTHEME\nE\n\nAIM\nThe aim was to help carers.\n",
     "Tyne Steps"),
    ("ACTION 2 CLAIM AND PROGRESS REPORT\nClaim number: 7 Claim period: 1 January to 31 March\n\n"
     "A1  Name of Development Partnership: Tyne Steps\nA4  Round: 2\n\nThe aim was to help carers.\n", "Tyne Steps"),
    ("EQUAL - Common Database - DP record UKgb-2E-017\n\nDP name: Tyne Steps\nTheme: E\n\n"
     "The aim was to help carers.\n", "Tyne Steps"),
    # an e-mail's header lines never title it; minutes are of a DP's board
    ("From: Ackroyd, Dave\nSent: 21 March 2006 09:14\nSubject: FW: bulletin\n\nThe Tyne Steps DP helps carers. "
     "The Tyne Steps DP is in theme E.\n", "Tyne Steps"),
    ("Minutes of the Tyne Steps Development Partnership Board\n\nPurpose of the DP: to help carers.\n"
     "Present: the partners.\n", "Tyne Steps"),
])
def test_titles_that_say_what_the_page_is_give_way_to_the_name(text: str, name: str) -> None:
    assert read_summary("page.txt", text).dp_name == name
