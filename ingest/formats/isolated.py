"""Read files with third-party parsers in worker processes bounded in time and memory.

An HTML, Word or PDF parser given a hostile file can spin or swallow memory, and Python cannot
stop a running parser from outside. So those files are parsed in worker processes (`python -m ingest.formats.isolated`,
started afresh: never forked from a process holding a store open), each under a memory cap, and a
worker that takes longer than the timeout is killed and replaced; its file is refused with the
reason. Two workers also read two files at once.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import resource
import select
import struct
import subprocess
import sys
import time
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from ingest.blocks import Block
from ingest.errors import IngestError
from kg.settings import Settings

_HEADER = struct.Struct("!Q")


@dataclass(frozen=True)
class ReadLimits:
    """How large a file may be, and how long and how much memory reading one may take."""

    max_bytes: int = 50 * 1024 * 1024
    timeout: float = 30.0
    memory_mb: int = 1024
    workers: int = 2

    @classmethod
    def from_settings(cls, settings: Settings) -> ReadLimits:
        """Return the limits the settings give (`KG_MAX_DOCUMENT_MB`, `KG_PARSE_TIMEOUT`, `KG_PARSE_MEMORY`)."""
        return cls(max_bytes=settings.max_document_mb * 1024 * 1024, timeout=settings.parse_timeout,
                   memory_mb=settings.parse_memory)


@dataclass(frozen=True)
class Job:
    """One file to parse: its path, its format, and how many bytes it may have."""

    path: str
    format: str
    max_bytes: int


def read_bounded(path: Path, max_bytes: int) -> bytes:
    """Read a file's bytes, at most `max_bytes` (IngestError past that, or if it cannot be read)."""
    try:
        with path.open("rb") as file:
            data = file.read(max_bytes + 1)
    except OSError as error:
        raise IngestError(str(path), f"cannot read the file ({error.strerror or error})") from None
    if len(data) > max_bytes:
        raise too_large(path, f"more than {max_bytes // (1024 * 1024)}", max_bytes)  # it grew since it was measured
    return data


def too_large(path: Path, size: str, limit: int) -> IngestError:
    """Return the error for a file over the size limit (`size` in MB, as text)."""
    return IngestError(str(path), f"the file is {size} MB; documents of at most {limit // (1024 * 1024)} MB are "
                                  "read (KG_MAX_DOCUMENT_MB)")


def _parse(job: Job) -> tuple[list[Block], str]:
    """Read and parse one file; return its blocks and the SHA-256 of its bytes."""
    from ingest.formats.readers import BINARY_READERS  # imported in the worker, where the parsers live

    data = read_bounded(Path(job.path), job.max_bytes)
    return BINARY_READERS[job.format](job.path, data), hashlib.sha256(data).hexdigest()


def _send(stream: IO[bytes], value: Any) -> None:
    payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_HEADER.pack(len(payload)) + payload)
    stream.flush()


def _receive(stream: IO[bytes]) -> Any:
    header = stream.read(_HEADER.size)
    if len(header) < _HEADER.size:
        raise EOFError("the worker closed its pipe")
    size = _HEADER.unpack(header)[0]
    payload = stream.read(size)
    if len(payload) < size:
        raise EOFError("the worker closed its pipe")
    return pickle.loads(payload)


def serve(memory_mb: int) -> None:
    """A worker's loop: parse each job read from standard input, answer blocks or the error.

    The parsers are loaded before the memory cap is set, so that the cap bounds reading, not loading.
    """
    import ingest.formats.readers  # noqa: F401

    if memory_mb > 0:
        limit = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    source = sys.stdin.buffer
    sink = os.fdopen(os.dup(1), "wb")  # the answers' own channel: a parser that prints cannot corrupt it
    os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
    sys.setrecursionlimit(4000)
    while True:
        try:
            job = _receive(source)
        except EOFError:
            return
        try:
            answer: tuple[str, object] = ("ok", _parse(job))
        except IngestError as error:
            answer = ("error", (error.reason, error.line))
        except MemoryError:
            answer = ("error", (f"reading it needs more than {memory_mb} MB of memory: refused", None))
        except RecursionError:
            answer = ("error", ("its structure is nested too deeply to read", None))
        except Exception as error:
            answer = ("error", (f"the {job.format} reader failed on it ({type(error).__name__}: {error})", None))
        _send(sink, answer)


