"""A least-recently-used map bounded by the weight of what it holds (bytes, estimated)."""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Generic, TypeVar

__all__ = ["WeightedLRU"]

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
            while self._total > self.max_weight and len(self._items) > 1:
                _, (_, gone) = self._items.popitem(last=False)
                self._total -= gone
            return value

    @property
    def weight(self) -> int:
        """The total weight held now."""
        with self._lock:
            return self._total

    def __len__(self) -> int:
        with self._lock:
            return len(self._items)
