"""What every router needs: the container, the documented error statuses, and lookups of a
mapping's run, document and graph (404 and 409 as the API promises)."""

from __future__ import annotations

import gzip
import hashlib
import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

from fastapi import Depends, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from gcmap.api.errors import ApiError
from gcmap.services.lru import TtlCache, WeightedLRU

if TYPE_CHECKING:
    from gcmap.container import Container
    from gcmap.domain.graph import DependencyGraph

__all__ = ["AUTH", "GZIP_LEVEL", "GZIP_MIN_BYTES", "Answer", "Ctx", "ResponseCache", "answer",
           "cached", "counted", "derived_at", "document_at", "document_of", "etag_for",
           "graph_at", "held_or_found", "json_response", "public_run", "run_async",
           "run_or_404", "snapshot_async", "snapshot_of", "visible_orgs"]

T = TypeVar("T")
V = TypeVar("V")
AUTH = (401, 403, 422, 429)
# What the GZip middleware does with any other answer: bodies under 2 KB go as they are.
GZIP_MIN_BYTES, GZIP_LEVEL = 2048, 5


async def _container(request: Request) -> Container:
    container: Container = request.app.state.container
    return container


Ctx = Annotated["Container", Depends(_container)]


def visible_orgs(request: Request) -> list[str] | None:
    """The org keys the request's API key may read and act on; None: every org. A key's
    ``default`` is the settings' org."""
    key = getattr(request.state, "actor", None) or {}
    limited = key.get("orgs")
    if not limited:
        return None
    c: Container = request.app.state.container
    return [c.org_key if o == "default" else o for o in limited]


def _visible(request: Request, run_id: str, run: dict[str, Any] | None) -> dict[str, Any]:
    """The run, or 404 (also for a run of an org the key may not see: a 403 would tell
    that the mapping exists)."""
    allowed = visible_orgs(request)
    if run is None or (allowed is not None and run["orgKey"] not in allowed):
        raise ApiError(404, "not_found", f"no mapping {run_id}")
    return dict(run)


def run_or_404(request: Request, run_id: str) -> dict[str, Any]:
    """The run (a finished one from the run cache), or 404. Blocks: call it in a thread."""
    return _visible(request, run_id, request.app.state.runs.find(run_id))


async def held_or_found(cache: TtlCache[V], key: str) -> V | None:
    """``cache.find(key)`` from the event loop: a fresh value held costs no thread hop;
    only a lookup in the store goes to the thread pool."""
    fresh, value = cache.peek(key)
    if fresh:
        return value
    return await run_in_threadpool(cache.find, key)


async def run_async(request: Request, run_id: str) -> dict[str, Any]:
    """``run_or_404`` on the event loop (a finished run comes from the run cache)."""
    return _visible(request, run_id, await held_or_found(request.app.state.runs, run_id))


def _ready(run: dict[str, Any], run_id: str) -> str:
    if run["status"] != "succeeded" or not run["snapshotHash"]:
        raise ApiError(409, "not_ready", f"mapping {run_id} is {run['status']}; its graph "
                       "exists once it has succeeded")
    snapshot_hash: str = run["snapshotHash"]
    return snapshot_hash


def snapshot_of(request: Request, run_id: str) -> str:
    """The snapshot of a succeeded run, or 404 / 409. Blocks: call it in a thread."""
    return _ready(run_or_404(request, run_id), run_id)


async def snapshot_async(request: Request, run_id: str) -> str:
    """``snapshot_of`` on the event loop (see ``run_async``)."""
    return _ready(await run_async(request, run_id), run_id)


def _missing(run_id: str) -> ApiError:
    return ApiError(404, "not_found", f"snapshot of mapping {run_id} is missing")


def document_at(request: Request, snap: str, run_id: str) -> dict[str, Any]:
    """The mapping document of snapshot ``snap`` (shared, read-only), or 404. Blocks."""
    doc: dict[str, Any] | None = request.app.state.snapshots.document(snap)
    if doc is None:
        raise _missing(run_id)
    return doc


def graph_at(request: Request, snap: str, run_id: str) -> DependencyGraph:
    """The graph of snapshot ``snap``, built once per process and shared, or 404. Blocks."""
    g: DependencyGraph | None = request.app.state.snapshots.graph(snap)
    if g is None:
        raise _missing(run_id)
    return g


def derived_at(request: Request, snap: str, run_id: str, name: str,
               build: Callable[[dict[str, Any]], T], weight_factor: float = 0.0) -> T:
    """What ``build`` makes of snapshot ``snap`` (made once per process, weighing
    ``weight_factor`` times the document's JSON in the snapshot cache), or 404. Blocks."""
    value: T | None = request.app.state.snapshots.derive(snap, name, build, weight_factor)
    if value is None:
        raise _missing(run_id)
    return value


