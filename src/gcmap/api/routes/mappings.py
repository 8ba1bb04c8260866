"""Mapping runs: start, list, read, findings, failover, diff, cancel."""

from __future__ import annotations

import hashlib
import json
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from pydantic import Field

from gcmap.api.auth import Read, Write
from gcmap.api.deps import (
    AUTH,
    Ctx,
    answer,
    document_at,
    document_of,
    etag_for,
    json_response,
    public_run,
    run_async,
    run_or_404,
    snapshot_async,
    visible_orgs,
)
from gcmap.api.errors import ApiError, StrictModel, responses
from gcmap.domain.compare import compare_documents
from gcmap.domain.diff import diff_documents

__all__ = ["router"]

router = APIRouter(tags=["mappings"])


class StartIn(StrictModel):
    org: str | None = Field(None, max_length=64, description="a registered org's id; the "
                            "configured org when left out")



@router.post("/api/v1/mappings", status_code=202, tags=["mappings"],
          responses=responses(*AUTH, 400, 404, 413, 415))
def start_mapping(key: Write, c: Ctx, request: Request,
                  body: StartIn | None = None) -> dict[str, Any]:
    """Start a mapping run in the background: of the configured org, or of a registered
    org (``{"org": id}``)."""
    org_key = c.org_key
    if body is not None and body.org not in (None, "default"):
        if c.store.get_org(str(body.org)) is None:
            raise ApiError(404, "not_found", f"no registered org {body.org}; GET /api/v1/orgs "
                           "lists them")
        org_key = str(body.org)
    allowed = visible_orgs(request)
    if allowed is not None and org_key not in allowed:
        raise ApiError(404, "not_found", f"no registered org {body.org if body else 'default'}")
    run = c.store.create_run(org_key, key["id"], c.clock())
    request.state.audit_details = {"org": "default" if org_key == c.org_key else org_key}
    return {"id": run["id"], "status": run["status"], "href": f"/api/v1/mappings/{run['id']}"}

@router.get("/api/v1/mappings", tags=["mappings"], responses=responses(*AUTH, 400))
def list_mappings(key: Read, c: Ctx, request: Request,
                  limit: Annotated[int, Query(ge=1, le=200)] = 50,
                  offset: Annotated[int, Query(ge=0)] = 0,
                  status: Literal["queued", "running", "succeeded", "failed",
                                  "cancelled"] | None = None) -> dict[str, Any]:
    items, total = c.store.list_runs(limit, offset, status, visible_orgs(request))
    return {"items": [public_run(r, c.org_key) for r in items], "total": total, "limit": limit,
            "offset": offset}

@router.get("/api/v1/mappings/{run_id}", tags=["mappings"], responses=responses(*AUTH, 404))
async def get_mapping(run_id: str, key: Read, request: Request,
                      view: Literal["full", "summary"] = "full") -> Response:
    """A run: status, phase, progress and summary; with ``view=full`` (the default) its
    findings too. ``ETag``/``If-None-Match`` answer 304 when nothing changed."""
    run = public_run(await run_async(request, run_id), request.app.state.container.org_key)
    # The run record decides the answer (its findings come from its snapshot): a repeat is
    # a 304, or the bytes made for the last client, before any findings are encoded.
    state = json.dumps(run, sort_keys=True, default=str)
    version = hashlib.sha256(state.encode()).hexdigest()

    def make() -> Response:
        if view == "full" and run["status"] == "succeeded" and run["snapshotHash"]:
            doc = request.app.state.snapshots.document(run["snapshotHash"]) or {}
            run["findings"] = doc.get("findings", [])
        return json_response(request, run, version)
    return await answer(request, etag_for(request, version), make)

@router.get("/api/v1/mappings/{run_id}/findings", tags=["mappings"],
         responses=responses(*AUTH, 400, 404, 409))
async def findings(run_id: str, key: Read, request: Request,
                   severity: Literal["error", "warning", "info"] | None = None,
                   rule: Annotated[str | None, Query(max_length=100)] = None,
                   type: Annotated[str | None, Query(max_length=40)] = None,
                   limit: Annotated[int, Query(ge=1, le=5000)] = 1000,
                   offset: Annotated[int, Query(ge=0)] = 0) -> Response:
    """Findings, filtered by severity, rule (or rule prefix such as ``failover``) and the
    type of an object they name; a page of ``limit`` from ``offset`` with the total."""
    snap = await snapshot_async(request, run_id)

    def make() -> Response:
        prefix = f"{type}:" if type else None
        items = [f for f in document_at(request, snap, run_id)["findings"]
                 if (severity is None or f["severity"] == severity)
                 and (rule is None or f["rule"] == rule or f["rule"].startswith(rule + "."))
                 and (prefix is None or any(k.startswith(prefix) for k in f["nodes"]))]
        return json_response(request, {"items": items[offset:offset + limit],
                                       "total": len(items), "limit": limit,
                                       "offset": offset}, snap)
    return await answer(request, etag_for(request, snap), make)

@router.get("/api/v1/mappings/{run_id}/failover", tags=["mappings"],
         responses=responses(*AUTH, 404, 409))
def failover(run_id: str, key: Read, request: Request) -> dict[str, Any]:
    doc = document_of(request, run_id)
    items = [f for f in doc["findings"] if f["rule"].startswith("failover.")]
    return {"items": items, "total": len(items),
            "endpoints": doc["stats"].get("endpoints", [])}

@router.get("/api/v1/mappings/{run_id}/diff", tags=["mappings"],
         responses=responses(*AUTH, 400, 404, 409))
def diff(run_id: str, against: str, key: Read, request: Request) -> dict[str, Any]:
    return diff_documents(document_of(request, against), document_of(request, run_id))

@router.post("/api/v1/mappings/{run_id}/cancel", tags=["mappings"],
          responses=responses(*AUTH, 404, 409, 413, 415))
def cancel(run_id: str, key: Write, c: Ctx, request: Request) -> dict[str, Any]:
    run_or_404(request, run_id)  # a run of an org this key may not see is not there
    status = c.store.request_cancel(run_id, c.clock())
    if status is None:
        raise ApiError(404, "not_found", f"no mapping {run_id}")
    if status not in ("cancelled", "running"):
        raise ApiError(409, "finished", f"mapping {run_id} already {status}")
    return {"id": run_id, "status": status,
            "cancelRequested": status == "running"}


class CompareIn(StrictModel):
    a: str = Field(min_length=1, max_length=64, description="mapping id of org A")
    b: str = Field(min_length=1, max_length=64, description="mapping id of org B")


@router.post("/api/v1/compare", tags=["mappings"],
             responses=responses(*AUTH, 400, 404, 409, 413, 415))
def compare(body: CompareIn, key: Read, request: Request) -> dict[str, Any]:
    """Two mappings' orgs compared by identity (the same JSON as ``gcmap compare --json``)."""
    return compare_documents(document_of(request, body.a), document_of(request, body.b))
