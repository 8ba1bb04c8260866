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


def _iso(t: float) -> str:
    from datetime import UTC, datetime

    return datetime.fromtimestamp(t, UTC).isoformat().replace("+00:00", "Z")


class Feed:
    """An audit feed: records appear at their event time and are queried by window."""

    def __init__(self) -> None:
        self.records: list[dict[str, Any]] = []
        self.asked: list[tuple[float, float]] = []

    def add(self, t: float, rid: str) -> None:
        self.records.append({"id": rid, "eventDate": _iso(t), "entityType": "Queue",
                             "action": "Update", "entity": {"id": "q1"}})

    def __call__(self, start: float, end: float) -> list[dict[str, Any]]:
        from datetime import datetime

        self.asked.append((start, end))
        return [r for r in self.records
                if start <= datetime.fromisoformat(r["eventDate"].replace("Z", "+00:00"))
                .timestamp() < end]


def test_changes_start_one_run_carrying_their_records_once_quiet() -> None:
    store, clock, feed = MemoryStore(), Clock(), Feed()
    watch = ChangeWatch(store, "org", feed, WatchConfig(poll_s=15, debounce_s=5,
                                                        max_wait_s=30, overlap_s=60), clock)
    assert watch.tick()["requestedBy"] == "first mapping"
    _finish_all(store, clock.t)
    clock.t += 15
    assert watch.tick() is None  # no change
    feed.add(clock.t + 1, "a")
    feed.add(clock.t + 13, "b")
    clock.t += 15
    assert watch.tick() is None  # the newest change is 2 s old: not quiet yet
    assert watch.next_delay() == 3  # it wakes when quiet, without another query
    asked = len(feed.asked)
    clock.t += 3
    run = watch.tick()
    assert len(feed.asked) == asked  # no extra audit query to find out it is quiet
    assert run is not None and run["requestedBy"] == "change-watch"
    assert [r["id"] for r in run["changes"]] == ["a", "b"]
    _finish_all(store, clock.t)
    clock.t += 12
    assert watch.tick() is None  # the overlapping window shows a and b again: not re-run
    assert all(start < prev_end for (_, prev_end), (start, _) in
               zip(feed.asked, feed.asked[1:], strict=False))  # windows overlap, no gaps


def test_a_steady_stream_of_changes_is_applied_within_a_poll_and_a_debounce() -> None:
    store, clock, feed = MemoryStore(), Clock(), Feed()
    watch = ChangeWatch(store, "org", feed, WatchConfig(poll_s=10, debounce_s=5,
                                                        max_wait_s=30, overlap_s=60), clock)
    watch.tick()
    _finish_all(store, clock.t)
    made: dict[str, float] = {}
    applied: dict[str, float] = {}
    for step in range(60):  # a change every 2 s for two minutes, the watch woken each second
        if step % 2 == 0:
            made[f"c{step}"] = clock.t
            feed.add(clock.t, f"c{step}")
        for _ in range(2):
            clock.t += 1
            if (run := watch.tick()) is not None:
                for r in run["changes"] or []:
                    assert r["id"] not in applied  # each record in one run only
                    applied[r["id"]] = clock.t
                _finish_all(store, clock.t)
    clock.t += 30
    for _ in range(3):
        clock.t += 10
        if (run := watch.tick()) is not None:
            applied.update((r["id"], clock.t) for r in run["changes"] or [])
            _finish_all(store, clock.t)
    assert set(applied) == set(made)
    assert max(applied[k] - made[k] for k in made if made[k] < 1100) <= 10 + 5 + 1


def test_records_seen_while_a_run_is_busy_go_into_the_next_run() -> None:
    store, clock, feed = MemoryStore(), Clock(), Feed()
    watch = ChangeWatch(store, "org", feed, WatchConfig(poll_s=10, debounce_s=5), clock)
    watch.tick()  # the first mapping is queued and stays busy
    feed.add(clock.t + 2, "x")
    clock.t += 10
    assert watch.tick() is None
    _finish_all(store, clock.t)
    clock.t += 10
    run = watch.tick()
    assert [r["id"] for r in run["changes"]] == ["x"]


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
        return lambda start, end: [{"id": f"{org}-{t}", "eventDate": _iso(t)}
                                   for t in edits[org] if start <= t < end]

    fleet = FleetWatch(store, "default", None, changes_of,
                       WatchConfig(poll_s=10, debounce_s=30, max_wait_s=60), clock)
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

