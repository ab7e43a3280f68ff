"""equal-kg core: vocabulary, store, named queries, export and validation.

This package never imports Flask or the ingest layer: the web app and the CLI
are built on top of it (see DESIGN.md section 5).
"""

__version__ = "0.1.0"
