"""A run's lease, renewed on a timer while the run is alive, whatever the run is waiting on."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Literal

__all__ = ["Cancelled", "Heartbeat"]

log = logging.getLogger("gcmap.runs")


class Cancelled(Exception):
    """The run must stop: ``status`` says why (``cancelled`` on request, ``lost`` when another
    worker took the lease)."""

    def __init__(self, status: Literal["cancelled", "lost"], message: str) -> None:
        super().__init__(message)
        self.status: Literal["cancelled", "lost"] = status


class Heartbeat:
    """Calls ``renew`` every ``every`` seconds in a daemon thread until stopped.

    ``renew`` returns (still ours, cancel requested). The run's own thread calls ``check`` at
    every step it takes, which raises ``Cancelled`` once a renewal said so; a renewal that
    fails (the database briefly unreachable) is retried at the next beat.
    """

    def __init__(self, renew: Callable[[], tuple[bool, bool]], every: float) -> None:
        self._renew, self.every = renew, every
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._verdict: Cancelled | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, daemon=True, name="gcmap-heartbeat")
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(self.every + 5)

    def beat_now(self) -> None:
        """Renew at once (phase changes), in the caller's thread."""
        with self._lock:
            ours, cancel = self._renew()
            if not ours:
                self._verdict = Cancelled("lost", "this worker lost the run's lease")
            elif cancel:
                self._verdict = Cancelled("cancelled", "cancelled on request")

    def check(self) -> None:
        """Raise ``Cancelled`` if a renewal found the run cancelled or taken."""
        if self._verdict is not None:
            raise self._verdict

    def _loop(self) -> None:
        while not self._stop.wait(self.every):
            try:
                self.beat_now()
            except Exception:  # the next beat retries; the lease has slack for that
                log.exception("heartbeat failed")
            if self._verdict is not None:
                return
