"""Keeping current: a re-mapping interval and a debounced change watch."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from gcmap.storage.protocol import Store

__all__ = ["ChangeWatch", "FleetWatch", "WatchConfig"]

log = logging.getLogger("gcmap.watch")
Changes = Callable[[float, float], list[dict[str, Any]]]


@dataclass(frozen=True)
class WatchConfig:
    poll_s: float = 60.0
    debounce_s: float = 30.0
    remap_interval_s: float = 0.0  # 0: no scheduled re-mapping


class _Poller:
    """A daemon thread that calls ``tick`` every ``config.poll_s`` until stopped."""

    config: WatchConfig
    name = "gcmap-watch"

    def __init__(self) -> None:
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def tick(self) -> Any:
        raise NotImplementedError

    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, daemon=True, name=self.name)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join(5)

    def _loop(self) -> None:
        while not self._stop.wait(self.config.poll_s):
            try:
                self.tick()
            except Exception:
                log.exception("change watch poll failed")


class ChangeWatch(_Poller):
    """Starts a mapping run when the org changed (debounced) or the interval has passed.

    A change is any audit record since the last run started. The run starts once no new
    change has arrived for ``debounce_s``, so a burst of edits gives one run, not many.
    """

    def __init__(self, store: Store, org_key: str, changes: Changes | None,
                 config: WatchConfig | None = None, clock: Callable[[], float] = time.time,
                 ) -> None:
        super().__init__()
        self.store, self.org_key, self.changes = store, org_key, changes
        self.config = config or WatchConfig()
        self.clock = clock
        self._checked_until: float | None = None
        self._last_change: float | None = None

    def _latest(self) -> tuple[dict[str, Any] | None, bool]:
        # This org's newest run, whatever else the store holds (other orgs' runs included).
        runs, _ = self.store.list_runs(1, 0, None, [self.org_key])
        busy = self.store.latest_run(self.org_key, ("queued", "running")) is not None
        return (runs[0] if runs else None), busy

    def tick(self) -> dict[str, Any] | None:
        """One poll; returns the run it started, if any."""
        now = self.clock()
        latest, busy = self._latest()
        if busy:
            return None
        if latest is None:
            return self._start("first mapping", now)
        if self.config.remap_interval_s and \
                now - latest["createdAt"] >= self.config.remap_interval_s:
            return self._start("schedule", now)
        if self.changes is None:
            return None
        start = self._checked_until or (latest.get("startedAt") or latest["createdAt"])
        found = self.changes(start, now)
        self._checked_until = now
        if found:
            self._last_change = now
            log.info("%d configuration change(s) seen; waiting %.0fs for quiet", len(found),
                     self.config.debounce_s)
            return None
        if self._last_change is not None and now - self._last_change >= self.config.debounce_s:
            self._last_change = None
            return self._start("change-watch", now)
        return None

    def _start(self, why: str, now: float) -> dict[str, Any]:
        run = self.store.create_run(self.org_key, why, now)
        log.info("started mapping %s (%s)", run["id"], why)
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

    def tick(self) -> list[dict[str, Any]]:
        """One poll of every org; returns the runs it started."""
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
