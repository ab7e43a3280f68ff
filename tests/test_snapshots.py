"""Crash-safe snapshots: publish whole or not at all, readers see one state, one writer at a time."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from ingest.pipeline import ingest_paths, remove_document, sample_corpus
from kg.errors import StoreError
from kg.read.queries import stats
from kg.search.index import indexed_manifest, manifest, open_index
from kg.search.service import SearchIndex
from kg.store.opening import LiveStore, open_reader, writing
from kg.store.snapshots import SnapshotRoot
from tests.conftest import GOOD_DOCUMENTS


def kg(*args: str, store: Path, env: dict[str, str] | None = None,
       timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """Run the `kg` command on a store as a real process."""
    return subprocess.run([sys.executable, "-m", "web.cli", *args],
                          env={**os.environ, "KG_STORE": str(store), **(env or {})},
                          capture_output=True, text=True, timeout=timeout, check=False)


def state(location: Path) -> tuple[int, int]:
    """Return (quads, indexed documents) of the current snapshot, checking store and index agree."""
    with open_reader(str(location)) as store:
        stored = manifest(store)
        indexed = indexed_manifest(open_index(store.index_location))
        assert stored == indexed, "the search index is not on the store's snapshot"
        return store.count(), len(indexed)


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A snapshot root holding the sample corpus."""
    path = tmp_path / "root"
    with writing(str(path)) as store:
        ingest_paths(store, [sample_corpus()])
        SearchIndex(store).sync()
    return path


def test_a_writer_publishes_and_a_failed_one_leaves_nothing(root: Path) -> None:
    before = state(root)
    with pytest.raises(RuntimeError), writing(str(root)) as store:
        ingest_paths(store, GOOD_DOCUMENTS[:1])
        raise RuntimeError("stop before publishing")
    assert state(root) == before
    assert sorted(p.name for p in (root / "snapshots").iterdir()) == [SnapshotRoot(root).current()]
    with writing(str(root)) as store:
        ingest_paths(store, GOOD_DOCUMENTS[:1])
        SearchIndex(store).sync()
    assert state(root)[0] > before[0]


def test_a_reader_keeps_its_snapshot_until_it_lets_go(root: Path) -> None:
    reader = open_reader(str(root))
    seen = reader.count()
    with writing(str(root)) as store:
        ingest_paths(store, GOOD_DOCUMENTS[:1])
        SearchIndex(store).sync()
    assert reader.count() == seen  # still the old state, and its files were not cleaned up
    assert len(list((root / "snapshots").iterdir())) == 2
    reader.close()
    assert SnapshotRoot(root).collect_garbage()  # now the old snapshot goes
    assert len(list((root / "snapshots").iterdir())) == 1


def test_live_store_follows_publishes(root: Path) -> None:
    live = LiveStore(str(root))
    first = live.current()
    assert live.current() is first  # no reopening while nothing changed
    with writing(str(root)) as store:
        ingest_paths(store, GOOD_DOCUMENTS[:1])
    assert live.current() is not first and live.current().count() > first.count()


