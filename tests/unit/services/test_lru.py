"""The weight-bounded LRU both caches share, against a brute-force model of it."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from gcmap.services.lru import TtlCache, WeightedLRU

OPS = st.lists(st.tuples(st.sampled_from(["get", "put", "grow"]), st.sampled_from("abcdef"),
                         st.integers(1, 40)), max_size=60)


@given(OPS)
def test_the_lru_holds_what_a_list_model_holds(ops: list[tuple[str, str, int]]) -> None:
    lru: WeightedLRU[str] = WeightedLRU(100)
    model: list[tuple[str, int]] = []  # oldest first
    for op, key, weight in ops:
        held = next((i for i, (k, _) in enumerate(model) if k == key), None)
        if op == "get":
            assert (lru.get(key) is not None) == (held is not None)
            if held is not None:
                model.append(model.pop(held))
            continue
        if op == "grow":  # something made from the entry now weighs on it too
            lru.grow(key, weight)
            if held is not None:
                k, w = model.pop(held)
                model.append((k, w + weight))
                while sum(w for _, w in model) > 100 and len(model) > 1:
                    model.pop(0)
            continue
        lru.put(key, f"{key}{weight}", weight)
        if held is not None:
            model.append(model.pop(held))
            continue
        model.append((key, weight))
        while sum(w for _, w in model) > 100 and len(model) > 1:
            model.pop(0)
    assert len(lru) == len(model)
    assert lru.weight == sum(w for _, w in model)
    assert all(lru.get(k) is not None for k, _ in model)


def test_an_entry_already_held_wins_and_the_newest_stays_even_when_too_heavy() -> None:
    lru: WeightedLRU[str] = WeightedLRU(10)
    assert lru.put("a", "first", 3) == "first"
    assert lru.put("a", "second", 3) == "first"
    lru.put("big", "x", 50)
    assert (lru.get("a"), lru.get("big"), len(lru)) == (None, "x", 1)


def test_a_ttl_cache_holds_only_what_keep_allows_and_only_for_its_ttl() -> None:
    now = [0.0]
    found: list[str] = []
    states = {"a": "done", "b": "busy"}
    cache = TtlCache(lambda k: found.append(k) or states.get(k), 2.0, lambda: now[0],
                     keep=lambda v: v == "done")
    assert [cache.find(k) for k in ("a", "a", "b", "b", "zz")] == [
        "done", "done", "busy", "busy", None]
    assert found == ["a", "b", "b", "zz"]  # "b" may still change, so it is never held
    assert cache.peek("a") == (True, "done") and cache.peek("b") == (False, None)
    now[0] = 2.0
    assert cache.peek("a") == (False, None)
    assert cache.find("a") == "done" and found[-1] == "a"
    off = TtlCache(lambda k: found.append(k) or "done", 0, lambda: now[0])
    off.find("a")
    off.find("a")
    assert found[-2:] == ["a", "a"] and len(off) == 0
