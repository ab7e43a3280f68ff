"""Ranking you can defend: nDCG@10 over the judged query set (tests/search_judgments.json) stays up.

The judgments were written from the documents and the graph by a helper who never saw the search
code or its answers; `python -m tests.ranking` prints the score of every query (docs/search.md).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.search.service import SearchIndex
from kg.store.opening import open_reader
from tests.ranking import DEPTH, build_store, evaluate, judgments, ndcg

#: The mean nDCG@10 measured when the weights were tuned (0.851), less rounding: a change may not lower it.
FLOOR = 0.85
#: Queries whose answer mattered most when the issue was written, with their nDCG@10 after tuning (less 0.01).
KEY_QUERIES = {"procurement": 0.83, "DTI": 0.77, "social enterprise": 0.67, "lone parents": 0.91}


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory):
    path = build_store(tmp_path_factory.mktemp("ranking") / "store")
    with open_reader(str(path)) as store:
        yield SearchIndex(store)


def test_the_judged_set_is_large_and_varied() -> None:
    judged = judgments()
    assert len(judged) >= 30
    kinds = {hit.split("/id/")[1].split("/")[0] for j in judged for hit in j.grades}
    assert {"dp", "body", "doc"} <= kinds
    assert all(3 in j.grades.values() for j in judged)  # every query has an answer a person wants first


def test_ndcg_at_10_stays_above_the_floor(index: SearchIndex) -> None:
    scores = evaluate(lambda text: [hit.id for hit in index.search(text, page_size=DEPTH).hits])
    mean = sum(scores.values()) / len(scores)
    worst = sorted(scores.items(), key=lambda item: item[1])[:5]
    assert mean >= FLOOR, f"mean nDCG@10 {mean:.3f} < {FLOOR}; worst: {worst}"
    low = {query: round(scores[query], 3) for query, floor in KEY_QUERIES.items() if scores[query] < floor}
    assert not low, f"key queries fell: {low}"


def test_a_topic_finds_the_work_on_it_before_bodies_named_after_it(index: SearchIndex) -> None:
    """The complaint that started it: 'procurement' ranked bodies above the procurement rows."""
    hits = index.search("procurement", page_size=3).hits
    assert hits[0].kind == "row" and "procurement" in hits[0].context.lower()
    assert index.search("DTI", page_size=1).hits[0].id.endswith("/body/dti")  # a body's name still finds it


def test_ndcg_is_one_for_the_ideal_order() -> None:
    judged = judgments()[0]
    ideal = sorted(judged.grades, key=lambda hit: -judged.grades[hit])
    assert ndcg(ideal, judged.grades) == pytest.approx(1.0)
    assert ndcg(list(reversed(ideal)), judged.grades) < 1.0


def test_the_corpus_it_was_judged_on_is_in_the_repository() -> None:
    from tests.ranking import CORPUS

    assert all(Path(folder).is_dir() for folder in CORPUS)
