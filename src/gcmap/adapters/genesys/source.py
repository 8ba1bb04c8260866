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
from functools import partial
from typing import Any, Protocol

from gcmap.adapters.genesys.client import ClientConfig, GenesysClient
from gcmap.adapters.genesys.crawl_plan import (
    CRAWL,
    DT_BUILD,
    DT_DELETED,
    LIMIT_DOCS,
    LIMITS,
    QUEUE_MEMBERS,
    QUEUE_WRAPUPS,
    CrawlSpec,
)
from gcmap.adapters.genesys.crawl_types import (
    CrawlOptions,
    CrawlResult,
    RequestCounters,
    Tokens,
    crawl_report,
    cursor_of,
    page_sort,
)
from gcmap.adapters.genesys.errors import GenesysApiError, GenesysError
from gcmap.adapters.genesys.transport import TransportError
from gcmap.domain.build import is_deleted
from gcmap.domain.model import Progress
from gcmap.domain.registry import DT_CONSUMED, FLOW_TYPE_OBJECT_TYPES, USER_GRANTS

__all__ = ["ApiReader", "CrawlOptions", "CrawlResult", "GenesysOrgSource"]

log = logging.getLogger("gcmap.crawl")
Task = Callable[[], Iterable["Task"]]
# Builds the tasks that read what depends on a completed listing, from its entities.
FollowUp = Callable[[list[dict[str, Any]]], list[Task]]
# Limit namespaces read first: routing holds the queue limits users ask about most.
FIRST_NAMESPACES = ("routing", "architect", "skills", "groups")


class ApiReader(Protocol):
    """What the crawl needs of an API client: GETs of path templates, and its tokens."""

    @property
    def tokens(self) -> Tokens: ...

    def get(self, path: str, query: dict[str, Any] | None = None,
            path_params: dict[str, str] | None = None) -> Any: ...

    def post(self, path: str, body: Any) -> Any: ...

    def close(self) -> None: ...


