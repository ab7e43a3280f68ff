"""A SPARQL answer laid out as a table for a person: labels for IRIs, links to entity pages.

The query editor shows answers with it; the endpoint itself serves the engine's bytes unchanged.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from rdflib import BNode, Graph, Literal, URIRef

from kg.rdf.namespaces import local_path, short_name
from kg.read.queries import labels
from kg.sparql.protocol import Answer
from kg.store.base import Store


@dataclass(frozen=True)
class Cell:
    """One value of a result shown to a person: its text, a link, and the full term as a tooltip."""

    text: str
    href: str | None = None
    title: str | None = None
    kind: str = "literal"


@dataclass
class Table:
    """An answer laid out for a page: column names and rows of cells, or a boolean for ASK."""

    form: str
    variables: list[str] = field(default_factory=list)
    rows: list[list[Cell]] = field(default_factory=list)
    boolean: bool | None = None
    truncated: bool = False


def answer_table(store: Store, answer: Answer) -> Table:
    """Lay out a JSON (SELECT, ASK) or N-Triples (CONSTRUCT, DESCRIBE) answer as a table with labels."""
    table = Table(form=answer.form, truncated=answer.truncated)
    if answer.form == "ask":
        table.boolean = bool(json.loads(answer.body)["boolean"])
        return table
    if answer.form == "graph":
        graph = Graph().parse(data=answer.body.decode("utf-8"), format="nt")
        table.variables = ["subject", "predicate", "object"]
        terms = [[_binding(t) for t in triple] for triple in sorted(graph)]
    else:
        document = json.loads(answer.body)
        table.variables = list(document["head"]["vars"])
        terms = [[row.get(name) for name in table.variables] for row in document["results"]["bindings"]]
    names = labels(store, {t["value"] for row in terms for t in row if t and t["type"] == "uri"}, limit=5000)
    table.rows = [[_cell(term, names) for term in row] for row in terms]
    return table


def _binding(term: object) -> dict[str, str]:
    """Encode an rdflib term like a SPARQL JSON binding."""
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    assert isinstance(term, Literal)
    out = {"type": "literal", "value": str(term)}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype is not None:
        out["datatype"] = str(term.datatype)
    return out


def _cell(term: dict | None, labels: dict[str, str]) -> Cell:
    if term is None:
        return Cell("", kind="unbound")
    value = str(term["value"])
    if term["type"] == "uri":
        href = local_path(value) or (value if value.startswith(("http://", "https://")) else None)
        return Cell(labels.get(value) or short_name(URIRef(value)), href=href, title=value, kind="uri")
    if term["type"] == "bnode":
        return Cell("_:" + value, kind="bnode")
    if term["type"] == "triple":
        return Cell(json.dumps(term["value"]), kind="triple")
    title = term.get("datatype") or (f"@{term['xml:lang']}" if term.get("xml:lang") else None)
    return Cell(value, title=title, kind="literal")


