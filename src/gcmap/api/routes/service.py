"""Service paths over HTTP: what-if failures and single points of failure of a mapping."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from pydantic import Field

from gcmap.api.auth import Read
from gcmap.api.deps import AUTH, document_of
from gcmap.api.errors import ApiError, StrictModel, responses
from gcmap.domain.service_model import model_from_document
from gcmap.domain.service_paths import by_object
from gcmap.domain.service_paths import resilience as run_resilience
from gcmap.domain.service_paths import whatif as run_whatif

__all__ = ["router"]

router = APIRouter(tags=["mappings"])


class WhatIfIn(StrictModel):
    fail: list[str] = Field(min_length=1, max_length=500,
                            description="node keys that fail at once (<type>:<id>)")


@router.post("/api/v1/mappings/{run_id}/whatif", tags=["mappings"],
             responses=responses(*AUTH, 400, 404, 409, 413, 415))
def whatif(run_id: str, body: WhatIfIn, key: Read, request: Request) -> dict[str, Any]:
    """Entry points that go down or degrade when the ``fail`` objects fail (the same JSON as
    ``gcmap whatif --json``)."""
    doc = document_of(request, run_id)
    known = {n["key"] for n in doc["nodes"]}
    unknown = sorted(set(body.fail) - known)
    if unknown:
        raise ApiError(400, "unknown_nodes", f"not in mapping {run_id}: "
                       + ", ".join(unknown[:10]) + " (keys are <type>:<id>)")
    return run_whatif(model_from_document(doc), body.fail)


@router.get("/api/v1/mappings/{run_id}/resilience", tags=["mappings"],
            responses=responses(*AUTH, 404, 409))
def resilience(run_id: str, key: Read, request: Request) -> dict[str, Any]:
    """Each entry point's single points of failure, and the objects ranked by how many
    entry points each takes down alone."""
    per_entry = run_resilience(model_from_document(document_of(request, run_id)))
    return {"entryPoints": per_entry,
            "objects": [{"key": k, "entryPoints": v} for k, v in by_object(per_entry)]}
