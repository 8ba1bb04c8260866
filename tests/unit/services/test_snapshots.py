"""The snapshot cache: bounded by bytes, not by count; one graph per snapshot, shared."""

from __future__ import annotations

import json
import threading
from typing import Any

import pytest

import gcmap.services.snapshots as snapshots_mod
from gcmap.domain.document import canonical_json
from gcmap.services.mapping import map_org
from gcmap.services.snapshots import IN_MEMORY_FACTOR, SnapshotCache
from gcsim import generate_org


def _docs(n: int) -> dict[str, bytes]:
    out = {}
    for seed in range(n):
        doc = map_org(generate_org("tiny", seed), environment="mypurecloud.com",
                      generated_at="x").document
        out[doc["snapshotHash"]] = canonical_json(doc)
    return out


def test_the_cache_is_bounded_by_bytes_and_keeps_the_most_recent() -> None:
    docs = _docs(4)
    hashes = list(docs)
    biggest = max(len(b) for b in docs.values()) * IN_MEMORY_FACTOR
    cache = SnapshotCache(docs.get, max_bytes=2 * biggest)
    for h in hashes:
        assert cache.document(h)["snapshotHash"] == h
    assert cache.weight <= 2 * biggest and len(cache) == 2
    loads: list[str] = []
    counting = SnapshotCache(lambda h: loads.append(h) or docs.get(h), max_bytes=2 * biggest)
    for h in [hashes[0], hashes[1], hashes[0], hashes[2], hashes[0]]:
        counting.document(h)
    assert loads == [hashes[0], hashes[1], hashes[2]]  # the recently used one stayed
    assert counting.document("sha256:none") is None


def test_one_graph_per_snapshot_however_many_ask_at_once(monkeypatch: Any) -> None:
    docs = _docs(1)
    (h,) = docs
    builds: list[int] = []
    real = snapshots_mod.graph_from_document

    def counted(doc: dict[str, Any]) -> Any:
        builds.append(1)
        return real(doc)

    monkeypatch.setattr(snapshots_mod, "graph_from_document", counted)
    cache = SnapshotCache(docs.get, max_bytes=1 << 30)
    got: list[Any] = []
    threads = [threading.Thread(target=lambda: got.append(cache.graph(h))) for _ in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(builds) == 1 and len({id(g) for g in got}) == 1
    assert len(got[0]) == len(json.loads(docs[h])["nodes"])


@pytest.mark.parametrize("size", [16])
def test_the_bound_is_a_setting(size: int) -> None:
    from gcmap.settings import GcmapSettings

    assert GcmapSettings(snapshot_cache_mb=size).snapshot_cache_mb == size
    with pytest.raises(ValueError):
        GcmapSettings(snapshot_cache_mb=1)


def test_what_is_made_of_a_snapshot_is_made_once_and_each_growth_is_reported_once() -> None:
    docs = _docs(1)
    h = next(iter(docs))
    grew: list[str] = []
    built: list[str] = []
    cache = SnapshotCache(docs.get, max_bytes=1 << 30, on_grow=lambda: grew.append(h))

    def count_types(doc: dict[str, Any]) -> int:
        built.append("types")
        return len({n["type"] for n in doc["nodes"]})
    for _ in range(3):
        assert cache.document(h) is not None
        assert cache.graph(h) is cache.graph(h)
        assert cache.derive(h, "types", count_types) == len(
            {n["type"] for n in json.loads(docs[h])["nodes"]})
    # Decoded once, graph built once, the index made once: three moments the heap grew.
    assert (len(grew), built) == (3, ["types"])
    before = cache.weight
    cache.derive(h, "twice-the-json", lambda doc: 0, weight_factor=2.0)
    assert cache.weight == before + 2 * len(docs[h])
    assert cache.derive("sha256:none", "types", count_types) is None
