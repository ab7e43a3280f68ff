"""Shared fixtures: real on-disk stores, the sample corpus, and documents written for the tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.pipeline import ingest_paths, sample_corpus
from kg.store.base import Store
from kg.store.opening import open_store

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


def build_sample_store(path: Path) -> Path:
    """Ingest the bundled sample corpus and the test documents into a store on disk."""
    with open_store(path) as opened:
        result = ingest_paths(opened, [sample_corpus(), *GOOD_DOCUMENTS])
        assert result.ok, result.errors
    return path


def build_sample_root(path: Path) -> Path:
    """Ingest the sample corpus and the test documents into a snapshot root, with its search index."""
    from kg.search.service import SearchIndex
    from kg.store.opening import writing

    with writing(str(path)) as opened:
        result = ingest_paths(opened, [sample_corpus(), *GOOD_DOCUMENTS])
        assert result.ok, result.errors
        SearchIndex(opened).sync()
    return path


@pytest.fixture(scope="session")
def sample_store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store on disk holding the bundled sample corpus and the test documents (built once)."""
    return build_sample_store(tmp_path_factory.mktemp("sample") / "store")


@pytest.fixture
def sample_store(sample_store_path: Path) -> Store:
    """The sample store opened read-only (tests must not change it)."""
    with open_store(sample_store_path, read_only=True) as opened:
        yield opened


@pytest.fixture(scope="session")
def server_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """Base URL of a real `kg serve` over a copy of the sample store (the sample corpus + test documents)."""
    from tests.server import running_server

    # its own store, in the layout `kg ingest` writes: a snapshot root
    path = build_sample_root(tmp_path_factory.mktemp("served") / "store")
    with running_server(path) as url:
        yield url


@pytest.fixture(scope="session")
def canary():
    """A loopback server that records every connection: hostile inputs name its URL, tests count."""
    from tests.canary import Canary

    server = Canary().start()
    server.probe()  # it counts: one connection, then a clean slate
    assert server.count() == 1
    server.connections.clear()
    yield server
    server.stop()


@pytest.fixture
def client(sample_store_path: Path):
    """A Flask test client over the sample store (in-process HTTP)."""
    from kg.settings import Settings
    from web.app import create_app

    with open_store(sample_store_path, read_only=True) as opened:
        app = create_app(Settings(store=str(sample_store_path)), opened)
        app.testing = True
        yield app.test_client()


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium driven by Playwright; skipped when either is missing."""
    playwright_api = pytest.importorskip("playwright.sync_api")
    chromium_path = Path("/usr/bin/chromium")
    if not chromium_path.exists():
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(chromium_path),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"])
        yield browser
        browser.close()


@pytest.fixture
def page(browser, server_url: str):
    """A fresh browser page that records console errors and any request leaving localhost."""
    context = browser.new_context()
    page = context.new_page()
    page.console_errors = []
    page.outside_requests = []
    page.on("console", lambda msg: msg.type == "error" and page.console_errors.append(msg.text))
    page.on("pageerror", lambda error: page.console_errors.append(str(error)))

    def guard(route) -> None:
        url = route.request.url
        if url.startswith(("http://127.0.0.1", "http://localhost", "data:", "blob:")):
            route.continue_()
        else:
            page.outside_requests.append(url)
            route.abort()

    context.route("**/*", guard)
    yield page
    context.close()


@pytest.fixture(scope="session")
def virtuoso_url() -> str:
    """Query URL of a real Virtuoso: $KG_TEST_VIRTUOSO (CI starts one), else a throw-away one here.

    Skipped where Virtuoso is not installed, except under CI ($CI), where that is a failure.
    """
    import os

    from tests import virtuoso

    if os.environ.get("KG_TEST_VIRTUOSO"):
        yield os.environ["KG_TEST_VIRTUOSO"]
        return
    if not virtuoso.available():
        if os.environ.get("CI"):
            pytest.fail("Virtuoso is needed under CI: install virtuoso-opensource or set KG_TEST_VIRTUOSO")
        pytest.skip("Virtuoso is not installed (apt-get install virtuoso-opensource)")
    with virtuoso.running_virtuoso() as server:
        yield server.url


def age_index(location: str) -> None:
    """Mark a search index as written by an older version of the code (what it holds has since changed)."""
    from kg.rdf.namespaces import CURATED_GRAPH
    from kg.search.index import open_index

    ix = open_index(location)
    with ix.searcher() as searcher:
        sha = next(searcher.documents(kind="meta"))["sha"]
    writer = ix.writer()
    writer.update_document(id=str(CURATED_GRAPH), kind="meta", title="index version 1", sha=sha,
                           source=str(CURATED_GRAPH))
    writer.commit()
