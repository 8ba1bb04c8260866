"""Orgs served by one service: register (the client secret sealed), list with each org's
last mapping, remove. The settings' org is listed as ``default``."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from pydantic import Field

from gcmap.api.auth import Read, require
from gcmap.api.deps import AUTH, Ctx, visible_orgs
from gcmap.api.errors import ApiError, StrictModel, responses
from gcmap.domain.regions import environment_domain, region_of_environment
from gcmap.storage.orgs_common import OrgExists
from gcmap.storage.protocol import FINISHED
from gcmap.storage.secretbox import SecretKeyMissing

__all__ = ["router"]

router = APIRouter(tags=["orgs"])
OrgAdmin = Annotated[dict[str, Any], Depends(require("admin"))]


class OrgIn(StrictModel):
    name: str = Field(min_length=1, max_length=200)
    environment: str = Field("mypurecloud.com", min_length=3, max_length=200,
                             description="region domain, API URL or host (mypurecloud.ie, "
                                         "https://api.mypurecloud.ie, apps.mypurecloud.ie)")
    baseUrl: str | None = Field(None, max_length=500, pattern=r"^https?://",
                                description="an API base URL that overrides the environment")
    clientId: str = Field(min_length=1, max_length=200)
    clientSecret: str = Field(min_length=1, max_length=500, description="stored sealed; "
                              "never returned")
    remapIntervalS: float | None = Field(None, ge=60, le=30 * 86400,
                                         description="re-map this org on this schedule "
                                                     "(seconds); GCMAP_REMAP_INTERVAL_S when "
                                                     "left out")


def _with_last(c: Any, org: dict[str, Any], key: str) -> dict[str, Any]:
    last = c.store.latest_run(key, FINISHED)
    summary = (last or {}).get("summary") or {}
    return {**org, "lastMapping": None if last is None else {
        "id": last["id"], "status": last["status"], "finishedAt": last["finishedAt"],
        "findingsBySeverity": summary.get("findingsBySeverity", {}),
        "failoverFindings": summary.get("failoverFindings"),
        "nodes": summary.get("nodes")}}


@router.post("/api/v1/orgs", status_code=201, responses=responses(*AUTH, 400, 409, 413, 415))
def register(body: OrgIn, key: OrgAdmin, c: Ctx, request: Request) -> dict[str, Any]:
    """Register an org and queue its first mapping (scope ``admin``)."""
    env = environment_domain(body.environment)
    if body.baseUrl is None and region_of_environment(env) is None:
        raise ApiError(400, "bad_environment", f"{body.environment!r} is no Genesys Cloud "
                       "environment; give its domain (mypurecloud.ie), region (eu-west-1) or "
                       "API URL, or a baseUrl")
    try:
        org = c.store.create_org(body.name, env, body.baseUrl, body.clientId,
                                 body.clientSecret, c.clock(), body.remapIntervalS)
    except SecretKeyMissing as exc:
        raise ApiError(400, "no_secret_key", str(exc)) from exc
    except OrgExists as exc:
        raise ApiError(409, "exists", str(exc)) from exc
    run = c.store.create_run(org["id"], key["id"], c.clock())
    request.state.audit_details = {"org": org["id"], "name": org["name"]}
    return {**org, "mappingId": run["id"]}


@router.get("/api/v1/orgs", responses=responses(*AUTH))
def list_orgs(key: Read, c: Ctx, request: Request) -> dict[str, Any]:
    """Every org (the key may see) with its last finished mapping: time, status, counts by
    severity."""
    default = {"id": "default", "name": "default (GCMAP_ORG_FILE or GENESYS_*)",
               "environment": getattr(c.reader, "environment", None), "apiBaseUrl": None,
               "clientId": None, "createdAt": None,
               "remapIntervalS": c.settings.remap_interval_s or None}
    allowed = visible_orgs(request)
    items = [_with_last(c, default, c.org_key)] if allowed is None or c.org_key in allowed \
        else []
    items += [_with_last(c, o, o["id"]) for o in c.store.list_orgs()
              if allowed is None or o["id"] in allowed]
    return {"items": items, "total": len(items)}


@router.delete("/api/v1/orgs/{org_id}", status_code=204, responses=responses(*AUTH, 404))
def remove(org_id: str, key: OrgAdmin, c: Ctx, request: Request) -> Response:
    """Remove a registered org and its secret; its mappings stay until retention (scope
    ``admin``)."""
    allowed = visible_orgs(request)
    request.state.audit_details = {"org": org_id}
    if (allowed is not None and org_id not in allowed) or not c.store.delete_org(org_id):
        raise ApiError(404, "not_found", f"no registered org {org_id}")
    return Response(status_code=204)
