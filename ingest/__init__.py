"""Ingest: read EQUAL documents in any format, link names, build triples, load atomically.

Format readers (`formats/`: text and Markdown, HTML, Word, PDF) turn a file into the same
blocks (`blocks`); genre readers (`summary_layout` and `summary_reader`, `strategy_reader`) turn
blocks into plain records; the `linker` resolves mentions against the gazetteer; the `builder`
turns records into an rdflib graph with provenance; the `pipeline` loads it into the store and
`report` tells the user what was read. `generate*` write synthetic corpora with their ground truth.
"""
