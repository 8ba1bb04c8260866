"""The HTTP transport under the SDK: timeouts, pacing, Retry-After, backoff, metrics.

The SDK has no working timeout and no 5xx retry, and urllib3's defaults retry writes blindly.
This module owns all of that; ``http.py`` adapts it to the SDK's ``AbstractHttpClient``.
"""

from __future__ import annotations

import json
import logging
import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import Any, Protocol
from urllib.parse import urlencode, urlsplit

import urllib3
from urllib3.exceptions import HTTPError as Urllib3Error
from urllib3.exceptions import NameResolutionError, ReadTimeoutError, SSLError

from gcmap.adapters.genesys.pacing import Pacer

__all__ = ["HttpPool", "RetryPolicy", "Transport", "TransportError", "parse_retry_after"]

log = logging.getLogger("gcmap.genesys")
IDEMPOTENT = frozenset({"GET", "HEAD", "OPTIONS"})
# POSTs that only read (searches and queries: the audit realtime query, task management's
# work type and workbin queries); sending one again changes nothing, so 5xx is retried.
READ_ONLY_POSTS = ("/query", "/query/realtime")


def _repeatable(method: str, path: str) -> bool:
    return method in IDEMPOTENT or (method == "POST" and path.endswith(READ_ONLY_POSTS))
EventHook = Callable[[str, dict[str, Any]], None]