def document_of(request: Request, run_id: str) -> dict[str, Any]:
    """A succeeded run's mapping document (shared, read-only), or 404 / 409. Blocks."""
    return document_at(request, snapshot_of(request, run_id), run_id)


def public_run(run: dict[str, Any], default_key: str) -> dict[str, Any]:
    """A run as the API shows it: no lease details, and its org as ``default`` or a
    registered org's id instead of the internal key."""
    hidden = {"leaseOwner", "leaseExpiresAt", "orgKey", "changes"}
    out = {k: v for k, v in run.items() if k not in hidden}
    if run.get("changes") is not None:  # the audit records stay inside; their count shows
        out["changeRecords"] = len(run["changes"])
    out["org"] = "default" if run["orgKey"] == default_key else run["orgKey"]
    return out


def etag_for(request: Request, *parts: str) -> str:
    """A strong ETag for what ``parts`` (a snapshot hash, a body hash) and the request's
    path and query decide."""
    h = hashlib.sha256("\x00".join((*parts, request.url.path,
                                    str(sorted(request.query_params.multi_items()))))
                       .encode()).hexdigest()[:32]
    return f'"{h}"'


class Answer:
    """One answer's JSON, and its gzip form when it is worth compressing (made once, so a
    repeat costs no compression)."""

    __slots__ = ("body", "gzipped")

    def __init__(self, body: bytes) -> None:
        self.body = body
        self.gzipped = gzip.compress(body, GZIP_LEVEL, mtime=0) \
            if len(body) >= GZIP_MIN_BYTES else None


class ResponseCache:
    """Answers by ETag, bounded by bytes (least recently used out first): a read of one
    snapshot with one query gives the same bytes for every client, so it is made once."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._lru: WeightedLRU[Answer] = WeightedLRU(max_bytes)

    def get(self, etag: str) -> Answer | None:
        return self._lru.get(etag)

    def put(self, etag: str, answer: Answer) -> None:
        weight = len(answer.body) + len(answer.gzipped or b"")
        if weight > self.max_bytes // 8:
            return  # one answer never crowds out the rest
        self._lru.put(etag, answer, weight)


def _not_modified(request: Request, etag: str) -> Response | None:
    """A 304 when the client already holds this ETag (``If-None-Match``)."""
    wanted = request.headers.get("if-none-match", "")
    if etag in (t.strip() for t in wanted.split(",")) or wanted.strip() == "*":
        return Response(status_code=304, headers={"ETag": etag})
    return None


def _send(request: Request, answer: Answer, etag: str) -> Response:
    """The answer, compressed as made when the client takes gzip (the GZip middleware
    passes an encoded body through as it is)."""
    if answer.gzipped is not None and "gzip" in request.headers.get("accept-encoding", ""):
        return Response(answer.gzipped, media_type="application/json",
                        headers={"ETag": etag, "Content-Encoding": "gzip",
                                 "Vary": "Accept-Encoding"})
    return Response(answer.body, media_type="application/json", headers={"ETag": etag})


def counted(request: Request, source: str, response: Response) -> Response:
    """``response``, counted in ``gcmap_http_answers_total`` by route and ``source``."""
    route = getattr(request.scope.get("route"), "path", "unmatched")
    request.app.state.container.metrics.answers.labels(route, source).inc()
    return response


def cached(request: Request, etag: str) -> Response | None:
    """A 304 when the client already holds this ETag (``If-None-Match``), the answer made
    for an earlier client when there is one, else None."""
    if (hit := _not_modified(request, etag)) is not None:
        return counted(request, "not_modified", hit)
    answer = request.app.state.responses.get(etag)
    return counted(request, "cache", _send(request, answer, etag)) \
        if answer is not None else None


async def answer(request: Request, etag: str, make: Callable[[], Response]) -> Response:
    """The cached answer for ``etag`` on the event loop; else ``make`` (which reads
    documents and graphs, and may compute for a while) in the thread pool."""
    if (hit := cached(request, etag)) is not None:
        return hit
    return await run_in_threadpool(make)


def json_response(request: Request, body: Any, *parts: str) -> Response:
    """``body`` as JSON with an ETag from ``parts`` (or from the body itself), or 304; an
    answer keyed by ``parts`` is kept for the next client asking the same."""
    data = json.dumps(body, separators=(",", ":")).encode()
    etag = etag_for(request, *(parts or (hashlib.sha256(data).hexdigest(),)))
    if (hit := _not_modified(request, etag)) is not None:
        return counted(request, "not_modified", hit)
    if not parts:
        return counted(request, "made", Response(data, media_type="application/json",
                                                  headers={"ETag": etag}))
    made = Answer(data)
    request.app.state.responses.put(etag, made)
    return counted(request, "made", _send(request, made, etag))
