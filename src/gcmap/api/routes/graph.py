"""A mapping's graph: exports, impact, object search and neighbourhoods (shared graphs)."""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response

from gcmap.api.auth import Read
from gcmap.api.deps import AUTH, document_of, graph_of
from gcmap.api.errors import ApiError, responses
from gcmap.domain import export
from gcmap.domain.errors import ExportTooLarge
from gcmap.domain.impact import impact as run_impact

__all__ = ["router"]

router = APIRouter(tags=["mappings"])
GRAPH_FORMATS = {"json": "application/json", "dot": "text/vnd.graphviz",
                 "graphml": "application/xml", "mermaid": "text/plain",
                 "cytoscape": "application/json"}


@router.get("/api/v1/mappings/{run_id}/graph", tags=["mappings"],
         responses=responses(*AUTH, 400, 404, 409))
def graph(run_id: str, key: Read, request: Request,
          format: Literal["json", "dot", "graphml", "mermaid", "cytoscape"] = "json",
          ) -> Response:
    doc = document_of(request, run_id)
    try:
        body = export.to_dot(doc) if format == "dot" else export.to_graphml(doc) \
            if format == "graphml" else export.to_mermaid(doc) if format == "mermaid" \
            else export.to_cytoscape(doc) if format == "cytoscape" else None
    except ExportTooLarge as exc:
        raise ApiError(400, "too_large", str(exc)) from exc
    if body is None:
        return JSONResponse(doc)
    return Response(body, media_type=GRAPH_FORMATS[format])

@router.get("/api/v1/mappings/{run_id}/impact", tags=["mappings"],
         responses=responses(*AUTH, 400, 404, 409))
def impact(run_id: str, node: str, key: Read, request: Request,
           depth: Annotated[int, Query(ge=1, le=20)] = 3,
           direction: Literal["uses", "usedby"] = "usedby") -> dict[str, Any]:
    g = graph_of(request, run_id)
    if node not in g:
        raise ApiError(404, "not_found", f"{node} is not in mapping {run_id} (keys are "
                       "<type>:<id>)")
    return run_impact(g, node, depth, direction)

@router.get("/api/v1/mappings/{run_id}/nodes", tags=["mappings"],
         responses=responses(*AUTH, 400, 404, 409))
def nodes(run_id: str, key: Read, request: Request, q: Annotated[str, Query(max_length=200)] = "",
          type: Annotated[str | None, Query(max_length=40)] = None,
          limit: Annotated[int, Query(ge=1, le=200)] = 50) -> dict[str, Any]:
    """Search objects by name, id or key (case-insensitive), optionally of one type."""
    needle = q.lower()
    hits = [{"key": n["key"], "type": n["type"], "name": n["name"]}
            for n in document_of(request, run_id)["nodes"]
            if (type is None or n["type"] == type)
            and (not needle or needle in (n["name"] or "").lower()
                 or needle in n["key"].lower())]
    return {"items": hits[:limit], "total": len(hits)}

@router.get("/api/v1/mappings/{run_id}/neighbourhood", tags=["mappings"],
         responses=responses(*AUTH, 400, 404, 409))
def neighbourhood(run_id: str, node: str, key: Read, request: Request,
                  depth: Annotated[int, Query(ge=1, le=5)] = 1,
                  direction: Literal["uses", "usedby", "both"] = "both",
                  limit: Annotated[int, Query(ge=10, le=1000)] = 300) -> dict[str, Any]:
    """A node's neighbourhood as Cytoscape elements, never the whole org: at most
    ``limit`` objects, cycle edges and flagged objects marked, with their findings."""
    doc = document_of(request, run_id)
    g = graph_of(request, run_id)
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