class _Worker:
    """A worker process (`python -m ingest.formats.isolated`), its pipes, and the job it is reading."""

    def __init__(self, memory_mb: int) -> None:
        self.process = subprocess.Popen([sys.executable, "-m", "ingest.formats.isolated", str(memory_mb)],
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        self.job: tuple[int, Job, float] | None = None

    def give(self, index: int, job: Job) -> None:
        """Send the worker a job to read, remembering when."""
        assert self.process.stdin is not None
        self.job = (index, job, time.monotonic())
        with contextlib.suppress(OSError):  # it died; its answer reads as EOF
            _send(self.process.stdin, job)

    def fileno(self) -> int:
        """Return the worker's answer pipe, for `select`."""
        assert self.process.stdout is not None
        return self.process.stdout.fileno()

    def answer(self) -> Any:
        """Read the worker's answer to its job."""
        assert self.process.stdout is not None
        return _receive(self.process.stdout)

    def stop(self, kill: bool = False) -> None:
        """End the worker: let it finish (its input closed) or kill it; close its pipes."""
        with contextlib.suppress(OSError, ValueError):
            if kill:
                self.process.kill()
            elif self.process.stdin is not None:
                self.process.stdin.close()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        for stream in (self.process.stdin, self.process.stdout):
            with contextlib.suppress(OSError, ValueError):
                if stream is not None:
                    stream.close()


def read_isolated(jobs: list[Job], limits: ReadLimits) -> Iterator[tuple[int, tuple[list[Block], str] | IngestError]]:
    """Parse jobs in bounded workers; yield (job index, (blocks, sha256) or the IngestError) as each finishes."""
    waiting = deque(enumerate(jobs))
    workers: list[_Worker] = []
    try:
        while waiting or any(w.job for w in workers):
            while waiting and (len(workers) < limits.workers or any(w.job is None for w in workers)):
                idle = next((w for w in workers if w.job is None), None)
                if idle is None:
                    idle = _Worker(limits.memory_mb)
                    workers.append(idle)
                idle.give(*waiting.popleft())
            busy = [w for w in workers if w.job]
            deadline = min(w.job[2] for w in busy if w.job) + limits.timeout
            ready, _, _ = select.select(busy, [], [], max(0.0, deadline - time.monotonic()))
            for worker in busy:
                assert worker.job is not None
                index, job, started = worker.job
                if worker in ready:
                    answer, alive = _answer(worker, job, limits)
                    if not alive:
                        worker.stop(kill=True)
                        workers.remove(worker)
                    yield index, answer
                elif time.monotonic() - started >= limits.timeout and not select.select([worker], [], [], 0)[0]:
                    worker.stop(kill=True)
                    workers.remove(worker)
                    yield index, IngestError(job.path, f"reading it took longer than {limits.timeout:g} s and was "
                                                       "stopped (a damaged or hostile file?)")
    finally:
        for worker in workers:
            worker.stop(kill=worker.job is not None)


def _answer(worker: _Worker, job: Job, limits: ReadLimits) -> tuple[tuple[list[Block], str] | IngestError, bool]:
    """Receive a worker's answer, and whether the worker is still alive to take another job."""
    worker.job = None
    try:
        status, value = worker.answer()
    except (EOFError, OSError, pickle.UnpicklingError):
        return IngestError(job.path, f"the reader stopped while reading it (more than {limits.memory_mb} MB "
                                     "of memory, or a crash in the parser)"), False
    if status == "ok":
        return value, True  # type: ignore[return-value]
    reason, line = value  # type: ignore[misc]
    return IngestError(job.path, reason, line), True


if __name__ == "__main__":
    serve(int(sys.argv[1]) if len(sys.argv) > 1 else 0)
