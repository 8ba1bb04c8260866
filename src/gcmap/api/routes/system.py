"""Health, readiness, metrics, the graph view's page, stats and the audit log."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from gcmap.api.auth import AuditRead, Read
from gcmap.api.deps import AUTH, Ctx
from gcmap.api.errors import ApiError, responses
from gcmap.storage.common import AuditFilter

__all__ = ["STATIC", "router"]

router = APIRouter()
STATIC = Path(__file__).parents[1] / "static"


@router.get("/healthz", tags=["system"])
async def healthz() -> dict[str, str]:
    # On the event loop, not the thread pool: it answers while every worker thread is
    # busy with heavy graph requests.
    return {"status": "ok"}

@router.get("/readyz", tags=["system"], responses=responses(503))
def readyz(c: Ctx) -> JSONResponse:
    try:
        db = c.store.ping()
    except Exception:
        db = False
    workers = all(w.alive for w in c.workers)
    ok = db and workers
    return JSONResponse({"status": "ready" if ok else "not ready", "database": db,
                         "workers": len(c.workers), "workersAlive": workers},
                        200 if ok else 503)

@router.get("/ui", include_in_schema=False)
def ui() -> Response:
    page = STATIC / "index.html"
    if not (STATIC / "vendor" / "cytoscape.min.js").exists():
        return PlainTextResponse("the graph view is not built: run 'make ui'", 503)
    return Response(page.read_text(), media_type="text/html")


@router.get("/metrics", tags=["system"], response_class=PlainTextResponse)
def prometheus(c: Ctx) -> Response:
    return Response(generate_latest(c.registry), media_type=CONTENT_TYPE_LATEST)

@router.get("/api/v1/stats", tags=["system"], responses=responses(*AUTH))
def stats(key: Read, c: Ctx) -> dict[str, Any]:
    runs, total = c.store.list_runs(10_000, 0)
    done = [r for r in runs if r["status"] in ("succeeded", "failed")]
    ok = [r for r in done if r["status"] == "succeeded"]
    secs = [r["finishedAt"] - r["startedAt"] for r in ok
            if r["finishedAt"] and r["startedAt"]]
    acc = [r["summary"]["resolutionAccuracy"] for r in ok if r.get("summary")]
    return {"mappings": total, "finished": len(done),
            "successRate": round(len(ok) / len(done), 4) if done else None,
            "averageSeconds": round(sum(secs) / len(secs), 3) if secs else None,
            "averageResolutionAccuracy": round(sum(acc) / len(acc), 6) if acc else None}


@router.get("/api/v1/audit", tags=["audit"], responses=responses(*AUTH, 400))
def audit(key: AuditRead, c: Ctx, limit: Annotated[int, Query(ge=1, le=500)] = 100,
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
    items, total = c.store.list_audit(limit, offset, filters=f)
    return {"items": items, "total": total, "limit": limit, "offset": offset}


def _iso_time(value: str) -> float:
    """An ISO-8601 time as a timestamp (UTC when no offset is given); 400 when it is not
    one, never a number reinterpreted as a time."""
    try:
        when = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise ApiError(400, "bad_request", f"since: {value!r} is not an ISO-8601 time") from exc
    return (when if when.tzinfo else when.replace(tzinfo=UTC)).timestamp()
