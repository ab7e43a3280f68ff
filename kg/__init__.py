"""equal-kg core: the graph's terms, its store, and every question asked of it.

Sub-packages in layers (docs/architecture.md): `kg.errors`, `kg.settings` and `kg.memory` at the
bottom; `kg.rdf` (terms and text); `kg.store` (engines, snapshots, export); `kg.read` (named
queries and read models); `kg.sparql`, `kg.search` and `kg.network` on top. This package never
imports Flask or the ingest layer: the web app and the CLI are built on top of it.
"""

__version__ = "0.1.0"
