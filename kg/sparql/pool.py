"""Run endpoint SPARQL queries in worker processes that are killed past a time limit, and bound the queue.

Neither pyoxigraph nor rdflib can stop a running query from Python, so each endpoint query runs
in a worker process that holds the store open read-only. Past the timeout the worker is killed
(SIGKILL) and replaced in the background; at most `workers` queries run at once and at most
`queue` wait, a few seconds each, so a busy server says so at once (`ServerBusy`) instead of
queueing without end. Workers come from a forkserver: never forked from a process that has
RocksDB open. Stores that are not on disk (`memory:`, remote endpoints) run in-process.
"""

from __future__ import annotations

import contextlib
import logging
import math
import multiprocessing
import queue
import resource
import signal
import sys
import threading
import time
import weakref
from collections import OrderedDict
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from typing import Any

from kg.errors import QueryStopped, QueryTimeout, ServerBusy, WorkerCrashed
from kg.memory import limit_arenas, release_free_memory
from kg.settings import Settings
from kg.sparql.protocol import Answer, check_query, execute
from kg.store.base import Store
from kg.store.location import parse_location
from kg.store.opening import open_store

log = logging.getLogger(__name__)

#: The longest query timeout the pool accepts, whatever the settings say (seconds).
MAX_TIMEOUT = 30.0
#: How long a query may wait in the queue for a free worker (seconds).
QUEUE_WAIT = 5.0
#: Store locations a worker keeps open: each published snapshot is a new location.
KEEP_OPEN = 2

_CONTEXT = multiprocessing.get_context("forkserver")


def _preload() -> list[str]:
    """Modules the forkserver imports once, so that each new worker starts in milliseconds.

    A worker re-runs the main module (as multiprocessing does); when that is a module run with
    `-m` (`python -m web.cli serve`), importing it in the forkserver first makes that cheap.
    """
    main = getattr(sys.modules["__main__"], "__spec__", None)
    name = getattr(main, "name", None)
    return ["kg.sparql.pool"] + ([name] if name and not name.endswith("__main__") else [])


def runs_in_worker(location: str) -> bool:
    """Tell whether a store location is a database on disk, whose queries run in workers.

    >>> runs_in_worker("/data/store"), runs_in_worker("memory:"), runs_in_worker("https://x/sparql")
    (True, False, False)
    """
    return parse_location(location).on_disk


@dataclass
class _Worker:
    process: BaseProcess
    conn: Connection
    retired: bool = False


