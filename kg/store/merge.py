"""The merge of the named graphs, kept as its own set of triples: the SPARQL updates that maintain it.

Both engines run these around every write: the embedded store with the merge in its default
graph, a remote Virtuoso with it in `kg.rdf.namespaces.MERGE_GRAPH`.
"""

from __future__ import annotations


def merge_out(graphs: list[str], merge: str = "") -> str:
    """Return the SPARQL update that takes out of the merge the triples stated only in `graphs`.

    Run before the graphs are dropped or replaced; `merge` is the graph holding the merge
    (empty: the default graph). A triple another graph also states stays.
    """
    values = " ".join(f"<{graph}>" for graph in graphs)
    target = f"GRAPH <{merge}> {{ ?s ?p ?o }}" if merge else "?s ?p ?o"
    others = " && ".join(f"?other != <{g}>" for g in [*graphs, *([merge] if merge else [])])
    return (f"DELETE {{ {target} }} WHERE {{ VALUES ?g {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} "
            f"FILTER NOT EXISTS {{ GRAPH ?other {{ ?s ?p ?o }} FILTER({others}) }} }}")


def merge_in(graphs: list[str], merge: str = "") -> str:
    """Return the SPARQL update that adds the triples of `graphs` to the merge (a set: no duplicates)."""
    values = " ".join(f"<{graph}>" for graph in graphs)
    target = f"GRAPH <{merge}> {{ ?s ?p ?o }}" if merge else "?s ?p ?o"
    return f"INSERT {{ {target} }} WHERE {{ VALUES ?g {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} }}"
