"""Search documents read from the graph by SPARQL: DPs, strategy rows, documents and bodies.

Each reader takes all entities, or only the given ones (an update re-reads what one document
touched), and returns `Entry` objects that `kg.search.index` writes into whoosh.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from kg.rdf.namespaces import BODY_NAMES, CURATED_GRAPH, cell_anchor, local_path, slug_of, stored_graph
from kg.rdf.sparql_text import values_clause
from kg.store.base import Store

#: Text fields users can name in a query (`objectives:procurement`, `who:DTI`).
TEXT_FIELDS = ("name", "aliases", "aim", "objectives", "background", "outcomes", "beneficiaries",
               "what", "who", "when", "how", "why", "policy", "dps", "bodies", "places", "text")
#: Facet fields: keywords (slugs), counted per result set and usable as `theme:D`.
FACETS = ("kind", "theme", "region", "body", "level", "area", "document")
#: Longest title a hit gets from a row's WHAT text (the rest is in its snippets and on its page).
TITLE_CHARS = 160
#: Bumped whenever what is indexed changes: an index of another version is rebuilt by `sync_index`.
INDEX_VERSION = 2
#: The title of the index's own entry (kind `meta`), which says the version it was written by.
META_TITLE = f"index version {INDEX_VERSION}"
#: How much a DP's own page counts against the DP itself, whose entry holds the same words.
SUMMARY_BOOST = 0.5
#: How much a body counts against DPs and strategy rows: a topic that is also in bodies' names
#: ("social enterprise", "North East") should find the work on it first; a body's own name still
#: puts it first when it is what was typed.
BODY_BOOST = 0.3


@dataclass
class Entry:
    """One search document before it is written: its fields and the text that feeds `content`."""

    id: str
    kind: str
    title: str
    url: str
    source: set[str] = field(default_factory=set)
    text: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    facets: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    cells: dict[str, str] = field(default_factory=dict)
    extra: list[str] = field(default_factory=list)
    sha: str = ""
    #: How much a match in this entry counts against others (a DP's own page counts less than the DP).
    boost: float = 1.0
    #: Where the entry sits, for a person reading the hit: a row's number, policy area and document.
    context: str = ""

    def fields(self) -> dict[str, Any]:
        """Return the whoosh fields of this entry."""
        out: dict[str, Any] = {"id": self.id, "title": self.title, "url": self.url, "cells": self.cells,
                               "sha": self.sha, "source": ",".join(sorted(self.source)), "kind": self.kind,
                               "context": self.context}
        for name, values in self.text.items():
            unique = list(dict.fromkeys(v for v in values if v))
            if unique:
                out[name] = "\n".join(unique)
        parts = [self.title, *(out[n] for n in TEXT_FIELDS if n in out and n != "text"), *self.extra]
        out["content"] = "\n".join(dict.fromkeys(p for p in parts if p))
        if "text" in out:
            out["content"] += "\n" + out["text"]
        for name, values in self.facets.items():
            if values:
                out[name] = ",".join(sorted({v.replace(",", " ").lower() for v in values}))
        if self.boost != 1.0:
            out["_boost"] = self.boost
        return out


def _str(value: Any) -> str:
    return "" if value is None else str(value)


#: DP properties read into search fields: text fields, or facets whose values' labels feed `content`.
_DP_FIELDS = {"aim": "aim", "objective": "objectives", "background": "background",
              "beneficiaryText": "beneficiaries", "outcome": "outcomes", "region": "region",
              "beneficiaryGroup": "beneficiaries", "theme": "theme", "targets": "body",
              "policyArea": "area", "mentions": "bodies"}


def _labels(store: Store) -> dict[str, list[str]]:
    """Return the labels of every labelled IRI and the text of every outcome, by IRI.

    Looked up in Python: joining them into the DP query (an OPTIONAL per value) took three times as long.
    """
    labels: dict[str, list[str]] = defaultdict(list)
    for row in store.values("""SELECT DISTINCT ?o ?label WHERE {
            { ?o rdfs:label ?label } UNION { ?dp eq:outcome ?o . ?o eq:text ?label } FILTER isIRI(?o) }"""):
        labels[str(row["o"])].append(str(row["label"]))
    return labels


def dp_entries(store: Store, dps: Iterable[str] | None = None) -> list[Entry]:
    """Read DPs (all, or the given IRIs) with their text, regions, themes, bodies and levels."""
    vals = values_clause("?s", dps)
    entries: dict[str, Entry] = {}
    for row in store.values(f"""SELECT DISTINCT ?s ?label ?g WHERE {{ {vals}
            GRAPH ?g {{ ?s a eq:DevelopmentPartnership ; rdfs:label ?label }} {stored_graph("?g")} }}"""):
        iri = str(row["s"])
        entry = entries.setdefault(iri, Entry(iri, "dp", str(row["label"]), local_path(iri) or iri))
        entry.source.add(str(row["g"]))
        entry.text["name"].append(str(row["label"]))
    labels = _labels(store)
    for prop, name in _DP_FIELDS.items():  # one simple pattern per property: a third of one joined query
        for row in store.values(f"""SELECT DISTINCT ?s ?o WHERE {{ {vals} ?s eq:{prop} ?o }}"""):
            entry = entries.get(str(row["s"]))
            if entry is None:  # a document or an activity (eq:theme, eq:policyArea), not a DP
                continue
            value = str(row["o"])
            for label in labels.get(value, ("",)):
                if name in FACETS:
                    entry.facets[name].add(slug_of(value))
                    entry.extra.append(label)  # region, theme, body and area names feed `content`
                    if name == "body":
                        entry.text["bodies"].append(label)
                    elif name == "area":
                        entry.text["policy"].append(label)
                    elif name == "region":
                        entry.text["places"].append(label)
                else:
                    entry.text[name].append(label or value)
    for row in store.values(f"""SELECT DISTINCT ?s ?level WHERE {{ {vals}
            ?st rdf:subject ?s ; rdf:predicate eq:targets ; eq:level ?level }}"""):
        if str(row["s"]) in entries:
            entries[str(row["s"])].facets["level"].add(slug_of(str(row["level"])))
    for entry in entries.values():
        themes = ", ".join(f"theme {t.upper()}" for t in sorted(entry.facets.get("theme", ())))
        entry.context = " · ".join(filter(None, ["DP", themes, ", ".join(dict.fromkeys(entry.text["places"]))]))
    for row in store.values(f"""SELECT ?s ?title ?text WHERE {{ {vals}
            ?doc a eq:DPSummary ; dcterms:subject ?s ; rdfs:label ?title . OPTIONAL {{ ?doc eq:content ?text }} }}"""):
        entry = entries.get(str(row["s"]))
        if entry is not None:  # the DP's own page: its full name and every word it says about itself
            entry.text["aliases"].append(str(row["title"]))
            entry.text["text"].append(_str(row["text"]))
    return list(entries.values())


def row_entries(store: Store, docs: Iterable[str] | None = None) -> list[Entry]:
    """Read strategy rows (of all documents, or the given ones) with their section's DPs and bodies."""
    vals, stored = values_clause("?g", docs), stored_graph("?g")
    columns = {"what": "what", "who": "who", "when": "when", "how": "how", "why": "why", "dpsText": "dps"}
    rows: dict[str, Entry] = {}
    numbers: dict[str, tuple[str, int]] = {}
    activity_of: dict[str, str] = {}
    for row in store.values(f"""SELECT ?g ?row ?n ?act ?p ?o WHERE {{ {vals}
            GRAPH ?g {{ ?row a eq:StrategyRow ; eq:rowNumber ?n ; dcterms:isPartOf ?act ; ?p ?o }} {stored} }}"""):
        iri, doc, number = str(row["row"]), str(row["g"]), int(row["n"])
        entry = rows.get(iri)
        if entry is None:
            entry = rows[iri] = Entry(iri, "row", "", local_path(doc) or doc)
            entry.source.add(doc)
            entry.facets["document"].add(slug_of(doc))
            numbers[iri] = (doc, number)
            activity_of[iri] = str(row["act"])
        column = columns.get(str(row["p"]).rsplit("#", 1)[-1])
        if column:
            entry.text[column].append(str(row["o"]))
    if not rows:
        return []
    sections: dict[str, Entry] = defaultdict(lambda: Entry("", "", "", ""))
    for row in store.values(f"""SELECT DISTINCT ?act ?p ?o ?label ?dl WHERE {{ {vals}
            GRAPH ?g {{ ?act a eq:MainstreamingActivity ; ?p ?o .
                       VALUES ?p {{ eq:involves eq:audience eq:policyArea eq:theme }} }} {stored}
            OPTIONAL {{ ?o rdfs:label ?label }} OPTIONAL {{ ?g rdfs:label ?dl }} }}"""):
        section, kind = sections[str(row["act"])], str(row["p"]).rsplit("#", 1)[-1]
        value, label = str(row["o"]), _str(row["label"])
        section.title = _str(row["dl"])
        if kind == "involves":
            section.text["dps"].append(label)
        elif kind == "audience":
            section.facets["body"].add(slug_of(value))
            section.text["bodies"].append(label)
        elif kind == "policyArea":
            section.facets["area"].add(slug_of(value))
            section.text["policy"].append(label)
        else:
            section.facets["theme"].add(slug_of(value))
    for row in store.values(f"""SELECT DISTINCT ?act ?level WHERE {{ {vals}
            GRAPH ?g {{ ?st rdf:subject ?act ; rdf:predicate eq:audience ; eq:level ?level }} {stored} }}"""):
        sections[str(row["act"])].facets["level"].add(slug_of(str(row["level"])))
    for row in store.values(f"""SELECT DISTINCT ?act ?region WHERE {{ {vals}
            GRAPH ?g {{ ?act eq:involves ?dp }} {stored} ?dp eq:region ?region }}"""):
        sections[str(row["act"])].facets["region"].add(slug_of(str(row["region"])))
    cells: dict[tuple[str, int], dict[str, str]] = defaultdict(dict)
    for row in store.values(f"""SELECT ?g ?n ?column ?line WHERE {{ {vals}
            GRAPH ?g {{ ?c a eq:Cell ; eq:rowNumber ?n ; eq:column ?column ; eq:line ?line }} {stored} }}"""):
        doc = str(row["g"])
        anchor = cell_anchor(str(row["line"]), str(row["column"]))
        cells[(doc, int(row["n"]))][str(row["column"]).lower()] = f"{local_path(doc) or doc}#{anchor}"
    for iri, entry in rows.items():
        section = sections[activity_of[iri]]
        doc, number = numbers[iri]
        area = "; ".join(dict.fromkeys(section.text["policy"])) or "Strategy"
        what = " ".join(entry.text["what"][:1])
        entry.title = shorten(what, TITLE_CHARS) if what else f"{area}, row {number}"
        entry.context = f"Row {number} · {area} · {section.title or slug_of(doc)}"
        entry.cells = cells.get((doc, number), {})
        entry.url = next((entry.cells[c] for c in ("what", "who", "how", "when", "why", "dps")
                          if c in entry.cells), entry.url)
        for name in ("dps", "bodies", "policy"):
            entry.text[name].extend(section.text[name])
        for name, values in section.facets.items():
            entry.facets[name] |= values
    return list(rows.values())


