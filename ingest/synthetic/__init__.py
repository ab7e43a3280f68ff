"""A synthetic corpus for tests and benchmarks: DPs, bodies and strategy tables drawn at random
from the curated reference data, written as .txt, .md, .html, .docx and .pdf pages, with the
ground truth each page was written from. Uses only the public interfaces of `kg` and `ingest`."""
