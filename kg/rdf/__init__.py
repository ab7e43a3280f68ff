"""The terms of the graph: namespaces and IRIs, the eq: vocabulary, the curated reference data,
formats, N-Triples lines and SPARQL text read without an engine. Imports no other part of `kg`
but `kg.errors`."""