def document_entries(store: Store, docs: Iterable[str] | None = None) -> list[Entry]:
    """Read documents (all, or the given ones): title, full text, theme, and their checksum."""
    vals = values_clause("?g", docs)
    entries: dict[str, Entry] = {}
    for row in store.values(f"""SELECT ?g ?title ?content ?sha ?theme ?dp WHERE {{ {vals}
            GRAPH ?g {{ ?g a eq:Document ; rdfs:label ?title ; eq:sha256 ?sha .
                       OPTIONAL {{ ?g a eq:DPSummary ; dcterms:subject ?dp }}
                       OPTIONAL {{ ?g eq:content ?content }}
                       OPTIONAL {{ {{ ?g eq:theme ?theme }} UNION {{ ?g dcterms:subject/eq:theme ?theme }} }} }}
            {stored_graph("?g")} }}"""):
        iri = str(row["g"])
        entry = entries.setdefault(iri, Entry(iri, "document", str(row["title"]), local_path(iri) or iri))
        entry.source.add(iri)
        entry.sha = str(row["sha"])
        if row["dp"] is not None:
            entry.boost = SUMMARY_BOOST  # a DP's page is found first as the DP, which holds its text too
        entry.text["name"].append(str(row["title"]))
        entry.text["text"].append(_str(row["content"]))
        entry.facets["document"].add(slug_of(iri))
        if row["theme"] is not None:
            entry.facets["theme"].add(slug_of(str(row["theme"])))
    return list(entries.values())


