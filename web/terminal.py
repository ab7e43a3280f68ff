"""Format SELECT results for a terminal: a plain text table with prefixed names."""

from __future__ import annotations

from kg.rdf.namespaces import short_name
from kg.store.base import SelectResult


def table(result: SelectResult, width: int = 60) -> str:
    """Render rows as an aligned text table with a header and a row count."""
    headers = result.variables
    cells = [[short_name(row.get(name), width) for name in headers] for row in result.rows]
    widths = [max([len(h)] + [len(r[i]) for r in cells]) for i, h in enumerate(headers)]
    lines = [" | ".join(h.ljust(w) for h, w in zip(headers, widths)),
             "-+-".join("-" * w for w in widths)]
    lines += [" | ".join(c.ljust(w) for c, w in zip(row, widths)) for row in cells]
    lines.append(f"({len(cells)} row{'s' if len(cells) != 1 else ''})")
    return "\n".join(lines)
