"""Reader leases on snapshots: a shared flock that keeps a snapshot's files from being cleaned up.

Kept apart from `kg.store.snapshots` so that `kg.store.embedded` can take a lease when a worker process opens
a snapshot's database directly; the kernel drops the lock when the process dies.
"""

from __future__ import annotations

import fcntl
import os
import weakref
from pathlib import Path

#: The lock file in each snapshot folder: readers hold it shared, cleanup takes it exclusively.
READERS = "readers"


class Lease:
    """A shared lock on a snapshot's readers file: while held, cleanup leaves the snapshot alone."""

    def __init__(self, readers: Path) -> None:
        self.fd = os.open(readers, os.O_RDONLY)
        fcntl.flock(self.fd, fcntl.LOCK_SH)
        self._finalizer = weakref.finalize(self, os.close, self.fd)

    def release(self) -> None:
        """Drop the lock (also done when the lease is garbage collected)."""
        self._finalizer()


def lease_snapshot(store_dir: Path) -> Lease | None:
    """Take a reader's lease on the snapshot a database directory belongs to; None if it has none.

    Raises:
        FileNotFoundError: the snapshot was removed before the lease was taken.
    """
    readers = store_dir.parent / READERS
    if not readers.exists():
        return None
    lease = Lease(readers)
    if not store_dir.is_dir():  # removed between our open and our lock
        lease.release()
        raise FileNotFoundError(store_dir)
    return lease
