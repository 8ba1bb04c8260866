"""GenesysOrgSource: read a whole org with the fewest calls, in parallel, within the pacing.

"Get" stays dumb: it lists what the API returns and puts it in an org document keyed by API
path (the gcsim org-file format). Everything else happens in the domain.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

from gcmap.adapters.genesys.client import ClientConfig, GenesysClient
from gcmap.adapters.genesys.crawl_plan import (
    CRAWL,
    DT_BUILD,
    DT_DELETED,
    LIMIT_DOCS,
    LIMITS,
    QUEUE_MEMBERS,
    CrawlSpec,
)
from gcmap.adapters.genesys.errors import GenesysApiError, GenesysError
from gcmap.adapters.genesys.transport import TransportError
from gcmap.domain.registry import DT_CONSUMED, FLOW_TYPE_OBJECT_TYPES

__all__ = ["CrawlOptions", "CrawlResult", "GenesysOrgSource", "Progress"]

log = logging.getLogger("gcmap.crawl")
Progress = Callable[[str, int, int, int], None]
Task = Callable[[], Iterable["Task"]]
# Limit namespaces read first: routing holds the queue limits users ask about most.
FIRST_NAMESPACES = ("routing", "architect", "skills", "groups")


@dataclass(frozen=True)
class CrawlOptions:
    """What to read. Filters apply before any API work."""

    types: frozenset[str] | None = None
    divisions: frozenset[str] | None = None
    queue_members: bool = True
    dependency_tracking: bool = True
    limits: bool = True


@dataclass
class CrawlResult:
    """The org document read and a report of how the crawl went."""

    doc: dict[str, Any]
    report: dict[str, Any] = field(default_factory=dict)


class _Counters:
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


class GenesysOrgSource:
    """Crawls one org through a GenesysClient.

    Args:
        config: credentials, environment, pacing and concurrency.
        progress: called as (type, pages done, pages known, objects) while pages arrive.
        on_event: transport events, forwarded (metrics).
    """

    def __init__(self, config: ClientConfig, progress: Progress | None = None,
                 on_event: Callable[[str, dict[str, Any]], None] | None = None) -> None:
        self.config = config
        self.progress = progress or (lambda t, d, n, o: None)
        self.counters = _Counters()
        forward = on_event

        def hook(kind: str, fields: dict[str, Any]) -> None:
            self.counters.on_event(kind, fields)
            if forward is not None:
                forward(kind, fields)

        self.client = GenesysClient(config, on_event=hook)
        self._lock = threading.Lock()
        self._pages: dict[str, dict[Any, list[dict[str, Any]]]] = defaultdict(dict)
        self._done: Counter[str] = Counter()
        self._total: Counter[str] = Counter()
        self._failures: dict[str, dict[str, Any]] = {}
        self._singles: dict[str, Any] = {}
        self._listed: frozenset[str] = frozenset()

    # -- plumbing ------------------------------------------------------------------------
    def _record(self, kind: str, key: Any, entities: list[dict[str, Any]],
                total_pages: int | None = None) -> None:
        with self._lock:
            self._pages[kind][key] = entities
            self._done[kind] += 1
            if total_pages is not None:
                self._total[kind] = max(self._total[kind], total_pages)
            objects = sum(len(v) for v in self._pages[kind].values())
            done, total = self._done[kind], max(self._total[kind], self._done[kind])
        self.progress(kind, done, total, objects)

    def _fail(self, kind: str, exc: Exception, permission: str = "") -> None:
        entry: dict[str, Any] = {"type": kind, "error": str(exc)}
        if isinstance(exc, GenesysApiError):
            entry["status"] = exc.status
            if exc.status == 403:
                entry["missingPermission"] = exc.permission or permission
        elif isinstance(exc, TransportError):
            entry["status"] = exc.kind
        with self._lock:
            self._failures.setdefault(kind, entry)
        log.warning("could not read %s: %s", kind, exc)

    def _guard(self, kind: str, fn: Callable[[], Iterable[Task]],
               permission: str = "") -> Task:
        def run() -> Iterable[Task]:
            try:
                return list(fn())
            except GenesysError as exc:
                self._fail(kind, exc, permission)
            except TransportError as exc:
                self._fail(kind, exc, permission)
            return []
        return run

    # -- listing tasks -------------------------------------------------------------------
    def _list_task(self, spec: CrawlSpec, query: dict[str, Any]) -> Task:
        path = spec.path

        def first() -> Iterable[Task]:
            if spec.paging == "single":
                self._singles[path] = self.client.get(path)
                self._record(spec.node_type, 0, [], 1)
                return []
            if spec.paging == "cursor":
                return self._cursor_page(spec, query, None)
            return self._page_task(spec.node_type, path, query, 1, None, spec.permission)()
        return self._guard(spec.node_type, first, spec.permission)

    def _page_task(self, kind: str, path: str, query: dict[str, Any], n: int,
                   key: str | None = None, permission: str = "") -> Task:
        """Fetch page ``n`` of a page-number listing; page 1 schedules the rest, which then
        run in parallel. Pages are recorded under ``n``, or ``(key, n)`` for one object's
        sub-listing."""
        def fetch() -> Iterable[Task]:
            body = self.client.get(path, {**query, "pageNumber": n})
            pages = int(body.get("pageCount") or 1)
            self._record(kind, n if key is None else (key, n), body.get("entities") or [],
                         pages if n == 1 and key is None else None)
            if n != 1:
                return []
            return [self._page_task(kind, path, query, k, key, permission)
                    for k in range(2, pages + 1)]
        return self._guard(kind, fetch, permission)

    def _cursor_page(self, spec: CrawlSpec, query: dict[str, Any], after: str | None,
                     index: int = 0) -> Iterable[Task]:
        q = dict(query)
        if after:
            q["after"] = after
        body = self.client.get(spec.path, q)
        nxt = _cursor_of(body.get("nextUri"))
        self._record(spec.node_type, index, body.get("entities") or [],
                     index + (2 if nxt else 1))
        if nxt:
            return [self._guard(spec.node_type,
                                lambda: self._cursor_page(spec, query, nxt, index + 1),
                                spec.permission)]
        return []

    def _members_tasks(self, queues: list[dict[str, Any]]) -> list[Task]:
        tasks: list[Task] = []
        for q in queues:
            count = q.get("memberCount")
            if count == 0:
                continue  # an empty queue has no members to list
            pages = math.ceil(count / 100) if isinstance(count, int) else None
            for n in range(1, (pages or 1) + 1):
                tasks.append(self._guard("queue_member", self._member_fn(q["id"], n,
                                                                         pages is None),
                                         "routing:queue:view"))
        return tasks

    def _member_fn(self, qid: str, n: int, follow: bool) -> Callable[[], Iterable[Task]]:
        def fetch() -> Iterable[Task]:
            body = self.client.get(QUEUE_MEMBERS, {"pageSize": 100, "pageNumber": n},
                                   {"queueId": qid})
            self._record("queue_member", (qid, n), body.get("entities") or [])
            if follow and body.get("nextUri"):
                return [self._guard("queue_member", self._member_fn(qid, n + 1, True))]
            return []
        return fetch

    def _dependency_tasks(self, flows: list[dict[str, Any]]) -> list[Task]:
        tasks: list[Task] = []
        for f in flows:
            version = (f.get("publishedVersion") or {}).get("id")
            otype = FLOW_TYPE_OBJECT_TYPES.get(str(f.get("type")))
            if version and otype:
                tasks.append(self._page_task(
                    "dependency_tracking", DT_CONSUMED,
                    {"id": f["id"], "version": str(version), "objectType": otype,
                     "pageSize": 100}, 1, f["id"], "architect:dependencyTracking:view"))
        return tasks

    def _limits_task(self) -> Task:
        def docs() -> Iterable[Task]:
            body = self.client.get(LIMIT_DOCS)
            self._singles[LIMIT_DOCS] = body
            names = [str(ns.get("name")) for ns in body.get("namespaces") or []
                     if ns.get("name")]
            names.sort(key=lambda n: (n not in FIRST_NAMESPACES,
                                      FIRST_NAMESPACES.index(n) if n in FIRST_NAMESPACES
                                      else 0, n))
            return [self._guard("limits", self._namespace_fn(n)) for n in names]
        return self._guard("limits", docs)

    def _namespace_fn(self, name: str) -> Callable[[], Iterable[Task]]:
        def fetch() -> Iterable[Task]:
            body = self.client.get(LIMITS, path_params={"namespaceName": name})
            self._record("limits", name, body.get("entities") or [])
            return []
        return fetch

    def _single_task(self, kind: str, path: str, query: dict[str, Any] | None = None) -> Task:
        def fetch() -> Iterable[Task]:
            self._singles[path] = self.client.get(path, query)
            return []
        return self._guard(kind, fetch, "architect:dependencyTracking:view")

    # -- the crawl -----------------------------------------------------------------------
    def crawl(self, options: CrawlOptions | None = None) -> CrawlResult:
        """Read the org; never raises for one type's failure (it is reported instead).

        Raises:
            AuthError: the credentials cannot get a token (nothing could be read).
        """
        opts = options or CrawlOptions()
        t0 = time.perf_counter()
        self.client.tokens.token(0)  # fail fast, with the fix named, on bad credentials
        specs = [s for s in CRAWL if opts.types is None or s.node_type in opts.types
                 or s.node_type == "organization"]
        self._listed = frozenset(s.node_type for s in specs)
        initial: list[Task] = []
        for spec in specs:
            query: dict[str, Any] = {"pageSize": spec.page_size, **spec.params}
            if opts.divisions and spec.division_param:
                query[spec.division_param] = ",".join(sorted(opts.divisions))
            initial.append(self._list_task(spec, query))
        if opts.limits:
            initial.append(self._limits_task())
        if opts.dependency_tracking and (opts.types is None or "flow" in opts.types):
            initial.append(self._single_task("dependency_build", DT_BUILD))
            initial.append(self._page_task("deleted_consumers", DT_DELETED, {"pageSize": 100},
                                           1, None, "architect:dependencyTracking:view"))
        self._run(initial, opts)
        doc = self._assemble(specs, opts)
        report = self._report(specs, opts, time.perf_counter() - t0)
        return CrawlResult(doc, report)

    def _run(self, initial: list[Task], opts: CrawlOptions) -> None:
        with ThreadPoolExecutor(max_workers=self.config.concurrency,
                                thread_name_prefix="gcmap-crawl") as pool:
            pending: set[Future[Iterable[Task]]] = {pool.submit(t) for t in initial}
            second_wave = False
            while pending:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                for f in done:
                    pending |= {pool.submit(t) for t in f.result()}
                if not second_wave and self._lists_complete():
                    second_wave = True
                    follow: list[Task] = []
                    if opts.queue_members and "queue" in self._pages:
                        follow += self._members_tasks(self._entities("queue"))
                    if opts.dependency_tracking and "flow" in self._pages:
                        follow += self._dependency_tasks(self._entities("flow"))
                    pending |= {pool.submit(t) for t in follow}

    def _lists_complete(self) -> bool:
        """Queues and flows fully listed (the second wave depends on them)."""
        with self._lock:
            for kind in ("queue", "flow"):
                if kind in self._failures or kind not in self._listed:
                    continue
                if kind in self._total and self._done[kind] < self._total[kind]:
                    return False
                if kind not in self._total and kind not in self._failures:
                    return False
            return True

    def _entities(self, kind: str) -> list[dict[str, Any]]:
        with self._lock:
            pages = self._pages.get(kind, {})
            return [e for k in sorted(pages, key=_page_sort) for e in pages[k]]

    def _assemble(self, specs: list[CrawlSpec], opts: CrawlOptions) -> dict[str, Any]:
        doc: dict[str, Any] = {}
        for spec in specs:
            if spec.node_type in self._failures:
                continue
            if spec.paging == "single":
                if spec.path in self._singles:
                    doc[spec.path] = self._singles[spec.path]
                continue
            items = self._entities(spec.node_type)
            if opts.divisions and not spec.division_param:
                items = [e for e in items if not isinstance(e.get("division"), dict)
                         or e["division"].get("id") in opts.divisions]
            doc[spec.path] = items
        members: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for (qid, _), items in sorted(self._pages.get("queue_member", {}).items()):
            members[qid].extend(items)
        if "queue_member" in self._pages:
            doc[QUEUE_MEMBERS] = dict(sorted(members.items()))
        consumed: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for (fid, _), items in sorted(self._pages.get("dependency_tracking", {}).items()):
            consumed[fid].extend(items)
        if "dependency_tracking" in self._pages:
            doc[DT_CONSUMED] = dict(sorted(consumed.items()))
        if "limits" in self._pages:
            doc[LIMITS] = {ns: items for ns, items in sorted(self._pages["limits"].items())}
        if LIMIT_DOCS in self._singles:
            doc[LIMIT_DOCS] = self._singles[LIMIT_DOCS]
        if DT_BUILD in self._singles:
            doc[DT_BUILD] = self._singles[DT_BUILD]
        if "deleted_consumers" in self._pages:
            doc[DT_DELETED] = self._entities("deleted_consumers")
        return doc

    def _report(self, specs: list[CrawlSpec], opts: CrawlOptions, seconds: float,
                ) -> dict[str, Any]:
        c = self.counters
        failures = sorted(self._failures.values(), key=lambda f: f["type"])
        return {
            "apiCalls": c.requests,
            "responsesByStatus": {str(k): v for k, v in sorted(c.by_status.items())},
            "retries": c.retries,
            "waitSeconds": {k: round(v, 3) for k, v in sorted(c.waited.items())},
            "durationMs": round(seconds * 1000),
            "tokenRenewals": self.client.tokens.renewals,
            "partial": bool(failures),
            "failures": failures,
            "objectsByType": {s.node_type: len(self._entities(s.node_type)) for s in specs
                              if s.paging != "single" and s.node_type not in self._failures},
        }

    def close(self) -> None:
        self.client.close()


def _page_sort(key: Any) -> Any:
    return key if isinstance(key, tuple) else (key,)


def _cursor_of(next_uri: str | None) -> str | None:
    if not next_uri:
        return None
    q = parse_qs(urlsplit(next_uri).query)
    for name in ("after", "cursor"):
        if q.get(name):
            return q[name][0]
    return None