class GenesysOrgSource:
    """Crawls one org through a GenesysClient.

    Args:
        config: credentials, environment, pacing and concurrency.
        progress: called as (type, pages done, pages known, objects) while pages arrive.
        on_event: transport events, forwarded (metrics).
    """

    def __init__(self, config: ClientConfig, progress: Progress | None = None,
                 on_event: Callable[[str, dict[str, Any]], None] | None = None,
                 client: ApiReader | None = None) -> None:
        self.config = config
        self.progress = progress or (lambda t, d, n, o: None)
        self.counters = RequestCounters()
        forward = on_event

        def hook(kind: str, fields: dict[str, Any]) -> None:
            self.counters.on_event(kind, fields)
            if forward is not None:
                forward(kind, fields)

        # The reader is injectable (a fake in tests, as httpx injects a transport); the
        # default is the SDK client over gcmap's transport.
        self.client: ApiReader = client or GenesysClient(config, on_event=hook)
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
    def _list_task(self, spec: CrawlSpec, query: dict[str, Any],
                   path_params: dict[str, str] | None = None, key: str | None = None) -> Task:
        """The first request of one listing (of one parent's listing, with ``key``)."""
        def first() -> Iterable[Task]:
            if spec.paging == "single":
                self._singles[spec.path] = self.client.get(spec.path)
                self._record(spec.kind, 0, [], 1)
                return []
            if spec.paging in ("cursor", "idcursor", "postcursor"):
                return self._cursor_page(spec, query, None, 0, path_params, key)
            return self._page_task(spec.kind, spec.path, query, 1, key, spec.permission,
                                   path_params)()
        return self._guard(spec.kind, first, spec.permission)

    def _page_task(self, kind: str, path: str, query: dict[str, Any], n: int,
                   key: str | None = None, permission: str = "",
                   path_params: dict[str, str] | None = None) -> Task:
        """Fetch page ``n`` of a page-number listing; page 1 schedules the rest, which then
        run in parallel. Pages are recorded under ``n``, or ``(key, n)`` for one object's
        sub-listing."""
        def fetch() -> Iterable[Task]:
            body = self.client.get(path, {**query, "pageNumber": n}, path_params)
            pages = int(body.get("pageCount") or 1)
            self._record(kind, n if key is None else (key, n), body.get("entities") or [],
                         pages if n == 1 and key is None else None)
            if n != 1:
                return []
            return [self._page_task(kind, path, query, k, key, permission, path_params)
                    for k in range(2, pages + 1)]
        return self._guard(kind, fetch, permission)

    def _cursor_page(self, spec: CrawlSpec, query: dict[str, Any], after: str | None,
                     index: int, path_params: dict[str, str] | None = None,
                     key: str | None = None) -> Iterable[Task]:
        """One page of a cursor listing: follow ``nextUri``'s cursor; an ``idcursor``
        listing without one pages on by the last id seen until a page comes back empty."""
        if spec.paging == "postcursor":  # a query: paging and cursor go in the body
            body = self.client.post(spec.path, {"pageSize": spec.page_size, "after": after or ""})
            nxt = str(body.get("after") or "") or None
        else:
            body = self.client.get(spec.path, {**query, **({spec.cursor_param: after}
                                                           if after else {})}, path_params)
            nxt = cursor_of(body.get("nextUri"), spec.cursor_param)
        entities = body.get("entities") or []
        if nxt is None and spec.paging == "idcursor" and entities:
            last = entities[-1].get("id") if isinstance(entities[-1], dict) else None
            nxt = str(last) if last and str(last) != after else None
        page_key: Any = index if key is None else (key, index)
        self._record(spec.kind, page_key, entities,
                     (index + (2 if nxt else 1)) if key is None else None)
        if nxt:
            return [self._guard(spec.kind, lambda: self._cursor_page(
                spec, query, nxt, index + 1, path_params, key), spec.permission)]
        return []

    def _children_tasks(self, spec: CrawlSpec, parents: list[dict[str, Any]]) -> list[Task]:
        """A sub-listing read once per parent (email routes per domain)."""
        assert spec.parent is not None
        query: dict[str, Any] = {"pageSize": spec.page_size, **spec.params}
        return [self._list_task(spec, query, {spec.parent[1]: str(p["id"])}, str(p["id"]))
                for p in parents if p.get("id") and not is_deleted(p)]

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

    def _grants_fn(self, uid: str) -> Iterable[Task]:
        body = self.client.get(USER_GRANTS, {"includeDuplicates": "true"}, {"subjectId": uid})
        self._record("user_grant", (uid, 1), body.get("grants") or [])
        return []

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
        wanted = None if opts.types is None else set(opts.types) | {
            s.parent[0] for s in CRAWL if s.parent and s.node_type in opts.types}
        specs = [s for s in CRAWL if wanted is None or s.node_type in wanted
                 or s.node_type == "organization"]
        self._listed = frozenset(s.kind for s in specs)
        initial: list[Task] = []
        for spec in specs:
            if spec.parent is not None:
                continue  # read once the parents are listed
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
        self._run(initial, self._follow_ups(specs, opts))
        doc = self._assemble(specs, opts)
        objects: Counter[str] = Counter()
        for s in specs:
            if s.paging != "single" and s.kind not in self._failures:
                objects[s.node_type] += sum(len(v) for v in self._pages.get(s.kind, {}).values())
        report = crawl_report(self.counters, list(self._failures.values()), objects,
                              time.perf_counter() - t0, self.client.tokens.renewals)
        return CrawlResult(doc, report)

    def _follow_ups(self, specs: list[CrawlSpec], opts: CrawlOptions) -> dict[str, list[FollowUp]]:
        """What to read once each listing is complete (a listing may have several)."""
        out: dict[str, list[FollowUp]] = defaultdict(list)
        if opts.queue_members:
            out["queue"].append(self._members_tasks)
        if opts.dependency_tracking:
            out["flow"].append(self._dependency_tasks)
        if opts.user_grants:  # one call per active user (docs/crawl.md), so only when asked
            out["user"].append(lambda us: [self._guard("user_grant", partial(
                self._grants_fn, str(u["id"])), "authorization:grant:view")
                for u in us if u.get("id")])
        if opts.queue_wrapups:  # one call per queue (docs/crawl.md), so only when asked
            out["queue"].append(lambda qs: [self._page_task(
                "queue_wrapup", QUEUE_WRAPUPS, {"pageSize": 100}, 1, str(q["id"]),
                "routing:queue:view", {"queueId": str(q["id"])}) for q in qs if q.get("id")])
        for spec in specs:
            if spec.parent is not None:
                out[spec.parent[0]].append(partial(self._children_tasks, spec))
        return {k: v for k, v in out.items() if k in self._listed}

    def _run(self, initial: list[Task], follow_ups: dict[str, list[FollowUp]]) -> None:
        waiting = dict(follow_ups)
        with ThreadPoolExecutor(max_workers=self.config.concurrency,
                                thread_name_prefix="gcmap-crawl") as pool:
            pending: set[Future[Iterable[Task]]] = {pool.submit(t) for t in initial}
            while pending:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                for f in done:
                    pending |= {pool.submit(t) for t in f.result()}
                for kind in [k for k in waiting if self._complete(k)]:
                    then = waiting.pop(kind)
                    if kind not in self._failures:  # nothing follows a failed listing
                        entities = self._entities(kind)
                        pending |= {pool.submit(t) for follow in then for t in follow(entities)}

    def _complete(self, kind: str) -> bool:
        """One listing fully read (or failed): what depends on it can start."""
        with self._lock:
            if kind in self._failures:
                return True
            return kind in self._total and self._done[kind] >= self._total[kind]

    def _entities(self, kind: str) -> list[dict[str, Any]]:
        with self._lock:
            pages = self._pages.get(kind, {})
            return [e for k in sorted(pages, key=page_sort) for e in pages[k]]

    def _by_parent(self, kind: str) -> dict[str, list[dict[str, Any]]]:
        """A per-object sub-listing, pages recorded as ``(parent id, n)``: parent id -> all
        its entities, in page order."""
        grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for (pid, _), items in sorted(self._pages.get(kind, {}).items()):
            grouped[pid].extend(items)
        return dict(sorted(grouped.items()))

    def _assemble(self, specs: list[CrawlSpec], opts: CrawlOptions) -> dict[str, Any]:
        doc: dict[str, Any] = {}
        failed_types = {s.node_type for s in specs if s.kind in self._failures}
        for spec in specs:
            if spec.node_type in failed_types:
                continue  # a type read in part is not read: its references are not checked
            if spec.paging == "single":
                if spec.path in self._singles:
                    doc[spec.path] = self._singles[spec.path]
                continue
            if spec.parent is not None:
                doc[spec.doc_key] = self._by_parent(spec.kind)
                continue
            items = self._entities(spec.kind)
            if opts.divisions and not spec.division_param:
                items = [e for e in items if not isinstance(e.get("division"), dict)
                         or e["division"].get("id") in opts.divisions]
            doc.setdefault(spec.doc_key, []).extend(items)
        for kind, key in (("queue_member", QUEUE_MEMBERS), ("queue_wrapup", QUEUE_WRAPUPS),
                          ("user_grant", USER_GRANTS),
                          ("dependency_tracking", DT_CONSUMED)):
            if kind in self._pages:
                doc[key] = self._by_parent(kind)
        if "limits" in self._pages:
            doc[LIMITS] = {ns: items for ns, items in sorted(self._pages["limits"].items())}
        if LIMIT_DOCS in self._singles:
            doc[LIMIT_DOCS] = self._singles[LIMIT_DOCS]
        if DT_BUILD in self._singles:
            doc[DT_BUILD] = self._singles[DT_BUILD]
        if "deleted_consumers" in self._pages:
            doc[DT_DELETED] = self._entities("deleted_consumers")
        return doc

    def close(self) -> None:
        self.client.close()
