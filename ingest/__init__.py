"""Ingest: read EQUAL documents into records, link names, build triples, load atomically.

Readers (`summary_reader`, `strategy_reader`) turn text into plain records; the
`linker` resolves mentions against the gazetteer; the `builder` turns records
into an rdflib graph with provenance; the `pipeline` loads it into the store.
"""
