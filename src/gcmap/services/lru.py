"""Bounded caches: a least-recently-used map weighed by what it holds (bytes, estimated),
and lookups held for a few seconds."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Generic, TypeVar

__all__ = ["TtlCache", "WeightedLRU"]

V = TypeVar("V")


class WeightedLRU(Generic[V]):
    """Thread-safe; the oldest entries go first once the total weight passes ``max_weight``
    (the newest entry stays even when it alone is heavier)."""

    def __init__(self, max_weight: int) -> None:
        self.max_weight = max_weight
        self._items: OrderedDict[str, tuple[V, int]] = OrderedDict()
        self._total = 0
        self._lock = threading.Lock()

    def get(self, key: str) -> V | None:
        """The value, now the most recently used; None when absent."""
        with self._lock:
            held = self._items.get(key)
            if held is None:
                return None
            self._items.move_to_end(key)
            return held[0]

    def put(self, key: str, value: V, weight: int) -> V:
        """Keep ``value`` (an entry already held wins: it is returned instead)."""
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key][0]
            self._items[key] = (value, weight)
            self._total += weight
            self._evict()
            return value

    def grow(self, key: str, extra: int) -> None:
        """``key``'s entry now weighs ``extra`` more (something was made from it); older
        entries go if the total no longer fits. Nothing happens when it is not held."""
        with self._lock:
            held = self._items.get(key)
            if held is None:
                return
            self._items[key] = (held[0], held[1] + extra)
            self._items.move_to_end(key)
            self._total += extra
            self._evict()

    def _evict(self) -> None:
        while self._total > self.max_weight and len(self._items) > 1:
            _, (_, gone) = self._items.popitem(last=False)
            self._total -= gone

    @property
    def weight(self) -> int:
        """The total weight held now."""
        with self._lock:
            return self._total

    def __len__(self) -> int:
        with self._lock:
            return len(self._items)


class TtlCache(Generic[V]):
    """Lookups held for ``ttl_s`` (0: none held), bounded by entry count.

    ``keep`` decides which found values may be held (a value that may still change is
    looked up every time); ``token`` turns a key into the form it is held under (a secret
    is held only as its hash). Thread-safe; ``peek`` never calls ``find``, so a caller on
    an event loop can take a held value there and do the lookup elsewhere.
    """

    def __init__(self, find: Callable[[str], V | None], ttl_s: float,
                 clock: Callable[[], float], size: int = 1024, *,
                 keep: Callable[[V | None], bool] = lambda _v: True,
                 token: Callable[[str], str] = lambda k: k) -> None:
        self.find_uncached, self.ttl, self.clock, self.size = find, ttl_s, clock, size
        self._keep, self._token = keep, token
        self._held: dict[str, tuple[float, V | None]] = {}
        self._lock = threading.Lock()

    def peek(self, key: str) -> tuple[bool, V | None]:
        """(True, value) when a fresh value is held (the value may be None: known absent),
        else (False, None)."""
        if self.ttl <= 0:
            return False, None
        with self._lock:
            held = self._held.get(self._token(key))
        if held is not None and self.clock() < held[0]:
            return True, held[1]
        return False, None

    def find(self, key: str) -> V | None:
        """The value for ``key``, held within ``ttl_s`` or looked up now."""
        fresh, value = self.peek(key)
        if fresh:
            return value
        value = self.find_uncached(key)
        if self.ttl > 0 and self._keep(value):
            with self._lock:
                if len(self._held) >= self.size:  # bounded: unknown keys cannot grow it
                    self._held.clear()
                self._held[self._token(key)] = (self.clock() + self.ttl, value)
        return value

    def __len__(self) -> int:
        with self._lock:
            return len(self._held)
