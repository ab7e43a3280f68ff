"""Remember views computed from a store snapshot that can no longer change.

A published snapshot is read-only and immutable (kg.store.snapshots), so a page's data computed from it
stays true as long as that snapshot is served: the web app asks for the same bodies, DPs and
counts again and again. Writable stores (memory:, a plain directory being ingested into, a remote
endpoint) are never cached. Each store keeps its own small LRU, dropped with the store.
"""

from __future__ import annotations

import functools
import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, TypeVar

from kg.store.base import Store

F = TypeVar("F", bound=Callable[..., Any])

#: Most answers kept per function and store.
SIZE = 256

_caches: weakref.WeakKeyDictionary[Store, dict[str, OrderedDict[Any, Any]]] = weakref.WeakKeyDictionary()
_lock = threading.Lock()


def is_immutable(store: Store) -> bool:
    """Tell whether a store can no longer change: a published snapshot, opened read-only and leased."""
    marked = getattr(store, "immutable", None)
    if marked is not None:
        return bool(marked)
    return getattr(store, "lease", None) is not None


def cached(function: F) -> F:
    """Memoise `function(store, *args)` per immutable store (arguments must be hashable)."""
    name = f"{function.__module__}.{function.__qualname__}"

    @functools.wraps(function)
    def wrapper(store: Store, *args: Any, **kwargs: Any) -> Any:
        if not is_immutable(store):
            return function(store, *args, **kwargs)
        key = (tuple(tuple(a) if isinstance(a, list) else a for a in args), tuple(sorted(kwargs.items())))
        try:
            hash(key)
        except TypeError:  # an argument that cannot be a key (a dict): not remembered
            return function(store, *args, **kwargs)
        with _lock:
            memo = _caches.setdefault(store, {}).setdefault(name, OrderedDict())
            if key in memo:
                memo.move_to_end(key)
                return memo[key]
        value = function(store, *args, **kwargs)
        with _lock:
            memo[key] = value
            if len(memo) > SIZE:
                memo.popitem(last=False)
        return value

    return wrapper  # type: ignore[return-value]
