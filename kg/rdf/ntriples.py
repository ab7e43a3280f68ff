"""Write triples as N-Triples or N-Quads lines, faster than rdflib's serializer.

The same IRIs recur on many lines of a document (its DPs, bodies, cells), so each IRI is written
once and remembered; literals are escaped as rdflib's N-Triples serializer escapes them.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rdflib import Literal


def _literal(literal: Literal) -> str:
    """Return a literal in N-Triples form: its text quoted and escaped, then its language or datatype."""
    text = '"' + str(literal).replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"').replace("\r", "\\r") + '"'
    if literal.language:
        return f"{text}@{literal.language}"
    if literal.datatype:
        return f"{text}^^<{literal.datatype}>"
    return text


def lines(triples: Iterable[tuple[Any, Any, Any]], graph: str | None = None, merge: bool = False) -> str:
    """Return triples as N-Triples lines, or as N-Quads lines in `graph` when one is given.

    With `merge`, each quad line is followed by the same triple in the default graph, where the
    store keeps the merge of its graphs.
    """
    known: dict[Any, str] = {}

    def term(node: Any) -> str:
        written = known.get(node)
        if written is None:
            written = known[node] = node.n3()  # n3() checks that an IRI is valid
        return written

    statements = (f"{term(s)} {term(p)} {_literal(o) if isinstance(o, Literal) else term(o)}" for s, p, o in triples)
    if not graph:
        return "".join(f"{statement} .\n" for statement in statements)
    if merge:
        return "".join(f"{statement} <{graph}> .\n{statement} .\n" for statement in statements)
    return "".join(f"{statement} <{graph}> .\n" for statement in statements)
