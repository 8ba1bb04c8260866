"""What the graph view draws besides neighbourhoods: the org's type-level map, and the
objects of one finding."""

from __future__ import annotations

from collections import Counter
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from gcmap.api.auth import Read
from gcmap.api.deps import (
    AUTH,
    answer,
    document_at,
    etag_for,
    graph_at,
    json_response,
    snapshot_async,
)
from gcmap.api.errors import ApiError, responses
from gcmap.domain import export
from gcmap.domain.document import document_subgraph

__all__ = ["router"]

router = APIRouter(tags=["mappings"])
MAX_KEYS = 300


@router.get("/api/v1/mappings/{run_id}/overview", responses=responses(*AUTH, 404, 409))
async def overview(run_id: str, key: Read, request: Request) -> Response:
    """The type-level map: each type with its object count and findings by severity, and
    the references between types with their counts."""
    snap = await snapshot_async(request, run_id)

    def make() -> Response:
        doc = document_at(request, snap, run_id)
        counts = Counter(n["type"] for n in doc["nodes"])
        findings: dict[str, Counter[str]] = {t: Counter() for t in counts}
        for f in doc["findings"]:
            for t in {k.split(":", 1)[0] for k in f["nodes"]}:
                findings.setdefault(t, Counter())[f["severity"]] += 1
        links = Counter((e["from"].split(":", 1)[0], e["to"].split(":", 1)[0])
                        for e in doc["edges"])
        return json_response(request, {
            "types": [{"type": t, "count": n, "findings": dict(sorted(findings[t].items()))}
                      for t, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))],
            "links": [{"from": a, "to": b, "count": n}
                      for (a, b), n in sorted(links.items()) if a != b]}, snap)
    return await answer(request, etag_for(request, snap), make)


@router.get("/api/v1/mappings/{run_id}/subgraph", responses=responses(*AUTH, 400, 404, 409))
async def subgraph(run_id: str, key: Read, request: Request,
                   keys: Annotated[str, Query(min_length=1, max_length=20_000,
                                              description="comma-separated node keys")],
                   ) -> Response:
    """The given objects and the references between them, as Cytoscape elements (what a
    finding names: a cycle's ring, a chain, a failover path)."""
    snap = await snapshot_async(request, run_id)
    wanted = [k for k in dict.fromkeys(keys.split(",")) if k]
    if len(wanted) > MAX_KEYS:
        raise ApiError(400, "too_many", f"at most {MAX_KEYS} keys at once")

    def make() -> Response:
        g = graph_at(request, snap, run_id)
        unknown = [k for k in wanted if k not in g]
        if unknown:
            raise ApiError(404, "not_found",
                           f"not in mapping {run_id}: {', '.join(unknown[:5])}")
        sub = document_subgraph(g, set(wanted), document_at(request, snap, run_id)["findings"])
        return json_response(request, {
            "elements": export.cytoscape_elements(sub),
            "attributes": {n["key"]: {"name": n["name"], **n["attrs"]}
                           for n in sub["nodes"]}}, snap)
    return await answer(request, etag_for(request, snap), make)
