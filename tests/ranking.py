"""How good is the search ranking? nDCG@10 over a judged query set (tests/search_judgments.json).

The judgments were written by a helper who read the documents and the graph but never saw the
search code or its answers: for each query, the ids a person would want (grade 3 first, 2 clearly
relevant, 1 marginal). The corpus is the sample corpus and the test documents below.

    python -m tests.ranking [STORE_DIR]   # builds the store if needed; prints each query's nDCG@10
"""

from __future__ import annotations

import json
import math
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
JUDGMENTS = Path(__file__).with_name("search_judgments.json")
#: The corpus the judgments were made over.
CORPUS = [ROOT / "ingest" / "sample_corpus", *(ROOT / "tests" / "documents" / name
                                                 for name in ("formats", "strategies", "search", "pages"))]
DEPTH = 10


@dataclass(frozen=True)
class Judged:
    """One query, who would type it, and the grade of each relevant id."""

    query: str
    intent: str
    grades: dict[str, int]


def judgments() -> list[Judged]:
    """Read the judged query set."""
    return [Judged(item["query"], item["intent"], {r["id"]: int(r["grade"]) for r in item["relevant"]})
            for item in json.loads(JUDGMENTS.read_text(encoding="utf-8"))]


def dcg(grades: list[int]) -> float:
    """Discounted cumulative gain: (2^grade - 1) / log2(rank + 1), summed over the ranks."""
    return sum((2 ** grade - 1) / math.log2(rank + 2) for rank, grade in enumerate(grades))


def ndcg(ranked: list[str], grades: dict[str, int], depth: int = DEPTH) -> float:
    """nDCG@depth of a ranking against graded judgments (1.0: the best possible order).

    >>> round(ndcg(["a", "b"], {"a": 3, "b": 1}), 3), round(ndcg(["b", "a"], {"a": 3, "b": 1}), 3)
    (1.0, 0.71)
    """
    ideal = dcg(sorted(grades.values(), reverse=True)[:depth])
    return dcg([grades.get(hit, 0) for hit in ranked[:depth]]) / ideal if ideal else 0.0


def evaluate(search) -> dict[str, float]:  # type: ignore[no-untyped-def]
    """Run every judged query through `search(text) -> ranked ids`; return nDCG@10 by query."""
    return {judged.query: ndcg(search(judged.query), judged.grades) for judged in judgments()}


def build_store(path: Path) -> Path:
    """Ingest the judged corpus into a store at `path` (once), with its search index."""
    from ingest.publish import ingest_into
    from kg.settings import Settings

    if not (path / "current").exists():
        ingest_into(str(path), CORPUS, Settings(store=str(path)))
    return path


def main() -> None:
    """Print nDCG@10 for each judged query and the mean, over a store of the judged corpus."""
    from kg.search.service import SearchIndex
    from kg.store.opening import open_reader

    path = build_store(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("/tmp/equal-kg-ranking/store"))
    with open_reader(str(path)) as store:
        index = SearchIndex(store)
        scores = evaluate(lambda text: [hit.id for hit in index.search(text, page_size=DEPTH).hits])
    for query, score in sorted(scores.items(), key=lambda item: item[1]):
        print(f"{score:5.3f}  {query}")
    print(f"mean nDCG@{DEPTH} over {len(scores)} queries: {sum(scores.values()) / len(scores):.3f}")


if __name__ == "__main__":
    main()
