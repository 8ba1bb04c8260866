"""What every router needs: the container, the documented error statuses, and lookups of a
mapping's run, document and graph (404 and 409 as the API promises)."""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import Depends, Request
from fastapi.responses import Response

from gcmap.api.errors import ApiError
from gcmap.services.lru import WeightedLRU

if TYPE_CHECKING:
    from gcmap.container import Container
    from gcmap.domain.graph import DependencyGraph

__all__ = ["AUTH", "Ctx", "ResponseCache", "cached", "document_of", "etag_for", "graph_of",
           "json_response", "public_run", "run_or_404", "snapshot_of", "visible_orgs"]

AUTH = (401, 403, 422, 429)


def _container(request: Request) -> Container:
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


def run_or_404(request: Request, run_id: str) -> dict[str, Any]:
    """The run, or 404 (also for a run of an org the key may not see: a 403 would tell
    that the mapping exists)."""
    run = request.app.state.container.store.get_run(run_id)
    allowed = visible_orgs(request)
    if run is None or (allowed is not None and run["orgKey"] not in allowed):
        raise ApiError(404, "not_found", f"no mapping {run_id}")
    return dict(run)


def snapshot_of(request: Request, run_id: str) -> str:
    """The snapshot of a succeeded run, or 404 / 409."""
    run = run_or_404(request, run_id)
    if run["status"] != "succeeded" or not run["snapshotHash"]:
        raise ApiError(409, "not_ready", f"mapping {run_id} is {run['status']}; its graph "
                       "exists once it has succeeded")
    snapshot_hash: str = run["snapshotHash"]
    return snapshot_hash


def _missing(run_id: str) -> ApiError:
    return ApiError(404, "not_found", f"snapshot of mapping {run_id} is missing")


def document_of(request: Request, run_id: str) -> dict[str, Any]:
    """A succeeded run's mapping document (shared, read-only), or 404 / 409."""
    doc: dict[str, Any] | None = request.app.state.snapshots.document(
        snapshot_of(request, run_id))
    if doc is None:
        raise _missing(run_id)
    return doc


def graph_of(request: Request, run_id: str) -> DependencyGraph:
    """A succeeded run's graph, built once per process and shared, or 404 / 409."""
    g: DependencyGraph | None = request.app.state.snapshots.graph(
        snapshot_of(request, run_id))
    if g is None:
        raise _missing(run_id)
    return g


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


class ResponseCache:
    """Answers by ETag, bounded by bytes (least recently used out first): a read of one
    snapshot with one query gives the same bytes for every client, so it is made once."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._lru: WeightedLRU[bytes] = WeightedLRU(max_bytes)

    def get(self, etag: str) -> bytes | None:
        return self._lru.get(etag)

    def put(self, etag: str, body: bytes) -> None:
        if len(body) > self.max_bytes // 8:
            return  # one answer never crowds out the rest
        self._lru.put(etag, body, len(body))


def _not_modified(request: Request, etag: str) -> Response | None:
    """A 304 when the client already holds this ETag (``If-None-Match``)."""
    wanted = request.headers.get("if-none-match", "")
    if etag in (t.strip() for t in wanted.split(",")) or wanted.strip() == "*":
        return Response(status_code=304, headers={"ETag": etag})
    return None


def cached(request: Request, etag: str) -> Response | None:
    """A 304 when the client already holds this ETag (``If-None-Match``), the answer made
    for an earlier client when there is one, else None."""
    if (hit := _not_modified(request, etag)) is not None:
        return hit
    body = request.app.state.responses.get(etag)
    if body is not None:
        return Response(body, media_type="application/json", headers={"ETag": etag})
    return None


def json_response(request: Request, body: Any, *parts: str) -> Response:
    """``body`` as JSON with an ETag from ``parts`` (or from the body itself), or 304; an
    answer keyed by ``parts`` is kept for the next client asking the same."""
    data = json.dumps(body, separators=(",", ":")).encode()
    etag = etag_for(request, *(parts or (hashlib.sha256(data).hexdigest(),)))
    if parts:
        request.app.state.responses.put(etag, data)
    return _not_modified(request, etag) or Response(data, media_type="application/json",
                                                    headers={"ETag": etag})