class QueryPool:
    """Worker processes that run `kg.sparql.protocol.execute` with a hard timeout, a row cap and a bounded queue."""

    def __init__(self, workers: int = 2, queue_size: int = 4, timeout: float = 20.0, memory_mb: int = 2048,
                 queue_wait: float = QUEUE_WAIT) -> None:
        self.workers = max(1, workers)
        self.queue_size = max(0, queue_size)
        self.timeout = min(max(float(timeout), 0.1), MAX_TIMEOUT)
        self.memory_mb = max(0, memory_mb)
        self.queue_wait = queue_wait
        #: Seconds a client told "busy" should wait before retrying.
        self.retry_after = max(1, math.ceil(min(queue_wait, self.timeout)))
        self._slots = threading.BoundedSemaphore(self.workers + self.queue_size)
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._live: dict[int, _Worker] = {}
        self._lock = threading.Lock()
        self._started = False
        self._closed = False
        self._finalizer = weakref.finalize(self, _stop_all, self._live, self._lock)

    @classmethod
    def from_settings(cls, settings: Settings) -> QueryPool:
        """Build a pool with the limits of the settings (`query_workers`, `query_queue`, `query_timeout`...)."""
        return cls(settings.query_workers, settings.query_queue, settings.query_timeout,
                   settings.query_memory)

    def start(self) -> None:
        """Start the workers in a background thread (once); queries arriving first wait for them."""
        with self._lock:
            if self._started or self._closed:
                return
            self._started = True
            _CONTEXT.set_forkserver_preload(_preload())  # used when the forkserver starts, once per process
        threading.Thread(target=self._spawn, args=(self.workers,), name="kg-query-pool-start", daemon=True).start()
        threading.Thread(target=_watch, args=(weakref.ref(self),), name="kg-query-pool-watch", daemon=True).start()

    def pids(self) -> list[int]:
        """Return the process ids of the live workers (to watch them, or to test replacement)."""
        with self._lock:
            return sorted(self._live)

    def execute(self, store: Store, query: str, **options: Any) -> Answer:
        """Run `kg.sparql.protocol.execute` on a store: in a worker if it is on disk, in this process otherwise.

        Raises:
            QueryError, ReadOnlyError: the query is malformed or not allowed (checked here first).
            QueryStopped: it ran past the time or memory limit.
            ServerBusy: too many queries are running or waiting.
            WorkerCrashed: its worker died for another reason.
        """
        if not runs_in_worker(store.location):
            return execute(store, query, **options)
        check_query(query)
        return self.run(store.location, query, **options, checked=True)  # the worker need not check again

    def run(self, location: str, query: str, **options: Any) -> Answer:
        """Run a query on the database at `location` in a worker; options are `execute`'s."""
        if self._closed:
            raise ServerBusy("the query service is shutting down", self.retry_after)
        self.start()
        if not self._slots.acquire(blocking=False):
            raise ServerBusy(f"the server is busy: {self.workers} SPARQL queries are running and "
                             f"{self.queue_size} waiting; retry in {self.retry_after} s", self.retry_after)
        try:
            deadline = time.monotonic() + self.timeout
            try:
                return self._ask(self._take(), (location, query, options), self.timeout)
            except WorkerCrashed:  # most likely killed while idle, just before it was taken: retry once
                if deadline - time.monotonic() < 0.1:
                    raise
                return self._ask(self._take(), (location, query, options), deadline - time.monotonic())
        finally:
            self._slots.release()

    def close(self) -> None:
        """Stop every worker (also done at exit and when the pool is garbage collected)."""
        self._closed = True
        self._finalizer()

    def __enter__(self) -> QueryPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---- workers ----

    def _take(self) -> _Worker:
        """Wait up to `queue_wait` for an idle, live worker."""
        deadline = time.monotonic() + self.queue_wait
        while True:
            try:
                worker = self._idle.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                raise ServerBusy(f"the server is busy: no SPARQL worker came free within {self.queue_wait:g} s; "
                                 f"retry in {self.retry_after} s", self.retry_after) from None
            if not worker.retired and worker.process.is_alive():
                return worker
            self._retire(worker)  # died while idle: replace it and take another

    def _ask(self, worker: _Worker, request: tuple[str, str, dict[str, Any]], budget: float) -> Answer:
        """Send a request to a worker and wait at most `budget` seconds; kill the worker past it."""
        try:
            worker.conn.send(request)
            if not worker.conn.poll(budget):
                self._retire(worker)
                raise QueryTimeout(f"the query took longer than {self.timeout:g} s and was stopped "
                                   "(the server's limit, KG_QUERY_TIMEOUT); narrow it with more specific "
                                   "patterns or a LIMIT")
            status, payload = worker.conn.recv()
        except (EOFError, OSError, ValueError, TypeError) as error:  # died mid-query, or a garbled reply
            exitcode = self._retire(worker, wait=True)
            if exitcode == -signal.SIGABRT and self.memory_mb:
                raise QueryStopped(f"the query needed more than {self.memory_mb} MB of memory and was stopped "
                                   "(the server's limit, KG_QUERY_MEMORY)") from None
            reason = f"exit code {exitcode}" if exitcode is not None else str(error)
            raise WorkerCrashed(f"the SPARQL worker stopped unexpectedly ({reason}); it has been replaced: "
                                "retry the query") from None
        self._idle.put(worker)
        if status == "error":
            raise payload
        return payload

    def _retire(self, worker: _Worker, wait: bool = False) -> int | None:
        """Kill a worker (if alive) and start one replacement in the background; return its exit code if waited."""
        with self._lock:
            first = not worker.retired
            worker.retired = True
            self._live.pop(worker.process.pid or 0, None)
        if first:
            with contextlib.suppress(OSError, ValueError):
                if worker.process.is_alive():  # also learns a death, so a reused pid is never signalled
                    worker.process.kill()
            if not self._closed:
                threading.Thread(target=self._replace, args=(worker,), name="kg-query-pool-replace",
                                 daemon=True).start()
        if wait:
            worker.process.join(2)
        return worker.process.exitcode

    def _replace(self, worker: _Worker) -> None:
        worker.process.join(5)  # reap it
        worker.conn.close()
        self._spawn(1)

    def _spawn(self, count: int) -> None:
        """Start `count` workers and hand them to waiting queries; retry while starting fails."""
        for _ in range(count):
            while not self._closed:
                try:
                    worker = self._new_worker()
                except Exception:  # the forkserver itself failed: keep trying, slowly
                    log.exception("could not start a SPARQL worker; retrying in 1 s")
                    time.sleep(1)
                    continue
                if worker is not None:
                    self._idle.put(worker)
                break

    def _new_worker(self) -> _Worker | None:
        ours, theirs = _CONTEXT.Pipe()
        process = _CONTEXT.Process(target=_worker_main, args=(theirs, self.memory_mb), name="kg-query-worker",
                                   daemon=True)
        with self._lock:
            if self._closed:
                return None
            process.start()
            worker = _Worker(process, ours)
            self._live[process.pid or 0] = worker
        theirs.close()
        return worker


