"""Format SELECT results for a terminal: a plain text table with prefixed names."""

from __future__ import annotations

from rdflib import Literal, URIRef
from rdflib.term import Node

from kg.rdf.namespaces import PREFIXES
from kg.store.base import SelectResult

_BY_LENGTH = sorted(PREFIXES.items(), key=lambda item: len(item[1]), reverse=True)


def short(term: Node | None, width: int = 60) -> str:
    """Show a term briefly: IRIs as prefixed names, literals as their text, cut to `width`.

    >>> short(URIRef("https://w3id.org/equal-kg/id/body/dti"))
    'body:dti'
    """
    if term is None:
        return ""
    if isinstance(term, URIRef):
        text = str(term)
        for prefix, namespace in _BY_LENGTH:
            if text.startswith(namespace) and text != namespace:
                text = f"{prefix}:{text[len(namespace):]}"
                break
        else:
            text = f"<{text}>"
    elif isinstance(term, Literal):
        text = " ".join(str(term).split())
    else:
        text = str(term)
    return text if len(text) <= width else text[: width - 1] + "…"


def table(result: SelectResult, width: int = 60) -> str:
    """Render rows as an aligned text table with a header and a row count."""
    headers = result.variables
    cells = [[short(row.get(name), width) for name in headers] for row in result.rows]
    widths = [max([len(h)] + [len(r[i]) for r in cells]) for i, h in enumerate(headers)]
    lines = [" | ".join(h.ljust(w) for h, w in zip(headers, widths)),
             "-+-".join("-" * w for w in widths)]
    lines += [" | ".join(c.ljust(w) for c, w in zip(row, widths)) for row in cells]
    lines.append(f"({len(cells)} row{'s' if len(cells) != 1 else ''})")
    return "\n".join(lines)
