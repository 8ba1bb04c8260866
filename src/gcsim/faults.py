"""Rate limiting, fault injection and request statistics for gcsim."""

from __future__ import annotations

import math
import random
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

__all__ = ["FaultPlan", "RateLimiter", "Stats"]


class RateLimiter:
    """A token bucket per access token, like the platform's per-token request limit.

    ``rate_per_min`` tokens flow in per minute; the bucket holds ``burst`` at most. A request
    that finds the bucket empty is told how many whole seconds to wait (``Retry-After``). A
    request from the same token that arrives before that time counts as *early*, unless it
    arrives within ``grace`` seconds of the refusal: such a request was already in flight when
    the client received the 429 and could not have known.
    """

    def __init__(self, rate_per_min: float, burst: int | None = None,
                 clock: Callable[[], float] = time.monotonic, grace: float = 0.1) -> None:
        self.grace = grace
        self.rate = rate_per_min / 60.0
        self.burst = float(burst if burst is not None else max(1, int(rate_per_min // 6)))
        self.clock = clock
        self._lock = threading.Lock()
        self._buckets: dict[str, tuple[float, float]] = {}
        self._retry_until: dict[str, tuple[float, float]] = {}

    def acquire(self, token: str) -> tuple[bool, int, bool]:
        """Take one request slot: (allowed, retry_after_seconds, sent_early)."""
        if self.rate <= 0:
            return True, 0, False
        with self._lock:
            now = self.clock()
            refused_at, until = self._retry_until.get(token, (0.0, 0.0))
            early = refused_at + self.grace < now < until
            level, last = self._buckets.get(token, (self.burst, now))
            level = min(self.burst, level + (now - last) * self.rate)
            if level >= 1.0:
                self._buckets[token] = (level - 1.0, now)
                return True, 0, early
            wait = max(1, math.ceil((1.0 - level) / self.rate))
            self._buckets[token] = (level, now)
            if now >= self._retry_until.get(token, (0.0, 0.0))[1]:
                self._retry_until[token] = (now, now + wait)
            return False, wait, early


@dataclass
class FaultPlan:
    """Injected failures: a global random rate plus per-path overrides set by tests.

    Per-path rules (``rules[path_prefix]``) take one of ``{"status": 403}``, ``{"hang": secs}``,
    ``{"reset": true}`` and an optional ``"times": n`` after which the rule is spent.
    """

    rate: float = 0.0
    seed: int = 0
    rules: dict[str, dict[str, Any]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._rng = random.Random(self.seed)
        self._lock = threading.Lock()

    def pick(self, path: str) -> dict[str, Any] | None:
        """The fault to apply to this request, if any."""
        with self._lock:
            for prefix, rule in self.rules.items():
                if path.startswith(prefix):
                    if "times" in rule:
                        if rule["times"] <= 0:
                            continue
                        rule["times"] -= 1
                    return rule
            if self.rate > 0 and self._rng.random() < self.rate:
                kind = self._rng.choice(["502", "503", "504", "reset"])
                return {"reset": True} if kind == "reset" else {"status": int(kind)}
        return None


class Stats:
    """Request counters exposed at ``GET /__sim/stats``."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        with self._lock:
            self.by_path: Counter[str] = Counter()
            self.by_status: Counter[int] = Counter()
            self.by_path_status: Counter[tuple[str, int]] = Counter()
            self.throttled = 0
            self.early = 0
            self.tokens_issued = 0
            self.total = 0

    def record(self, path: str, status: int, *, throttled: bool = False,
               early: bool = False) -> None:
        with self._lock:
            self.total += 1
            self.by_path[path] += 1
            self.by_status[status] += 1
            self.by_path_status[(path, status)] += 1
            self.throttled += throttled
            self.early += early

    def snapshot(self) -> dict[str, Any]:
        with self._lock:
            return {
                "requests": self.total,
                "byPath": dict(sorted(self.by_path.items())),
                "byStatus": {str(k): v for k, v in sorted(self.by_status.items())},
                "byPathStatus": {f"{p} {s}": n for (p, s), n in
                                 sorted(self.by_path_status.items())},
                "throttled": self.throttled,
                "earlyRetries": self.early,
                "tokensIssued": self.tokens_issued,
            }
