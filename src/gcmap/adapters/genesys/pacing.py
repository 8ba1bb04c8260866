"""Client-side pacing: a token bucket per access token, with Retry-After holds."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

__all__ = ["Pacer"]


class Pacer:
    """Spaces requests per access token so the platform's per-token limit is rarely hit.

    Each token has a bucket of ``burst`` slots refilled at ``rate_per_min``. After a 429 the
    token is held until its ``Retry-After`` has elapsed; no request with that token leaves
    before then, whichever thread sends it.
    """

    def __init__(self, rate_per_min: float = 300.0, burst: int = 5,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.rate = rate_per_min / 60.0
        self.burst = float(max(1, burst))
        self.clock = clock
        self._lock = threading.Lock()
        self._state: dict[str, tuple[float, float]] = {}
        self._hold: dict[str, float] = {}

    def reserve(self, token: str) -> float:
        """Reserve the next slot for ``token``; returns seconds to wait before sending."""
        with self._lock:
            now = self.clock()
            hold = self._hold.get(token, 0.0)
            if self.rate <= 0:
                return max(0.0, hold - now)
            level, last = self._state.get(token, (self.burst, now))
            level = min(self.burst, level + (now - last) * self.rate)
            level -= 1.0  # may go negative: later callers queue behind this one
            self._state[token] = (level, now)
            wait = 0.0 if level >= 0 else -level / self.rate
            return max(wait, hold - now)

    def held_for(self, token: str) -> float:
        """Seconds until ``token``'s Retry-After hold ends (0 when it is not held).

        A slot reserved before a 429 arrived may come due inside the hold; callers check this
        after waiting for their slot and, while held, wait again and reserve a new slot.
        """
        with self._lock:
            return max(0.0, self._hold.get(token, 0.0) - self.clock())

    def hold(self, token: str, seconds: float) -> None:
        """Block ``token`` for ``seconds`` from now (a Retry-After)."""
        with self._lock:
            until = self.clock() + seconds
            if until > self._hold.get(token, 0.0):
                self._hold[token] = until
            # The server's bucket is empty too: start ours empty when the hold ends.
            self._state[token] = (0.0, until)
