"""The HTTP API (FastAPI): mappings, audit, stats, health and metrics."""

from __future__ import annotations

import contextlib
import json
import secrets
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any, Literal

import structlog
from fastapi import Depends, FastAPI, Query, Request
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from fastapi.staticfiles import StaticFiles
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from gcmap.api.auth import AuditRead, KeyLimiter, Read, Write
from gcmap.api.bodyguard import BodyGuard, RefusalLedger
from gcmap.api.errors import (
    ApiError,
    error_response,
    install_handlers,
    refuse_unknown_query,
    responses,
)
from gcmap.api.webhooks import install_webhook_routes
from gcmap.container import Container
from gcmap.domain import export
from gcmap.domain.diff import diff_documents
from gcmap.domain.errors import ExportTooLarge
from gcmap.domain.graph import DependencyGraph
from gcmap.domain.impact import impact as run_impact
from gcmap.services.snapshots import SnapshotCache
from gcmap.storage.common import AuditFilter, audit_record

__all__ = ["create_app"]

log = structlog.get_logger("gcmap.api")
STATIC = Path(__file__).parent / "static"

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
GRAPH_FORMATS = {"json": "application/json", "dot": "text/vnd.graphviz",
                 "graphml": "application/xml", "mermaid": "text/plain",
                 "cytoscape": "application/json"}