def test_a_second_writer_waits_then_fails_cleanly(root: Path) -> None:
    holding, release = threading.Event(), threading.Event()

    def hold() -> None:
        with writing(str(root)):
            holding.set()
            release.wait(10)

    thread = threading.Thread(target=hold)
    thread.start()
    holding.wait(10)
    try:
        result = kg("ingest", str(GOOD_DOCUMENTS[0]), store=root, env={"KG_INGEST_WAIT": "0.3"})
        assert result.returncode == 1
        assert "another ingest is writing to" in result.stderr and "KG_INGEST_WAIT" in result.stderr
        with pytest.raises(StoreError, match="another ingest"), writing(str(root), wait=0.1):
            pass
        waiting = subprocess.Popen([sys.executable, "-m", "web.cli", "ingest", str(GOOD_DOCUMENTS[0])],
                                   env={**os.environ, "KG_STORE": str(root), "KG_INGEST_WAIT": "60"},
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(1.0)
        assert waiting.poll() is None  # it waits for the first writer...
    finally:
        release.set()
        thread.join()
    out, err = waiting.communicate(timeout=120)
    assert waiting.returncode == 0, err  # ...and runs once that one is done
    assert "Loaded 1 document(s)" in out


def _corpus(folder: Path, copies: int) -> Path:
    """Write many distinct documents (copies of the test documents under other names)."""
    folder.mkdir()
    for n in range(copies):
        for source in GOOD_DOCUMENTS:
            shutil.copy(source, folder / f"{source.stem}-{n:02d}.txt")
    return folder


def test_kill_during_ingest_at_many_points_loses_nothing(root: Path, tmp_path: Path) -> None:
    corpus = _corpus(tmp_path / "corpus", copies=6)
    before = state(root)
    pristine, finished = tmp_path / "pristine", tmp_path / "finished"
    shutil.copytree(root, pristine)
    shutil.copytree(root, finished)
    started = time.monotonic()
    assert kg("ingest", str(corpus), store=finished).returncode == 0
    duration = time.monotonic() - started
    after = state(finished)
    assert after != before

    outcomes = {"before": 0, "after": 0}
    for point in range(10):
        process = subprocess.Popen([sys.executable, "-m", "web.cli", "ingest", str(corpus)],
                                   env={**os.environ, "KG_STORE": str(root)},
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(duration * (0.1 + 0.12 * point))  # from start-up to after publishing
        process.send_signal(signal.SIGKILL)
        process.wait()
        now = state(root)  # store and index on one snapshot, checked inside
        assert now in (before, after), f"kill point {point}: a mixed state {now}"
        outcomes["before" if now == before else "after"] += 1
        if now == after:  # start the next round from the old state again
            shutil.rmtree(root)
            shutil.copytree(pristine, root)
    print(f"kill -9 at 10 points: {outcomes}")
    assert outcomes["before"] >= 1
    result = kg("ingest", str(corpus), store=root, env={"KG_INGEST_WAIT": "0"})
    assert result.returncode == 0, result.stderr  # no stale lock: a new ingest runs at once
    assert state(root) == after
    assert len(list((root / "snapshots").iterdir())) == 1  # the killed runs' leftovers are gone


def test_readers_during_re_ingest_see_old_or_new_never_a_mix(root: Path, tmp_path: Path) -> None:
    import json
    import urllib.request

    from tests.server import running_server

    corpus = _corpus(tmp_path / "corpus", copies=2)
    states: set[tuple[int, int]] = {state(root)}
    seen_http: list[tuple[int, int]] = []
    seen_local: list[tuple[int, int]] = []
    failures: list[str] = []
    stop = threading.Event()

    def read_http(base: str) -> None:
        while not stop.is_set():
            try:
                with urllib.request.urlopen(base + "/api/stats", timeout=30) as response:
                    counts = json.load(response)
                seen_http.append((counts["documents"], counts["quads"]))
            except OSError as error:
                failures.append(f"http: {error}")

    def read_local() -> None:
        while not stop.is_set():
            try:
                seen_local.append(state(root))
            except (AssertionError, StoreError) as error:
                failures.append(f"local: {error}")

    valid_http: set[tuple[int, int]] = set()

    def record() -> None:
        states.add(state(root))
        with open_reader(str(root)) as store:
            counts = stats(store)
        valid_http.add((counts.documents, counts.quads))

    record()
    with running_server(root, {"KG_QUERY_WORKERS": "1"}) as base:
        readers = [threading.Thread(target=read_http, args=(base,)), threading.Thread(target=read_local)]
        for reader in readers:
            reader.start()
        try:
            for _ in range(3):
                with writing(str(root)) as store:  # re-ingest...
                    ingest_paths(store, [corpus])
                    SearchIndex(store).sync()
                record()
                with writing(str(root)) as store:  # ...and take it out again
                    for document in corpus.iterdir():
                        remove_document(store, document.name)
                    SearchIndex(store).sync()
                record()
                time.sleep(0.3)
        finally:
            stop.set()
            for reader in readers:
                reader.join()
    assert not failures, failures[:5]
    assert len(states) == 2 and len(valid_http) == 2
    assert set(seen_local) <= states and set(seen_http) <= valid_http
    print(f"readers: {len(seen_http)} HTTP and {len(seen_local)} local reads over 6 publishes, "
          f"{len(set(seen_http))} and {len(set(seen_local))} distinct states, none mixed")
    assert len(seen_http) > 10 and len(seen_local) > 10 and len(set(seen_http)) == 2