class TransportError(Exception):
    """A request that could not complete; ``kind`` is dns, tls, connect, timeout or budget."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


@dataclass(frozen=True)
class RetryPolicy:
    """How hard to try.

    Attributes:
        connect_timeout, read_timeout: per attempt, seconds.
        max_attempts: for 5xx and connection errors (429/503 with Retry-After do not count).
        backoff_base, backoff_cap: exponential backoff with full jitter, seconds.
        budget: the most one request may take, waits included; beyond it the request fails.
    """

    connect_timeout: float = 5.0
    read_timeout: float = 30.0
    max_attempts: int = 5
    backoff_base: float = 0.5
    backoff_cap: float = 30.0
    budget: float = 600.0


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or HTTP-date)."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value).timestamp()
    except (TypeError, ValueError):
        return None
    return max(0.0, when - (time.time() if now is None else now))


def _token_of(headers: Mapping[str, str]) -> str:
    for k, v in headers.items():
        if k.lower() == "authorization":
            return v.split(" ", 1)[-1]
    return ""


class HttpPool(Protocol):
    """What the transport needs of a connection pool (urllib3's PoolManager, or a fake)."""

    def request(self, method: str, url: str, body: Any = None, fields: Any = None,
                headers: Mapping[str, str] | None = None, json: Any = None,
                **urlopen_kw: Any) -> urllib3.BaseHTTPResponse: ...

    def clear(self) -> None: ...


@dataclass
class _Attempt:
    n: int = 0
    started: float = 0.0
    waited: float = 0.0
    extra: dict[str, Any] = field(default_factory=dict)


class Transport:
    """Sends requests with pacing, bounded retries and a time budget.

    Args:
        pool_size: connections per host; set it to the crawl's concurrency.
        pacer: per-token pacing; None sends unpaced.
        on_event: ``(kind, fields)`` for every request, retry and wait (metrics, tests).
        sleep, clock, rng: injectable for tests.
    """

    def __init__(self, policy: RetryPolicy | None = None, pool_size: int = 8,
                 pacer: Pacer | None = None, on_event: EventHook | None = None,
                 sleep: Callable[[float], None] = time.sleep,
                 clock: Callable[[], float] = time.monotonic,
                 rng: random.Random | None = None, pool: HttpPool | None = None) -> None:
        self.policy = policy or RetryPolicy()
        self.pacer = pacer
        self.on_event = on_event or (lambda kind, fields: None)
        self.sleep, self.clock = sleep, clock
        self.rng = rng or random.Random()
        self.pool: HttpPool = pool or urllib3.PoolManager(
            num_pools=8, maxsize=pool_size, block=True, retries=False,
            timeout=urllib3.Timeout(connect=self.policy.connect_timeout,
                                    read=self.policy.read_timeout))

    def _wait(self, seconds: float, attempt: _Attempt, reason: str, path: str) -> None:
        if seconds <= 0:
            return
        if (self.clock() + seconds - attempt.started > self.policy.budget
                or attempt.waited + seconds > self.policy.budget):
            raise TransportError("budget", f"giving up on {path}: waiting {seconds:.1f}s more "
                                 f"({reason}) would pass the {self.policy.budget:.0f}s budget")
        attempt.waited += seconds
        self.on_event("wait", {"reason": reason, "seconds": seconds, "path": path})
        self.sleep(seconds)

    def request(self, method: str, url: str, headers: Mapping[str, str],
                query: Mapping[str, Any] | None = None, body: Any = None,
                fields: Mapping[str, str] | None = None) -> urllib3.BaseHTTPResponse:
        """Send one request; returns the final response (any status) or raises
        TransportError when the connection could not be made within the policy."""
        method = method.upper()
        if query:
            url = f"{url}?{urlencode(query, doseq=True)}"
        path = urlsplit(url).path
        data: bytes | None = None
        hdrs = dict(headers)
        if fields:
            data = urlencode(fields).encode()
            hdrs["Content-Type"] = "application/x-www-form-urlencoded"
        elif body is not None:
            data = json.dumps(body).encode()
            hdrs.setdefault("Content-Type", "application/json")
        token = _token_of(hdrs)
        attempt = _Attempt(started=self.clock())
        while True:
            attempt.n += 1
            if self.pacer is not None and token:
                self._await_slot(token, attempt, path)
            t0 = self.clock()
            try:
                resp = self.pool.request(method, url, body=data, headers=hdrs,
                                         redirect=False, preload_content=True)
            except Urllib3Error as exc:
                kind = _classify(exc)
                self.on_event("error", {"kind": kind, "path": path, "method": method})
                if not _repeatable(method, path) or attempt.n >= self.policy.max_attempts:
                    raise TransportError(kind, f"{method} {path}: {kind} error after "
                                         f"{attempt.n} attempt(s): {exc}") from exc
                wait = self._backoff(attempt.n)
                self.on_event("retry", {"path": path, "status": kind, "seconds": wait})
                self._wait(wait, attempt, f"{kind} error", path)
                continue
            status = resp.status
            cid = resp.headers.get("ININ-Correlation-Id", "")
            self.on_event("response", {"path": path, "method": method, "status": status,
                                       "seconds": self.clock() - t0, "correlationId": cid})
            log.debug("genesys %s %s -> %s (correlation %s, attempt %d)", method, path,
                      status, cid, attempt.n)
            retry_after = parse_retry_after(resp.headers.get("Retry-After"))
            if status == 429 or (status == 503 and retry_after is not None):
                # The request was refused before processing: safe to resend, any method.
                wait = retry_after if retry_after is not None else self._backoff(attempt.n)
                if self.pacer is not None and token:
                    self.pacer.hold(token, wait)
                self.on_event("retry", {"path": path, "status": status, "seconds": wait})
                log.info("genesys %s %s throttled (%s); retrying after %.1fs (correlation %s)",
                         method, path, status, wait, cid)
                if self.pacer is None or not token:
                    self._wait(wait, attempt, "retry-after", path)
                else:
                    self._check_budget(wait, attempt, path)
                continue
            if status >= 500 and _repeatable(method, path) and \
                    attempt.n < self.policy.max_attempts:
                wait = self._backoff(attempt.n)
                self.on_event("retry", {"path": path, "status": status, "seconds": wait})
                log.info("genesys %s %s -> %s; retry %d in %.2fs (correlation %s)", method,
                         path, status, attempt.n, wait, cid)
                self._wait(wait, attempt, f"http {status}", path)
                continue
            return resp

    def _await_slot(self, token: str, attempt: _Attempt, path: str) -> None:
        """Wait for a pacing slot, and past any Retry-After hold that began meanwhile.

        A thread that reserved its slot before another thread's 429 would otherwise wake
        inside the hold and send early. Each round waits a positive time, so the budget
        ends the loop if holds never stop.
        """
        assert self.pacer is not None
        self._wait(self.pacer.reserve(token), attempt, "pacing", path)
        while (held := self.pacer.held_for(token)) > 0:
            self._wait(held, attempt, "retry-after", path)
            self._wait(self.pacer.reserve(token), attempt, "pacing", path)

    def _check_budget(self, wait: float, attempt: _Attempt, path: str) -> None:
        if self.clock() + wait - attempt.started > self.policy.budget:
            raise TransportError("budget", f"giving up on {path}: Retry-After {wait:.0f}s "
                                 f"would pass the {self.policy.budget:.0f}s budget")

    def _backoff(self, n: int) -> float:
        """Full jitter: uniform in [0, min(cap, base * 2^(n-1))]."""
        ceiling = min(self.policy.backoff_cap, self.policy.backoff_base * (2 ** (n - 1)))
        return self.rng.uniform(0, ceiling)

    def close(self) -> None:
        self.pool.clear()


def _classify(exc: Exception) -> str:
    text = repr(exc)
    if isinstance(exc, NameResolutionError) or "NameResolutionError" in text \
            or "Name or service not known" in text or "getaddrinfo" in text:
        return "dns"
    if isinstance(exc, SSLError) or "SSL" in text or "CERTIFICATE" in text:
        return "tls"
    if isinstance(exc, ReadTimeoutError) or "timed out" in text.lower():
        return "timeout"
    return "connect"

