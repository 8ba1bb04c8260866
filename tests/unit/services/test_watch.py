"""The change watch on an injected clock: debounce, interval, one run at a time."""

from __future__ import annotations

from typing import Any

from gcmap.services.watch import ChangeWatch, WatchConfig
from gcmap.storage import MemoryStore


class Clock:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


def _finish_all(store: MemoryStore, now: float) -> None:
    while (run := store.claim_run("w", 30, now)) is not None:
        store.finish_run(run["id"], "w", "succeeded", now)


def test_burst_of_changes_gives_one_run_after_quiet() -> None:
    store, clock = MemoryStore(), Clock()
    edits: list[float] = []
    seen: list[tuple[float, float]] = []

    def changes(start: float, end: float) -> list[dict[str, Any]]:
        seen.append((start, end))
        return [{"eventDate": t} for t in edits if start <= t < end]

    watch = ChangeWatch(store, "org", changes, WatchConfig(poll_s=10, debounce_s=30), clock)
    assert watch.tick() is not None  # the first mapping
    _finish_all(store, clock.t)
    clock.t += 10
    assert watch.tick() is None  # no change
    edits += [clock.t + 1, clock.t + 5]
    clock.t += 10
    assert watch.tick() is None  # changes seen: wait for quiet
    edits.append(clock.t + 2)
    clock.t += 10
    assert watch.tick() is None  # another change restarts the wait
    clock.t += 10
    assert watch.tick() is None  # quiet for 10 s only
    clock.t += 25
    run = watch.tick()
    assert run is not None and run["requestedBy"] == "change-watch"
    assert watch.tick() is None  # a run is queued: nothing more
    assert all(b > a for a, b in seen)  # windows move forward without gaps
    assert all(seen[i][1] == seen[i + 1][0] for i in range(len(seen) - 1))
    assert len(store.list_runs(10, 0)[0]) == 2


def test_interval_remaps_without_changes() -> None:
    store, clock = MemoryStore(), Clock()
    watch = ChangeWatch(store, "org", None, WatchConfig(remap_interval_s=3600), clock)
    watch.tick()
    _finish_all(store, clock.t)
    clock.t += 3599
    assert watch.tick() is None
    clock.t += 1
    assert watch.tick()["requestedBy"] == "schedule"


def test_every_org_is_watched_on_its_own_feed_and_a_removed_one_is_dropped() -> None:
    from gcmap.services.watch import FleetWatch
    from tests.keys import sealing_box

    store, clock = MemoryStore(sealing_box()), Clock()
    a = store.create_org("A", "mypurecloud.com", None, "ca", "sa", clock.t)
    b = store.create_org("B", "mypurecloud.ie", None, "cb", "sb", clock.t)
    edits = {a["id"]: [clock.t + 15], b["id"]: []}
    asked: list[str] = []

    def changes_of(org: str) -> Any:
        asked.append(org)
        return lambda start, end: [{"eventDate": t} for t in edits[org] if start <= t < end]

    fleet = FleetWatch(store, "default", None, changes_of,
                       WatchConfig(poll_s=10, debounce_s=30), clock)
    first = fleet.tick()
    assert sorted(r["orgKey"] for r in first) == sorted(["default", a["id"], b["id"]])
    assert sorted(asked) == sorted([a["id"], b["id"]])  # one feed per registered org
    _finish_all(store, clock.t)
    clock.t += 20
    assert fleet.tick() == []  # A changed: wait for quiet
    clock.t += 35
    [run] = fleet.tick()
    assert (run["orgKey"], run["requestedBy"]) == (a["id"], "change-watch")
    store.delete_org(b["id"])
    fleet.tick()
    assert sorted(fleet.watches) == sorted(["default", a["id"]])


def test_an_org_with_its_own_interval_is_remapped_on_it() -> None:
    from gcmap.services.watch import FleetWatch
    from tests.keys import sealing_box

    store, clock = MemoryStore(sealing_box()), Clock()
    hourly = store.create_org("Hourly", "mypurecloud.com", None, "c", "s", clock.t, 3600)
    daily = store.create_org("Service", "mypurecloud.com", None, "c", "s", clock.t)
    fleet = FleetWatch(store, "default", None, lambda org: None,
                       WatchConfig(poll_s=10, remap_interval_s=86400), clock)
    fleet.tick()
    _finish_all(store, clock.t)
    clock.t += 3600
    assert [(r["orgKey"], r["requestedBy"]) for r in fleet.tick()] == [
        (hourly["id"], "schedule")]
    _finish_all(store, clock.t)
    clock.t += 86400
    assert sorted(r["orgKey"] for r in fleet.tick()) == sorted(
        ["default", hourly["id"], daily["id"]])