def body_entries(store: Store, bodies: Iterable[str] | None = None) -> list[Entry]:
    """Read bodies (all, or the given IRIs): names, aliases, typos, type, and who targets them."""
    vals = values_clause("?s", bodies)
    entries: dict[str, Entry] = {}
    for row in store.values(f"""SELECT DISTINCT ?s ?p ?o ?g WHERE {{ {vals}
            GRAPH ?g {{ ?s a eq:Body ; ?p ?o .
            VALUES ?p {{ {BODY_NAMES.replace("|", " ")} }} }} {stored_graph("?g")} }}"""):
        iri, kind = str(row["s"]), str(row["p"])
        entry = entries.get(iri)
        if entry is None:
            entry = entries[iri] = Entry(iri, "body", "", local_path(iri) or iri, boost=BODY_BOOST)
            entry.facets["body"].add(slug_of(iri))
        entry.source.add(str(row["g"]))
        if kind.endswith("rdf-schema#label"):
            entry.title = entry.title or str(row["o"])
            entry.text["name"].append(str(row["o"]))
        else:
            entry.text["aliases"].append(str(row["o"]))
    for row in store.values(f"""SELECT DISTINCT ?s ?g ?theme ?level WHERE {{ {vals}
            GRAPH ?g {{ ?x ?p ?s . VALUES ?p {{ eq:targets eq:audience eq:mentions }} }} {stored_graph("?g")}
            OPTIONAL {{ ?x eq:theme ?theme }}
            OPTIONAL {{ GRAPH ?g {{ ?st rdf:subject ?x ; rdf:object ?s ; eq:level ?level }} }} }}"""):
        entry = entries.get(str(row["s"]))
        if entry is None:
            continue
        entry.source.add(str(row["g"]))
        if row["theme"] is not None:
            entry.facets["theme"].add(slug_of(str(row["theme"])))
        if row["level"] is not None:
            entry.facets["level"].add(slug_of(str(row["level"])))
    for entry in entries.values():
        entry.title = entry.title or slug_of(entry.id)
    return list(entries.values())


def manifest(store: Store) -> dict[str, str]:
    """Return the checksum of every document graph and of the curated graph, by graph IRI."""
    rows = store.values(f"""SELECT ?g ?sha WHERE {{ GRAPH ?g {{ ?g eq:sha256 ?sha }} {stored_graph("?g")} }}""")
    return {str(row["g"]): str(row["sha"]) for row in rows}


def shorten(text: str, limit: int) -> str:
    """Return a text on one line, cut at a word boundary to at most `limit` characters, the cut marked by an
    ellipsis (a hit's title and summary).

    >>> shorten("Mentoring,  networks and more", 22), shorten("Mentoring,  networks and more", 19)
    ('Mentoring, networks…', 'Mentoring…')
    """
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def entry_batches(store: Store) -> Iterator[list[Entry]]:
    """Read every search document from the store, kind by kind (DPs first), then the curated graph's checksum.

    A whole-index build writes each batch while the next is read.
    """
    yield dp_entries(store)
    yield row_entries(store)
    yield document_entries(store)
    yield body_entries(store)
    curated = str(CURATED_GRAPH)
    meta = Entry(curated, "meta", META_TITLE, "", sha=manifest(store).get(curated, ""))
    meta.source.add(curated)
    yield [meta]

