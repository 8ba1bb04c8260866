"""A mapping's graph: exports, impact, object search and neighbourhoods (shared graphs)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from gcmap.api.auth import Read
from gcmap.api.deps import (
    AUTH,
    answer,
    cached,
    counted,
    derived_at,
    document_at,
    etag_for,
    graph_at,
    json_response,
    snapshot_async,
)
from gcmap.api.errors import ApiError, responses
from gcmap.domain import export
from gcmap.domain.document import document_subgraph
from gcmap.domain.errors import ExportTooLarge
from gcmap.domain.impact import impact as run_impact
from gcmap.domain.impact import reach
from gcmap.domain.search import SEARCH_INDEX_FACTOR, search, search_index

__all__ = ["router"]

router = APIRouter(tags=["mappings"])
GRAPH_FORMATS = {"json": "application/json", "dot": "text/vnd.graphviz",
                 "graphml": "application/xml", "mermaid": "text/plain",
                 "cytoscape": "application/json"}


@router.get("/api/v1/mappings/{run_id}/graph", tags=["mappings"],
         responses=responses(*AUTH, 400, 404, 409))
async def graph(run_id: str, key: Read, request: Request,
                format: Literal["json", "dot", "graphml", "mermaid", "cytoscape"] = "json",
                ) -> Response:
    """The mapping document as stored (gzip when the client accepts it), or an export."""
    snap = await snapshot_async(request, run_id)
    etag = etag_for(request, snap)
    if (hit := cached(request, etag)) is not None:
        return hit
    if format == "json":
        zipped = "gzip" in request.headers.get("accept-encoding", "")
        raw = await run_in_threadpool(request.app.state.snapshots.raw, snap, zipped)
        if raw is None:
            raise ApiError(404, "not_found", f"snapshot of mapping {run_id} is missing")
        headers = {"ETag": etag, "Vary": "Accept-Encoding"}
        if zipped:
            headers["Content-Encoding"] = "gzip"
        return counted(request, "made", Response(raw, media_type="application/json",
                                                 headers=headers))

    def make() -> Response:
        doc = document_at(request, snap, run_id)
        try:
            body = export.to_dot(doc) if format == "dot" else export.to_graphml(doc) \
                if format == "graphml" else export.to_mermaid(doc) if format == "mermaid" \
                else export.to_cytoscape(doc)
        except ExportTooLarge as exc:
            raise ApiError(400, "too_large", str(exc)) from exc
        return counted(request, "made", Response(body, media_type=GRAPH_FORMATS[format],
                                                 headers={"ETag": etag}))
    return await run_in_threadpool(make)

@router.get("/api/v1/mappings/{run_id}/impact", tags=["mappings"],
         responses=responses(*AUTH, 400, 404, 409))
async def impact(run_id: str, node: str, key: Read, request: Request,
                 depth: Annotated[int, Query(ge=1, le=20)] = 3,
                 direction: Literal["uses", "usedby"] = "usedby") -> Response:
    snap = await snapshot_async(request, run_id)

    def make() -> Response:
        g = graph_at(request, snap, run_id)
        if node not in g:
            raise ApiError(404, "not_found", f"{node} is not in mapping {run_id} (keys are "
                           "<type>:<id>)")
        return json_response(request, run_impact(g, node, depth, direction), snap)
    return await answer(request, etag_for(request, snap), make)

@router.get("/api/v1/mappings/{run_id}/nodes", tags=["mappings"],
         responses=responses(*AUTH, 400, 404, 409))
async def nodes(run_id: str, key: Read, request: Request,
                q: Annotated[str, Query(max_length=200)] = "",
                type: Annotated[str | None, Query(max_length=40)] = None,
                limit: Annotated[int, Query(ge=1, le=1000)] = 50,
                offset: Annotated[int, Query(ge=0)] = 0) -> Response:
    """Search objects by name, id or key (case-insensitive), optionally of one type; a page
    of ``limit`` from ``offset`` with the total."""
    snap = await snapshot_async(request, run_id)

    def make() -> Response:
        hits = search(derived_at(request, snap, run_id, "search", search_index,
                                 SEARCH_INDEX_FACTOR), q, type)
        page = [{"key": n["key"], "type": n["type"], "name": n["name"]}
                for n in hits[offset:offset + limit]]
        return json_response(request, {"items": page,
                                       "total": len(hits), "limit": limit, "offset": offset},
                             snap)
    return await answer(request, etag_for(request, snap), make)

@router.get("/api/v1/mappings/{run_id}/edges", tags=["mappings"],
         responses=responses(*AUTH, 400, 404, 409))
async def edges(run_id: str, key: Read, request: Request,
                source: Annotated[str | None, Query(alias="from", max_length=300)] = None,
                to: Annotated[str | None, Query(max_length=300)] = None,
                field: Annotated[str | None, Query(max_length=200)] = None,
                limit: Annotated[int, Query(ge=1, le=5000)] = 1000,
                offset: Annotated[int, Query(ge=0)] = 0) -> Response:
    """References, filtered by the key they come from, the key they point at and the field;
    a page of ``limit`` from ``offset`` with the total."""
    snap = await snapshot_async(request, run_id)

    def make() -> Response:
        if source is not None and to is None and field is None:
            g = graph_at(request, snap, run_id)  # one object's references: from the index
            picked = [{"from": e.src, "to": e.dst, "kind": e.kind, "field": e.field,
                       "source": e.source} for e in g.out_edges(source)] if source in g else []
        else:
            picked = [e for e in document_at(request, snap, run_id)["edges"]
                      if (source is None or e["from"] == source)
                      and (to is None or e["to"] == to)
                      and (field is None or e["field"] == field)]
        return json_response(request, {"items": picked[offset:offset + limit],
                                       "total": len(picked), "limit": limit,
                                       "offset": offset}, snap)
    return await answer(request, etag_for(request, snap), make)

@router.get("/api/v1/mappings/{run_id}/neighbourhood", tags=["mappings"],
         responses=responses(*AUTH, 400, 404, 409))
async def neighbourhood(run_id: str, node: str, key: Read, request: Request,
                        depth: Annotated[int, Query(ge=1, le=5)] = 1,
                        direction: Literal["uses", "usedby", "both"] = "both",
                        limit: Annotated[int, Query(ge=10, le=1000)] = 300) -> Response:
    """A node's neighbourhood as Cytoscape elements, never the whole org: at most
    ``limit`` objects, cycle edges and flagged objects marked, with their findings."""
    snap = await snapshot_async(request, run_id)

    def make() -> Response:
        doc = document_at(request, snap, run_id)
        g = graph_at(request, snap, run_id)
        if node not in g:
            raise ApiError(404, "not_found", f"{node} is not in mapping {run_id}")
        distance: dict[str, int] = {}
        for d in (("uses", "usedby") if direction == "both" else (direction,)):
            for k, hops in reach(g, node, depth, d).items():
                distance[k] = min(distance.get(k, hops), hops)
        total = len(distance)
        # Nearest first when the view must be cut: what is one hop away is never dropped for
        # something three hops away.
        keys = set(sorted(distance, key=lambda k: (distance[k], k))[:limit])
        sub = document_subgraph(g, keys, doc["findings"])
        return json_response(request, {
            "node": node, "truncated": total > len(keys), "total": total,
            "shown": len(keys),
            "elements": export.cytoscape_elements(sub),
            "attributes": {n["key"]: {"name": n["name"], "division": n["division"],
                                      **n["attrs"]} for n in sub["nodes"]},
            "findings": sub["findings"]}, snap)
    return await answer(request, etag_for(request, snap), make)
