"""Endpoint probes: DNS, connect and total latency of external endpoints, errors classified.

Only the origin is requested, with HEAD, no body and no redirects followed; TLS is verified.
Every address is checked by the NetGuard first and the socket connects to that checked
address.
"""

from __future__ import annotations

import ssl
import statistics
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from gcmap.adapters.netguard import (
    BlockedAddress,
    ConnectFailed,
    NetGuard,
    TlsFailed,
)
from gcmap.adapters.outbound import ResponseFailed, ResponseTimeout, request_guarded

__all__ = ["ProbeResult", "Prober"]


@dataclass
class ProbeResult:
    """What several attempts at one endpoint measured."""

    url: str
    host: str
    ok: bool
    error: str | None = None  # dns, connect, tls, timeout, http, redirect, blocked
    detail: str = ""
    status: int | None = None
    dns_ms: list[float] = field(default_factory=list)
    connect_ms: list[float] = field(default_factory=list)
    total_ms: list[float] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        def pct(values: list[float], q: float) -> float | None:
            if not values:
                return None
            ordered = sorted(values)
            return round(ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))], 1)
        return {"url": self.url, "host": self.host, "ok": self.ok, "error": self.error,
                "detail": self.detail, "status": self.status, "attempts": len(self.total_ms)
                or None, "dnsMsP50": pct(self.dns_ms, 0.5), "connectMsP50":
                pct(self.connect_ms, 0.5), "totalMsP50": pct(self.total_ms, 0.5),
                "totalMsP95": pct(self.total_ms, 0.95),
                "totalMsMean": round(statistics.fmean(self.total_ms), 1)
                if self.total_ms else None}


class Prober:
    """Probes endpoints with bounded concurrency and timeouts.

    Args:
        guard: the SSRF guard (its resolver is also used, and timed, for DNS).
        timeout: seconds for connect, TLS and the response each.
        attempts: requests per endpoint; latency is reported as p50/p95 over them.
        clock: injectable for tests.
    """

    def __init__(self, guard: NetGuard, timeout: float = 3.0, attempts: int = 3,
                 concurrency: int = 8, clock: Callable[[], float] = time.perf_counter,
                 ssl_context: ssl.SSLContext | None = None) -> None:
        self.guard, self.timeout, self.attempts = guard, timeout, max(1, attempts)
        self.concurrency, self.clock = concurrency, clock
        self.ssl_context = ssl_context or ssl.create_default_context()

    def probe_all(self, urls: Iterable[str]) -> list[ProbeResult]:
        """Probe each distinct URL once (results in input order)."""
        distinct = list(dict.fromkeys(urls))
        with ThreadPoolExecutor(max_workers=self.concurrency,
                                thread_name_prefix="gcmap-probe") as pool:
            return list(pool.map(self.probe, distinct))

    def probe(self, url: str) -> ProbeResult:
        result = ProbeResult(url, "", False)
        for _ in range(self.attempts):
            if not self._attempt(url, result):
                break
        result.ok = result.error in (None, "redirect")
        return result

    def _attempt(self, url: str, r: ProbeResult) -> bool:
        """One request; False when the error makes further attempts pointless."""
        t0 = self.clock()
        try:
            target = self.guard.check(url)
        except BlockedAddress as exc:
            r.error, r.detail = "blocked", str(exc)
            return False
        except OSError as exc:
            r.error, r.detail = "dns", str(exc)
            return False
        r.host = target.host
        t_dns = self.clock()
        marks: list[float] = []
        try:
            resp = request_guarded(target, "HEAD", path="/", timeout=self.timeout,
                                   ssl_context=self.ssl_context,
                                   headers={"User-Agent": "gcmap-probe", "Accept": "*/*"},
                                   on_connected=lambda: marks.append(self.clock()))
        except ResponseTimeout as exc:
            r.error, r.detail = r.error or "timeout", r.detail or f"response: {exc}"
            return True
        except TimeoutError as exc:
            stage = "tls" if marks else "connect"
            r.error, r.detail = r.error or "timeout", r.detail or f"{stage}: {exc}"
            return True
        except TlsFailed as exc:
            r.error, r.detail = "tls", str(exc)
            return False
        except ConnectFailed as exc:
            r.error, r.detail = r.error or "connect", r.detail or str(exc)
            return True
        except ResponseFailed as exc:
            r.error, r.detail = r.error or "connect", r.detail or f"response: {exc}"
            return True
        t_conn = marks[0]
        t_end = self.clock()
        r.status = resp.status
        r.dns_ms.append((t_dns - t0) * 1000)
        r.connect_ms.append((t_conn - t_dns) * 1000)
        r.total_ms.append((t_end - t0) * 1000)
        if r.error is not None:
            return True  # the first failure is what gets reported
        if 300 <= resp.status < 400:
            r.error = "redirect"
            r.detail = f"HTTP {resp.status} to {resp.header('Location')} (not followed)"
        elif resp.status >= 500:
            r.error, r.detail = "http", f"HTTP {resp.status}"
        else:
            # 2xx and 4xx both prove the service is up (a HEAD on / may be refused).
            r.detail = f"HTTP {resp.status}"
        return True
