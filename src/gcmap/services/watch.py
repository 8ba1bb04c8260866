"""Keeping current: a re-mapping interval and a debounced change watch."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from gcmap.storage.protocol import Store

__all__ = ["ChangeWatch", "FleetWatch", "WatchConfig"]

log = logging.getLogger("gcmap.watch")
Changes = Callable[[float, float], list[dict[str, Any]]]


@dataclass(frozen=True)
class WatchConfig:
    """How the change watch polls and when it starts a run.

    Attributes:
        poll_s: seconds between audit queries (each costs one call per audited service).
        debounce_s: a run starts once the newest change is this old (in event time), so
            the edits of one save land in one run; no extra query is made to wait.
        max_wait_s: a run starts at the latest this long after a change was first seen,
            however busy the org is.
        overlap_s: each query reaches this far back before the last one, since a record
            can appear in the feed after later ones (seen records are not applied twice).
        remap_interval_s: a full re-map this often (0: never), whatever the feed says.
    """

    poll_s: float = 30.0
    debounce_s: float = 5.0
    max_wait_s: float = 30.0
    overlap_s: float = 120.0
    remap_interval_s: float = 86_400.0


class _Poller:
    """A daemon thread that calls ``tick`` until stopped, waking as ``next_delay`` says."""

    config: WatchConfig
    name = "gcmap-watch"

    def __init__(self) -> None:
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def tick(self) -> Any:
        raise NotImplementedError

    def next_delay(self) -> float:
        return self.config.poll_s

    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, daemon=True, name=self.name)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join(5)

    def _loop(self) -> None:
        while not self._stop.wait(max(0.05, self.next_delay())):
            try:
                self.tick()
            except Exception:
                log.exception("change watch poll failed")


def _event_time(record: dict[str, Any], now: float) -> float:
    raw = str(record.get("eventDate") or "")
    try:
        t = datetime.fromisoformat(raw.replace("Z", "+00:00")).timestamp()
    except ValueError:
        return now
    return min(t, now)  # a clock ahead of ours must not hold the run back


class ChangeWatch(_Poller):
    """Starts an incremental run with the audit records the org's feed shows, and full runs
    when the org has none yet or the re-map interval has passed.

    Records are collected while a run is busy and go into the next one; each record is
    applied once even though query windows overlap.
    """

    def __init__(self, store: Store, org_key: str, changes: Changes | None,
                 config: WatchConfig | None = None, clock: Callable[[], float] = time.time,
                 ) -> None:
        super().__init__()
        self.store, self.org_key, self.changes = store, org_key, changes
        self.config = config or WatchConfig()
        self.clock = clock
        self._checked_until: float | None = None
        self._next_poll = 0.0
        self._pending: dict[str, dict[str, Any]] = {}
        self._first_seen: float | None = None
        self._newest = 0.0  # event time of the newest pending record
        self._seen: dict[str, float] = {}  # record id -> when seen (within the overlap)

    def _latest(self) -> tuple[dict[str, Any] | None, float | None, bool]:
        """(newest run, creation time of the newest full run, a run is queued or running)."""
        runs, _ = self.store.list_runs(20, 0, None, [self.org_key])
        busy = self.store.latest_run(self.org_key, ("queued", "running")) is not None
        full = next((r["createdAt"] for r in runs if r.get("changes") is None),
                    runs[-1]["createdAt"] if runs else None)
        return (runs[0] if runs else None), full, busy

    def next_delay(self) -> float:
        """Seconds until this watch has something to do: the next poll, or the moment the
        pending changes have been quiet long enough."""
        now = self.clock()
        wake = self._next_poll
        if self._pending and self._first_seen is not None:
            wake = min(wake, self._newest + self.config.debounce_s,
                       self._first_seen + self.config.max_wait_s)
        return max(0.0, wake - now)

    def tick(self) -> dict[str, Any] | None:
        """One step; returns the run it started, if any."""
        now = self.clock()
        latest, last_full, busy = self._latest()
        if busy:
            self._poll(now, latest)
            return None
        if latest is None:
            return self._start("first mapping", now)
        if self.config.remap_interval_s and last_full is not None and \
                now - last_full >= self.config.remap_interval_s:
            self._pending.clear()  # the full read sees them
            return self._start("schedule", now)
        self._poll(now, latest)
        if not self._pending or self._first_seen is None:
            return None
        quiet = now - self._newest >= self.config.debounce_s
        if quiet or now - self._first_seen >= self.config.max_wait_s:
            records = sorted(self._pending.values(),
                             key=lambda r: (str(r.get("eventDate")), str(r.get("id"))))
            self._pending.clear()
            self._first_seen = None
            return self._start("change-watch", now, records)
        return None

    def _poll(self, now: float, latest: dict[str, Any] | None) -> None:
        if self.changes is None or now < self._next_poll or latest is None:
            return
        start = self._checked_until or (latest.get("startedAt") or latest["createdAt"])
        found = self.changes(start - self.config.overlap_s, now)
        self._checked_until = now
        self._next_poll = now + self.config.poll_s
        fresh = [r for r in found if str(r.get("id")) not in self._seen]
        for r in fresh:
            rid = str(r.get("id"))
            self._seen[rid] = now
            self._pending[rid] = r
            self._newest = max(self._newest, _event_time(r, now))
        horizon = now - 2 * self.config.overlap_s
        self._seen = {k: t for k, t in self._seen.items() if t >= horizon}
        if fresh:
            if self._first_seen is None:
                self._first_seen = now
            log.info("%d configuration change(s) seen", len(fresh))

    def _start(self, why: str, now: float,
               changes: list[dict[str, Any]] | None = None) -> dict[str, Any]:
        run = self.store.create_run(self.org_key, why, now, changes)
        log.info("started mapping %s (%s%s)", run["id"], why,
                 f", {len(changes)} audit record(s)" if changes else "")
        return run


class FleetWatch(_Poller):
    """One ChangeWatch per org the service maps: the configured one and every registered
    one, added and dropped as orgs are registered and removed."""

    def __init__(self, store: Store, default_key: str, default_changes: Changes | None,
                 changes_of: Callable[[str], Changes | None],
                 config: WatchConfig | None = None, clock: Callable[[], float] = time.time,
                 ) -> None:
        super().__init__()
        self.store, self.default_key = store, default_key
        self.default_changes, self.changes_of = default_changes, changes_of
        self.config = config or WatchConfig()
        self.clock = clock
        self.watches: dict[str, ChangeWatch] = {}

    def next_delay(self) -> float:
        """The soonest any org's watch has work (new orgs are found at the poll rate)."""
        return min([self.config.poll_s, *(w.next_delay() for w in self.watches.values())])

    def tick(self) -> list[dict[str, Any]]:
        """One step of every org's watch; returns the runs it started."""
        registered = self.store.list_orgs()
        keys = [self.default_key, *(o["id"] for o in registered)]
        # An org's own re-map interval, else the service's.
        interval = {o["id"]: o["remapIntervalS"] for o in registered
                    if o.get("remapIntervalS") is not None}
        for key in keys:
            if key not in self.watches:
                changes = self.default_changes if key == self.default_key \
                    else self.changes_of(key)
                config = replace(self.config, remap_interval_s=interval[key]) \
                    if key in interval else self.config
                self.watches[key] = ChangeWatch(self.store, key, changes, config, self.clock)
        for key in set(self.watches) - set(keys):
            del self.watches[key]
        started = []
        for key in keys:
            try:
                run = self.watches[key].tick()
            except Exception:  # one org's failing audit feed must not stop the others
                log.exception("change watch of org %s failed", key)
                continue
            if run is not None:
                started.append(run)
        return started
