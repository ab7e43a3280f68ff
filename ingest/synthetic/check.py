"""Measure what ingest read from a generated corpus against its ground truth (`manifest.json`).

For each summary: is the DP its page is about found under the right name, with the theme its
writer gave it (stated, or from a strategy), its partners and the bodies its text names? For the
corpus: how many of the DP-body links the strategies state are in the store, and how many links
in the store are not in the ground truth. Results are grouped by layout and file format.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.rdf.namespaces import document_iri, slugify
from kg.store.base import Store


@dataclass
class Tally:
    """Counts for one group of summaries (a layout and a format)."""

    documents: int = 0
    named: int = 0
    themed: int = 0
    partners: int = 0
    partners_found: int = 0
    mentions: int = 0
    mentions_found: int = 0

    def as_dict(self) -> dict[str, Any]:
        """Return the counts and the shares they make."""
        share = lambda part, whole: round(part / whole, 3) if whole else None  # noqa: E731
        return {"documents": self.documents, "name": share(self.named, self.documents),
                "theme": share(self.themed, self.documents),
                "partners": share(self.partners_found, self.partners),
                "bodies_named": share(self.mentions_found, self.mentions)}


@dataclass
class Scores:
    """Reading scores of a generated corpus: by group, and for the DP-body links of its strategies."""

    groups: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    links: int = 0
    links_found: int = 0
    links_stored: int = 0
    misread: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """Return the scores as plain data (for JSON and the docs)."""
        return {"groups": {name: tally.as_dict() for name, tally in sorted(self.groups.items())},
                "links": {"truth": self.links, "recall": round(self.links_found / max(1, self.links), 3),
                          "precision": round(self.links_found / max(1, self.links_stored), 3)},
                "misread": self.misread[:50]}


def _rows(store: Store, query: str) -> list[dict[str, str]]:
    return [{k: str(v) for k, v in row.items() if v is not None} for row in store.select(query).rows]


def score_corpus(store: Store, manifest: dict[str, Any]) -> Scores:
    """Score a store holding a generated corpus against the corpus's manifest."""
    scores = Scores()
    subjects = {r["doc"]: r["dp"] for r in _rows(store, "SELECT ?doc ?dp WHERE { GRAPH ?doc { ?doc a eq:DPSummary ; "
                                                      "dcterms:subject ?dp } }")}
    themes: dict[str, set[str]] = defaultdict(set)
    for r in _rows(store, "SELECT DISTINCT ?dp ?n WHERE { ?dp eq:theme/skos:notation ?n }"):
        themes[r["dp"]].add(r["n"])
    partners: dict[str, set[str]] = defaultdict(set)
    for r in _rows(store, "SELECT DISTINCT ?dp ?w WHERE { ?s rdf:subject ?dp ; rdf:predicate eq:partner ; "
                          "eq:mentionText ?w }"):
        partners[r["dp"]].add(r["w"])
    mentioned: dict[str, set[str]] = defaultdict(set)
    for r in _rows(store, "SELECT DISTINCT ?dp ?b WHERE { { ?dp eq:mentions ?b } UNION { ?dp eq:partner ?b } "
                          "UNION { ?dp eq:partner/<http://www.w3.org/ns/org#subOrganizationOf> ?b } }"):
        mentioned[r["dp"]].add(r["b"])
    for dp in manifest["dps"]:
        group = f"{dp.get('layout', 'classic')}/{dp.get('format', 'txt')}"
        tally = scores.groups[group]
        tally.documents += 1
        doc = str(document_iri(slugify(Path(dp["summary"]).stem)))
        found = subjects.get(doc)
        if found == dp["iri"]:
            tally.named += 1
        else:
            scores.misread.append(f"{dp['summary']}: read as {found}, meant {dp['iri']}")
        if themes.get(dp["iri"]) == {dp["theme"]}:
            tally.themed += 1
        want = [p.replace(" (lead partner)", "") for p in dp.get("partners", [])]
        tally.partners += len(want)
        tally.partners_found += sum(p in partners.get(dp["iri"], set()) for p in want)
        bodies = set(dp.get("mentions", [])) | set(dp.get("partner_bodies", []))
        tally.mentions += len(bodies)
        tally.mentions_found += len(bodies & mentioned.get(dp["iri"], set()))
    truth = {(dp["iri"], body) for dp in manifest["dps"] for body in dp["targets"]}
    stored = {(r["dp"], r["b"]) for r in _rows(store, "SELECT DISTINCT ?dp ?b WHERE { ?dp eq:targets ?b }")}
    scores.links, scores.links_stored, scores.links_found = len(truth), len(stored), len(truth & stored)
    return scores
