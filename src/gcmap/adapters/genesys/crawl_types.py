"""Value types and small helpers of the crawl: options, result, request counters, cursors."""

from __future__ import annotations

import threading
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any, Protocol
from urllib.parse import parse_qs, urlsplit

__all__ = ["CrawlOptions", "CrawlResult", "RequestCounters", "Tokens", "crawl_report",
           "cursor_of", "page_sort"]


class Tokens(Protocol):
    """Access tokens: one is fetched before the crawl starts (bad credentials fail fast)."""

    @property
    def renewals(self) -> int: ...

    def token(self, slot: int) -> str: ...


@dataclass(frozen=True)
class CrawlOptions:
    """What to read. Filters apply before any API work."""

    types: frozenset[str] | None = None
    divisions: frozenset[str] | None = None
    queue_members: bool = True
    dependency_tracking: bool = True
    queue_wrapups: bool = False  # one more call per queue: an option, off by default
    user_grants: bool = False  # one more call per active user: an option, off by default
    limits: bool = True


@dataclass
class CrawlResult:
    """The org document read and a report of how the crawl went."""

    doc: dict[str, Any]
    report: dict[str, Any] = field(default_factory=dict)


class RequestCounters:
    """Requests, statuses, retries and waits seen by the transport (thread-safe)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.requests = 0
        self.by_status: Counter[int] = Counter()
        self.retries = 0
        self.waited: dict[str, float] = defaultdict(float)

    def on_event(self, kind: str, fields: dict[str, Any]) -> None:
        with self.lock:
            if kind == "response":
                self.requests += 1
                self.by_status[int(fields["status"])] += 1
            elif kind == "error":
                self.requests += 1
            elif kind == "retry":
                self.retries += 1
            elif kind == "wait":
                self.waited[str(fields["reason"])] += float(fields["seconds"])


def crawl_report(c: RequestCounters, failures: list[dict[str, Any]], objects: Counter[str],
                 seconds: float, token_renewals: int) -> dict[str, Any]:
    """The report of one crawl: calls, statuses, retries, waits, failures, objects."""
    failed = sorted(failures, key=lambda f: f["type"])
    return {
        "apiCalls": c.requests,
        "responsesByStatus": {str(k): v for k, v in sorted(c.by_status.items())},
        "retries": c.retries,
        "waitSeconds": {k: round(v, 3) for k, v in sorted(c.waited.items())},
        "durationMs": round(seconds * 1000),
        "tokenRenewals": token_renewals,
        "partial": bool(failed),
        "failures": failed,
        "objectsByType": dict(sorted(objects.items())),
    }


def page_sort(key: Any) -> Any:
    """Sort key of a recorded page: ``n`` or ``(parent, n)``."""
    return key if isinstance(key, tuple) else (key,)


def cursor_of(next_uri: str | None, param: str = "after") -> str | None:
    """The cursor in a ``nextUri`` (its ``param``, else ``after`` or ``cursor``)."""
    if not next_uri:
        return None
    q = parse_qs(urlsplit(next_uri).query)
    for name in (param, "after", "cursor"):
        if q.get(name):
            return q[name][0]
    return None
