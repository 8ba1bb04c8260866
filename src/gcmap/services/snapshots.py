"""Decoded mapping documents and their graphs, shared by every request, bounded by bytes.

A snapshot is addressed by the hash of its content, so a cached copy never goes stale. Its
graph is built once, on first use, under the entry's own lock, and then shared: concurrent
``/impact`` and ``/neighbourhood`` calls on one mapping no longer each rebuild it.
"""

from __future__ import annotations

import gzip
import json
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from gcmap.domain.document import graph_from_document
from gcmap.domain.graph import DependencyGraph
from gcmap.services.lru import WeightedLRU

__all__ = ["IN_MEMORY_FACTOR", "SnapshotCache"]

T = TypeVar("T")

# A decoded document and its graph take about 8 times the document's JSON size (measured on
# gcsim's large and huge orgs; benchmarks/README.md), and the stored bytes are kept too.
IN_MEMORY_FACTOR = 9


class _Entry:
    def __init__(self, raw: bytes, doc: dict[str, Any], weight: int) -> None:
        self.raw, self.doc, self.weight = raw, doc, weight
        self.derived: dict[str, Any] = {}
        self.gzipped: bytes | None = None
        self.lock = threading.Lock()


class SnapshotCache:
    """LRU over snapshots, evicting until the estimated total fits ``max_bytes`` (the newest
    entry stays even when it alone is larger)."""

    def __init__(self, load: Callable[[str], bytes | None], max_bytes: int,
                 on_grow: Callable[[], None] = lambda: None) -> None:
        """``on_grow`` runs after a document is decoded or a graph built (outside locks):
        the moments the process gains millions of long-lived objects."""
        self._load, self.max_bytes, self._on_grow = load, max_bytes, on_grow
        self._entries: WeightedLRU[_Entry] = WeightedLRU(max_bytes)
        self._lock = threading.Lock()
        self._loading: dict[str, threading.Lock] = {}

    @property
    def weight(self) -> int:
        """The estimated bytes held now."""
        return self._entries.weight

    def __len__(self) -> int:
        return len(self._entries)

    def _entry(self, snapshot_hash: str) -> _Entry | None:
        entry = self._entries.get(snapshot_hash)
        if entry is not None:
            return entry
        with self._lock:
            gate = self._loading.setdefault(snapshot_hash, threading.Lock())
        with gate:  # concurrent first requests decode it once
            entry = self._entries.get(snapshot_hash)
            if entry is not None:
                return entry
            raw = self._load(snapshot_hash)
            if raw is not None:
                # The canonical bytes stay too (about 1/8 of the weight): the whole document
                # is sent as stored, never encoded again per request.
                weight = len(raw) * IN_MEMORY_FACTOR
                entry = self._entries.put(snapshot_hash, _Entry(raw, json.loads(raw), weight),
                                          weight)
            with self._lock:
                self._loading.pop(snapshot_hash, None)
        if entry is not None:
            self._on_grow()
        return entry

    def document(self, snapshot_hash: str) -> dict[str, Any] | None:
        """The decoded document (shared: callers must not change it)."""
        entry = self._entry(snapshot_hash)
        return entry.doc if entry is not None else None

    def derive(self, snapshot_hash: str, name: str, build: Callable[[dict[str, Any]], T],
               weight_factor: float = 0.0) -> T | None:
        """What ``build`` makes of the document (its graph, a search index), made once per
        snapshot under the entry's lock and then shared read-only. It adds
        ``weight_factor`` times the document's JSON size to the entry's weight (the graph's
        share is already in ``IN_MEMORY_FACTOR``)."""
        entry = self._entry(snapshot_hash)
        if entry is None:
            return None
        with entry.lock:
            built = name not in entry.derived
            if built:
                entry.derived[name] = build(entry.doc)
            value: T = entry.derived[name]
        if built:
            self._entries.grow(snapshot_hash, int(len(entry.raw) * weight_factor))
            self._on_grow()
        return value

    def graph(self, snapshot_hash: str) -> DependencyGraph | None:
        """The document's graph, built once and shared (read-only)."""
        return self.derive(snapshot_hash, "graph", graph_from_document)

    def raw(self, snapshot_hash: str, gzipped: bool = False) -> bytes | None:
        """The document's canonical JSON as stored, or gzip-compressed (made once)."""
        entry = self._entry(snapshot_hash)
        if entry is None:
            return None
        if not gzipped:
            return entry.raw
        with entry.lock:
            if entry.gzipped is None:
                entry.gzipped = gzip.compress(entry.raw, compresslevel=6, mtime=0)
            return entry.gzipped
