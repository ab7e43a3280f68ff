"""Front ends: the Flask web application and the `kg` command line, over `kg` and `ingest`."""