def create_app(container: Container, *, start_workers: bool = True) -> FastAPI:
    """Build the app around a container (store, reader, settings, metrics)."""
    store, settings, metrics = container.store, container.settings, container.metrics
    limiter = KeyLimiter(settings.api_rate_per_min, container.clock)

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if start_workers:
            container.start_workers()
        yield
        container.stop_workers()
        app.state.refusals.close()

    app = FastAPI(title="gcmap", version="0.1.0", lifespan=lifespan,
                  dependencies=[Depends(refuse_unknown_query)],
                  description="Dependency mapping, validation and failover checks for Genesys "
                              "Cloud orgs. Authenticate with `Authorization: Bearer <key>`.")
    install_handlers(app)
    install_webhook_routes(app)
    app.state.container = container
    app.state.limiter = limiter

    def refused(address: str, minute: int, count: int, why: str) -> None:
        now = container.clock()
        store.append_audit(audit_record(
            now, actor_id=None, actor_name=None, action="auth.refused", target="/api",
            outcome=401, source=address,
            details={"minute": datetime.fromtimestamp(minute * 60, UTC).isoformat(),
                     "count": count, "kind": "first of the minute" if why != "summary"
                     else "minute summary", "reason": why}), now)

    def known_key(token: str) -> bool:
        key = store.find_api_key(token)
        return key is not None and not key["revoked"]

    ledger = RefusalLedger(refused, container.clock)
    app.state.refusals = ledger

    # -- middleware: request id, size and type limits, audit, metrics ---------------------
    @app.middleware("http")
    async def guard(request: Request,
                    call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        t0 = time.perf_counter()
        request.state.request_id = request.headers.get("x-request-id") or secrets.token_hex(8)
        request.state.actor = None
        structlog.contextvars.bind_contextvars(request_id=request.state.request_id)
        response: Response
        length = request.headers.get("content-length")
        chunked = "chunked" in request.headers.get("transfer-encoding", "").lower()
        if request.method in WRITE_METHODS and (length not in (None, "0") or chunked) and \
                not request.headers.get("content-type", "").startswith("application/json"):
            response = error_response(415, "unsupported_media_type",
                                      "send the body as application/json")
        else:
            response = await call_next(request)
        response.headers["X-Request-Id"] = request.state.request_id
        route = request.scope.get("route")
        label = getattr(route, "path", "unmatched")
        metrics.http.labels(request.method, label, str(response.status_code)).inc()
        metrics.http_latency.labels(label).observe(time.perf_counter() - t0)
        if request.method in WRITE_METHODS:
            actor = request.state.actor or {}
            now = container.clock()
            store.append_audit(audit_record(
                now, actor_id=actor.get("id"), actor_name=actor.get("name"),
                action=f"{request.method} {label}", target=request.url.path,
                outcome=response.status_code, request_id=request.state.request_id,
                source=request.client.host if request.client else None,
                latency_ms=(time.perf_counter() - t0) * 1000), now)
        log.info("http request", method=request.method, route=label,
                 status=response.status_code)
        structlog.contextvars.unbind_contextvars("request_id")
        return response

    # Outermost: keys checked and bodies bounded before anything reads a byte of a body.
    app.add_middleware(BodyGuard, limit=settings.max_request_bytes, known_key=known_key,
                       ledger=ledger)

    AUTH = (401, 403, 422, 429)

    def run_or_404(run_id: str) -> dict[str, Any]:
        run = store.get_run(run_id)
        if run is None:
            raise ApiError(404, "not_found", f"no mapping {run_id}")
        return run

    snapshots = SnapshotCache(store.get_snapshot_bytes,
                              settings.snapshot_cache_mb * 1024 * 1024)
    app.state.snapshots = snapshots

    def snapshot(snapshot_hash: str) -> dict[str, Any] | None:
        return snapshots.document(snapshot_hash)

    def graph_of(run_id: str) -> DependencyGraph:
        document_of(run_id)  # 404 / 409 as for the document
        g = snapshots.graph(run_or_404(run_id)["snapshotHash"])
        assert g is not None
        return g

    def document_of(run_id: str) -> dict[str, Any]:
        run = run_or_404(run_id)
        if run["status"] != "succeeded" or not run["snapshotHash"]:
            raise ApiError(409, "not_ready", f"mapping {run_id} is {run['status']}; its graph "
                           "exists once it has succeeded")
        doc = snapshot(run["snapshotHash"])
        if doc is None:
            raise ApiError(404, "not_found", f"snapshot of mapping {run_id} is missing")
        return doc

    # -- health and metrics --------------------------------------------------------------
    @app.get("/healthz", tags=["system"])
    async def healthz() -> dict[str, str]:
        # On the event loop, not the thread pool: it answers while every worker thread is
        # busy with heavy graph requests.
        return {"status": "ok"}

    @app.get("/readyz", tags=["system"], responses=responses(503))
    def readyz() -> JSONResponse:
        try:
            db = store.ping()
        except Exception:
            db = False
        workers = all(w.alive for w in container.workers)
        ok = db and workers
        return JSONResponse({"status": "ready" if ok else "not ready", "database": db,
                             "workers": len(container.workers), "workersAlive": workers},
                            200 if ok else 503)

    @app.get("/ui", include_in_schema=False)
    def ui() -> Response:
        page = STATIC / "index.html"
        if not (STATIC / "vendor" / "cytoscape.min.js").exists():
            return PlainTextResponse("the graph view is not built: run 'make ui'", 503)
        return Response(page.read_text(), media_type="text/html")

    app.mount("/ui/static", StaticFiles(directory=STATIC), name="ui-static")

    @app.get("/metrics", tags=["system"], response_class=PlainTextResponse)
    def prometheus() -> Response:
        return Response(generate_latest(container.registry), media_type=CONTENT_TYPE_LATEST)

    # -- mappings ------------------------------------------------------------------------
    @app.post("/api/v1/mappings", status_code=202, tags=["mappings"],
              responses=responses(*AUTH, 400, 413, 415))
    def start_mapping(key: Write) -> dict[str, Any]:
        """Start a mapping run of the configured org in the background."""
        run = store.create_run(container.org_key, key["id"], container.clock())
        return {"id": run["id"], "status": run["status"], "href": f"/api/v1/mappings/{run['id']}"}

    @app.get("/api/v1/mappings", tags=["mappings"], responses=responses(*AUTH, 400))
    def list_mappings(key: Read, limit: Annotated[int, Query(ge=1, le=200)] = 50,
                      offset: Annotated[int, Query(ge=0)] = 0,
                      status: Literal["queued", "running", "succeeded", "failed",
                                      "cancelled"] | None = None) -> dict[str, Any]:
        items, total = store.list_runs(limit, offset, status)
        return {"items": [_public(r) for r in items], "total": total, "limit": limit,
                "offset": offset}

    @app.get("/api/v1/mappings/{run_id}", tags=["mappings"], responses=responses(*AUTH, 404))
    def get_mapping(run_id: str, key: Read) -> Response:
        run = _public(run_or_404(run_id))
        if run["status"] == "succeeded" and run["snapshotHash"]:
            doc = snapshot(run["snapshotHash"]) or {}
            run["findings"] = doc.get("findings", [])
        # Plain JSON: the findings are already JSON types, no re-encoding pass needed.
        return Response(json.dumps(run, separators=(",", ":")), media_type="application/json")

    @app.get("/api/v1/mappings/{run_id}/graph", tags=["mappings"],
             responses=responses(*AUTH, 400, 404, 409))
    def graph(run_id: str, key: Read,
              format: Literal["json", "dot", "graphml", "mermaid", "cytoscape"] = "json",
              ) -> Response:
        doc = document_of(run_id)
        try:
            body = export.to_dot(doc) if format == "dot" else export.to_graphml(doc) \
                if format == "graphml" else export.to_mermaid(doc) if format == "mermaid" \
                else export.to_cytoscape(doc) if format == "cytoscape" else None
        except ExportTooLarge as exc:
            raise ApiError(400, "too_large", str(exc)) from exc
        if body is None:
            return JSONResponse(doc)
        return Response(body, media_type=GRAPH_FORMATS[format])

    @app.get("/api/v1/mappings/{run_id}/findings", tags=["mappings"],
             responses=responses(*AUTH, 400, 404, 409))
    def findings(run_id: str, key: Read,
                 severity: Literal["error", "warning", "info"] | None = None,
                 rule: str | None = None) -> dict[str, Any]:
        items = [f for f in document_of(run_id)["findings"]
                 if (severity is None or f["severity"] == severity)
                 and (rule is None or f["rule"] == rule or f["rule"].startswith(rule + "."))]
        return {"items": items, "total": len(items)}

    @app.get("/api/v1/mappings/{run_id}/failover", tags=["mappings"],
             responses=responses(*AUTH, 404, 409))
    def failover(run_id: str, key: Read) -> dict[str, Any]:
        doc = document_of(run_id)
        items = [f for f in doc["findings"] if f["rule"].startswith("failover.")]
        return {"items": items, "total": len(items),
                "endpoints": doc["stats"].get("endpoints", [])}

    @app.get("/api/v1/mappings/{run_id}/diff", tags=["mappings"],
             responses=responses(*AUTH, 400, 404, 409))
    def diff(run_id: str, against: str, key: Read) -> dict[str, Any]:
        return diff_documents(document_of(against), document_of(run_id))

    @app.get("/api/v1/mappings/{run_id}/impact", tags=["mappings"],
             responses=responses(*AUTH, 400, 404, 409))
    def impact(run_id: str, node: str, key: Read,
               depth: Annotated[int, Query(ge=1, le=20)] = 3,
               direction: Literal["uses", "usedby"] = "usedby") -> dict[str, Any]:
        g = graph_of(run_id)
        if node not in g:
            raise ApiError(404, "not_found", f"{node} is not in mapping {run_id} (keys are "
                           "<type>:<id>)")
        return run_impact(g, node, depth, direction)

    @app.get("/api/v1/mappings/{run_id}/nodes", tags=["mappings"],
             responses=responses(*AUTH, 400, 404, 409))
    def nodes(run_id: str, key: Read, q: Annotated[str, Query(max_length=200)] = "",
              type: Annotated[str | None, Query(max_length=40)] = None,
              limit: Annotated[int, Query(ge=1, le=200)] = 50) -> dict[str, Any]:
        """Search objects by name, id or key (case-insensitive), optionally of one type."""
        needle = q.lower()
        hits = [{"key": n["key"], "type": n["type"], "name": n["name"]}
                for n in document_of(run_id)["nodes"]
                if (type is None or n["type"] == type)
                and (not needle or needle in (n["name"] or "").lower()
                     or needle in n["key"].lower())]
        return {"items": hits[:limit], "total": len(hits)}

    @app.get("/api/v1/mappings/{run_id}/neighbourhood", tags=["mappings"],
             responses=responses(*AUTH, 400, 404, 409))
    def neighbourhood(run_id: str, node: str, key: Read,
                      depth: Annotated[int, Query(ge=1, le=5)] = 1,
                      direction: Literal["uses", "usedby", "both"] = "both",
                      limit: Annotated[int, Query(ge=10, le=1000)] = 300) -> dict[str, Any]:
        """A node's neighbourhood as Cytoscape elements, never the whole org: at most
        ``limit`` objects, cycle edges and flagged objects marked, with their findings."""
        doc = document_of(run_id)
        g = graph_of(run_id)
        if node not in g:
            raise ApiError(404, "not_found", f"{node} is not in mapping {run_id}")
        keys = {node}
        for d in (("uses", "usedby") if direction == "both" else (direction,)):
            reached = run_impact(g, node, depth, d)["nodes"]
            keys |= {n["key"] for n in reached}
        truncated = len(keys) > limit
        if truncated:
            near = sorted(keys - {node}, key=lambda k: k)[:limit - 1]
            keys = {node, *near}
        sub = export.subgraph(doc, keys)
        return {"node": node, "truncated": truncated,
                "elements": json.loads(export.to_cytoscape(sub))["elements"],
                "attributes": {n["key"]: {"name": n["name"], "division": n["division"],
                                          **n["attrs"]} for n in sub["nodes"]},
                "findings": sub["findings"]}

    @app.post("/api/v1/mappings/{run_id}/cancel", tags=["mappings"],
              responses=responses(*AUTH, 404, 409, 413, 415))
    def cancel(run_id: str, key: Write) -> dict[str, Any]:
        status = store.request_cancel(run_id, container.clock())
        if status is None:
            raise ApiError(404, "not_found", f"no mapping {run_id}")
        if status not in ("cancelled", "running"):
            raise ApiError(409, "finished", f"mapping {run_id} already {status}")
        return {"id": run_id, "status": status,
                "cancelRequested": status == "running"}

    # -- audit and stats -----------------------------------------------------------------
    @app.get("/api/v1/audit", tags=["audit"], responses=responses(*AUTH, 400))
    def audit(key: AuditRead, limit: Annotated[int, Query(ge=1, le=500)] = 100,
              offset: Annotated[int, Query(ge=0)] = 0,
              action: Annotated[str | None, Query(max_length=200)] = None,
              actor: Annotated[str | None, Query(max_length=100)] = None,
              outcome: Annotated[str | None, Query(max_length=40)] = None,
              target: Annotated[str | None, Query(max_length=300)] = None,
              since: Annotated[str | None, Query(
                  pattern=r"^\d{4}-\d{2}-\d{2}([T ][0-9:.]+)?(Z|[+-]\d{2}:?\d{2})?$",
                  description="an ISO-8601 time, e.g. 2026-12-01T00:00:00Z")] = None,
              ) -> dict[str, Any]:
        """The audit log, newest first; ``action`` and ``target`` match a prefix, ``actor`` a
        key id, ``since`` an ISO time."""
        f = AuditFilter(action, actor, outcome, target,
                        _iso_time(since) if since is not None else None)
        items, total = store.list_audit(limit, offset, filters=f)
        return {"items": items, "total": total, "limit": limit, "offset": offset}

    @app.get("/api/v1/stats", tags=["system"], responses=responses(*AUTH))
    def stats(key: Read) -> dict[str, Any]:
        runs, total = store.list_runs(10_000, 0)
        done = [r for r in runs if r["status"] in ("succeeded", "failed")]
        ok = [r for r in done if r["status"] == "succeeded"]
        secs = [r["finishedAt"] - r["startedAt"] for r in ok
                if r["finishedAt"] and r["startedAt"]]
        acc = [r["summary"]["resolutionAccuracy"] for r in ok if r.get("summary")]
        return {"mappings": total, "finished": len(done),
                "successRate": round(len(ok) / len(done), 4) if done else None,
                "averageSeconds": round(sum(secs) / len(secs), 3) if secs else None,
                "averageResolutionAccuracy": round(sum(acc) / len(acc), 6) if acc else None}

    return app


def _public(run: dict[str, Any]) -> dict[str, Any]:
    hidden = {"leaseOwner", "leaseExpiresAt", "orgKey"}
    return {k: v for k, v in run.items() if k not in hidden}


def _iso_time(value: str) -> float:
    """An ISO-8601 time as a timestamp (UTC when no offset is given); 400 when it is not
    one, never a number reinterpreted as a time."""
    try:
        when = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise ApiError(400, "bad_request", f"since: {value!r} is not an ISO-8601 time") from exc
    return (when if when.tzinfo else when.replace(tzinfo=UTC)).timestamp()