def _watch(pool_ref: weakref.ref[QueryPool]) -> None:
    """Replace workers that die outside a query (killed from outside, out of memory) as soon as they do.

    Holds the pool only weakly between rounds, so that a pool nobody uses any more is collected.
    """
    while (pool := pool_ref()) is not None and not pool._closed:
        with pool._lock:
            workers = {w.process.sentinel: w for w in pool._live.values()}
        del pool
        ready = wait(list(workers), timeout=0.5) if workers else time.sleep(0.5) or []
        pool = pool_ref()
        for sentinel in ready:
            if pool is not None:
                pool._retire(workers[sentinel])  # type: ignore[index]
        del pool, workers


def _stop_all(live: dict[int, _Worker], lock: threading.Lock) -> None:
    """Close every worker's pipe (it exits on end of file), then kill any that is still there."""
    with lock:
        workers = list(live.values())
        live.clear()
    for worker in workers:
        worker.conn.close()
    for worker in workers:
        worker.process.join(0.5)
        if worker.process.is_alive():
            worker.process.kill()
            worker.process.join(1)


# ---- inside a worker process ----

def _worker_main(conn: Connection, memory_mb: int) -> None:
    """Answer (location, query, options) requests on the pipe until it closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C stops the server, which closes the pipe
    limit_arenas(1)  # one thread
    if memory_mb:
        limit = memory_mb * 2**20
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    stores: OrderedDict[str, Store] = OrderedDict()
    while True:
        try:
            location, query, options = conn.recv()
        except (EOFError, OSError):
            break
        try:
            reply: tuple[str, Any] = ("ok", execute(_open(stores, location), query, **options))
        except Exception as error:
            reply = ("error", _portable(error))
        conn.send(reply)
        del reply
        release_free_memory()  # a large answer's pages go back to the system, not kept per worker
    for store in stores.values():
        store.close()


def _open(stores: OrderedDict[str, Store], location: str) -> Store:
    """Return the store at a location, opened read-only once; close all but the last KEEP_OPEN."""
    store = stores.pop(location, None) or open_store(location, read_only=True)
    stores[location] = store
    while len(stores) > KEEP_OPEN:
        stores.popitem(last=False)[1].close()
    return store


def _portable(error: Exception) -> Exception:
    """Return the error itself if it survives pickling, else a RuntimeError with its message."""
    import pickle

    try:
        pickle.loads(pickle.dumps(error))
        return error
    except Exception:
        return RuntimeError(f"{type(error).__name__}: {error}")
