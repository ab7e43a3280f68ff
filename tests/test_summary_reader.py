"""The DP summary reader on the sample and on summaries written in other wordings."""

from __future__ import annotations

import pytest

from ingest.errors import IngestError
from ingest.pipeline import sample_corpus
from ingest.summary_reader import read_summary
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
    assert columns == ["intro", "aim", "objectives", "background", "beneficiaries", "outcomes"]
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
