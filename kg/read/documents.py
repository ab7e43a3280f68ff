"""A document as a reader sees it: its prose, and its strategy table with the entities read from each cell.

Cells keep their IRIs (`<doc>/cell/<line>-<column>`), so the page can anchor every cell as
`cell-<line>-<column>` and provenance links elsewhere can point straight at it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kg.rdf.namespaces import cell_anchor, kind_of
from kg.rdf.sparql_text import iri_ref
from kg.read.queries import labels
from kg.store.base import Store

#: Strategy table columns in reading order.
COLUMNS = ("WHAT", "WHO", "WHEN", "HOW", "WHY", "DPS")
#: The kinds of entity each table column is read for (other columns: any kind).
_COLUMN_KINDS = {"WHAT": {"policy-area"}, "WHO": {"body"}, "HOW": {"method"}, "DPS": {"dp"},
                 "TITLE": {"theme"}}


@dataclass
class CellView:
    """One cell: where it is, what it says, and the entities read from it."""

    iri: str
    line: int
    column: str
    text: str
    row: int | None
    entities: list[dict[str, str]] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        """Return the HTML id of the cell (`cell-<line>-<column>`)."""
        return cell_anchor(self.line, self.column)


@dataclass
class DocumentView:
    """A document's title, kind, text before its table, table rows and other cells."""

    iri: str
    label: str
    kinds: list[str]
    file_name: str | None
    prose: str
    rows: list[dict[str, object]]
    sections: list[CellView]


def document_view(store: Store, doc: str) -> DocumentView | None:
    """Return a document laid out for reading; None if it is not a document in the store."""
    node = iri_ref(doc)
    head = store.select(f"""SELECT ?label ?file ?content (GROUP_CONCAT(STRAFTER(STR(?k), "#"); separator=" ") AS ?kinds)
        WHERE {{ {node} a eq:Document ; rdfs:label ?label ; a ?k .
        OPTIONAL {{ {node} eq:fileName ?file }} OPTIONAL {{ {node} eq:content ?content }} }}
        GROUP BY ?label ?file ?content""").rows
    if not head:
        return None
    cells = _cells(store, doc)
    content = str(head[0]["content"] or "")
    table_start = min((c.line for c in cells if c.row is not None), default=None)
    lines = content.split("\n")
    if table_start is not None:
        prose = "\n".join(line for line in lines[:table_start - 1]).strip()
        prose = "\n".join(p for p in prose.split("\n") if not p.count("\t") >= 3)
    else:
        prose = ""
    rows: dict[int, dict[str, object]] = {}
    for cell in cells:
        if cell.row is None:
            continue
        row = rows.setdefault(cell.row, {"number": cell.row, "line": cell.line, "cells": {}})
        row["cells"][cell.column.upper()] = cell  # type: ignore[index]
    kinds = sorted(k for k in str(head[0]["kinds"]).split() if k != "Document")
    return DocumentView(iri=doc, label=str(head[0]["label"]), kinds=kinds,
                        file_name=str(head[0]["file"]) if head[0]["file"] else None,
                        prose=prose, rows=[rows[n] for n in sorted(rows)],
                        sections=[c for c in cells if c.row is None])


def _cells(store: Store, doc: str) -> list[CellView]:
    """Return a document's cells in line order, each with the entities read from it."""
    node = iri_ref(doc)
    rows = store.select(f"""SELECT ?cell ?line ?col ?text ?row WHERE {{
        ?cell a eq:Cell ; dcterms:isPartOf {node} ; eq:line ?line ; eq:column ?col ; eq:text ?text .
        OPTIONAL {{ ?cell eq:rowNumber ?row }} }} ORDER BY ?line ?col""").rows
    read = store.select(f"""SELECT DISTINCT ?cell ?col ?o ?written WHERE {{
        ?cell a eq:Cell ; dcterms:isPartOf {node} ; eq:column ?col .
        ?st prov:wasDerivedFrom ?cell ; rdf:object ?o .
        OPTIONAL {{ ?st eq:mentionText ?written }} }}""").rows
    names = labels(store, {str(r["o"]) for r in read})
    found: dict[str, list[dict[str, str]]] = {}
    for r in read:
        target = str(r["o"])
        allowed = _COLUMN_KINDS.get(str(r["col"]).upper())
        if kind_of(target) in (None, "activity", "doc") or (allowed and kind_of(target) not in allowed):
            continue
        entry = {"iri": target, "label": names.get(target, target.rsplit("/", 1)[-1]),
                 "kind": kind_of(target) or "", "written": str(r["written"]) if r["written"] else ""}
        bucket = found.setdefault(str(r["cell"]), [])
        if all(e["iri"] != target for e in bucket):
            bucket.append(entry)
    return [CellView(iri=str(r["cell"]), line=int(r["line"].toPython()), column=str(r["col"]),
                     text=str(r["text"]), row=int(r["row"].toPython()) if r["row"] is not None else None,
                     entities=sorted(found.get(str(r["cell"]), []), key=lambda e: e["label"].lower()))
            for r in rows]
