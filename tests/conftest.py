"""Shared fixtures: real on-disk stores, the sample corpus, and documents written for the tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.pipeline import ingest_paths, sample_corpus
from kg.store import Store, open_store

DOCUMENTS = Path(__file__).parent / "documents"
GOOD_DOCUMENTS = sorted(p for p in DOCUMENTS.glob("*.txt")
                        if not p.name.startswith(("bad_", "untitled_")))


def iri(kind: str, slug: str) -> str:
    """Return an entity IRI, as tests write it."""
    return f"https://w3id.org/equal-kg/id/{kind}/{slug}"


@pytest.fixture
def store(tmp_path: Path) -> Store:
    """An empty, real on-disk store."""
    with open_store(tmp_path / "store") as opened:
        yield opened


@pytest.fixture(scope="session")
def sample_store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store on disk holding the bundled sample corpus and the test documents (built once)."""
    path = tmp_path_factory.mktemp("sample") / "store"
    with open_store(path) as opened:
        result = ingest_paths(opened, [sample_corpus(), *GOOD_DOCUMENTS])
        assert result.ok, result.errors
    return path


@pytest.fixture
def sample_store(sample_store_path: Path) -> Store:
    """The sample store opened read-only (tests must not change it)."""
    with open_store(sample_store_path, read_only=True) as opened:
        yield opened
