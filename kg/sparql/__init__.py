"""The SPARQL 1.1 Protocol without HTTP: check a query, run it read-only in a worker that a
timeout can kill, and the example queries the editor and the docs share."""
