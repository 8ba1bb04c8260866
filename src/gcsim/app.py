"""The gcsim ASGI application: OAuth, the /api/v2 read endpoints, writes, faults and stats."""

from __future__ import annotations

import asyncio
import base64
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from gcsim import paths as o
from gcsim.audit_names import service_mapping
from gcsim.endpoints import Collection, match_collection
from gcsim.faults import FaultPlan, RateLimiter, Stats
from gcsim.listing import BadRequest, filter_entities, page, shape_entity
from gcsim.responses import error, json_response
from gcsim.write_routes import handle_write
from gcsim.writes import AuditTrail

__all__ = ["SimConfig", "SimState", "create_app"]

Entity = dict[str, Any]

DEPENDENCY_TYPES = sorted(set(o.FLOW_DEP_TYPE.values()) | {
    "QUEUE", "DATAACTION", "DATATABLE", "USERPROMPT", "SYSTEMPROMPT", "SCHEDULE",
    "SCHEDULEGROUP", "EMERGENCYGROUP", "IVRCONFIGURATION", "ACDSKILL", "ACDLANGUAGE",
    "ACDWRAPUPCODE", "USER", "GROUP", "COMPOSERSCRIPT", "EMAILROUTE", "DIVISION"})
VERSIONED_TYPES = set(o.FLOW_DEP_TYPE.values())

# Read permission per listing (from the SDK docs); quoted in 403 bodies as the platform does.
PERMISSIONS = {
    o.P_QUEUES: "routing:queue:view", o.P_USERS: "directory:user:view",
    o.P_FLOWS: "architect:flow:view", o.P_IVRS: "routing:callRoute:view",
    o.P_SCHEDULES: "routing:schedule:view", o.P_SCHEDULEGROUPS: "routing:scheduleGroup:view",
    o.P_EMERGENCY: "routing:emergencyGroup:view", o.P_PROMPTS: "architect:userPrompt:view",
    o.P_DATATABLES: "architect:datatable:view", o.P_INTEGRATIONS:
    "integrations:integration:view", o.P_ACTIONS: "integrations:action:view",
    o.P_SKILLS: "routing:skill:view", o.P_WRAPUPS: "routing:wrapupCode:view",
    o.P_SCRIPTS: "scripter:script:view", o.P_SITES: "telephony:plugin:all",
    o.P_CONSUMED: "architect:dependencyTracking:view",
    "/api/v2/audits/query/realtime": "audits:audit:view",
    "/api/v2/audits/query/realtime/servicemapping": "audits:audit:view",
}


@dataclass
class SimConfig:
    """How a gcsim instance behaves; every field maps to a ``gcsim serve`` option."""

    rate_limit: float = 300.0
    burst: int | None = None
    fault_rate: float = 0.0
    latency_ms: float = 0.0
    client_id: str = "gcsim-client"
    client_secret: str = "gcsim-secret"
    token_ttl: int = 86400
    seed: int = 0


class SimState:
    """Everything one running simulator holds: the org, tokens, limiter, faults and stats."""

    def __init__(self, org: dict[str, Any], config: SimConfig | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.org = org
        self.config = config or SimConfig()
        self.clock = clock
        self.tokens: dict[str, float] = {}
        self.limiter = RateLimiter(self.config.rate_limit, self.config.burst, clock)
        self.faults = FaultPlan(self.config.fault_rate, self.config.seed)
        self.stats = Stats()
        self.audit = AuditTrail()
        self.lock = threading.RLock()
        self._consuming: dict[str, list[Entity]] | None = None
        # flow id -> the consumed resources of its draft (set through /__sim)
        self.drafts: dict[str, list[Entity]] = {}

    def issue_token(self) -> str:
        token = secrets.token_urlsafe(24)
        with self.lock:
            self.tokens[token] = self.clock() + self.config.token_ttl
            self.stats.tokens_issued += 1
        return token

    def token_valid(self, token: str) -> bool:
        with self.lock:
            exp = self.tokens.get(token)
        return exp is not None and self.clock() < exp

    def expire_tokens(self) -> None:
        with self.lock:
            self.tokens.clear()

    def consuming_index(self) -> dict[str, list[Entity]]:
        """Reverse of dependency tracking's consumed resources (what uses each object)."""
        with self.lock:
            if self._consuming is None:
                flows = {f["id"]: f for f in self.org.get(o.P_FLOWS, [])}
                idx: dict[str, list[Entity]] = {}
                for fid, deps in self.org.get(o.P_CONSUMED, {}).items():
                    f = flows.get(fid)
                    if not f:
                        continue
                    who = {"id": fid, "name": f["name"],
                           "type": o.FLOW_DEP_TYPE.get(f["type"], "INBOUNDCALLFLOW"),
                           "version": (f.get("publishedVersion") or {}).get("id"),
                           "deleted": False, "updated": False, "stateUnknown": False}
                    for d in deps:
                        idx.setdefault(d["id"], []).append(who)
                self._consuming = idx
            return self._consuming

    def invalidate(self) -> None:
        with self.lock:
            self._consuming = None


class _Reset:
    """Send headers and part of a body, then drop the connection (a mid-response reset)."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"content-type", b"application/json"),
                                (b"content-length", b"1000")]})
        await send({"type": "http.response.body", "body": b'{"entities": [', "more_body": True})
        raise ConnectionResetError("gcsim injected connection reset")


def create_app(state: SimState) -> Starlette:
    """Build the ASGI app serving ``state``."""

    async def token(request: Request) -> Response:
        path = "/oauth/token"
        auth = request.headers.get("authorization", "")
        form = parse_qs((await request.body()).decode())
        ok = False
        if auth.lower().startswith("basic "):
            try:
                cid, _, sec = base64.b64decode(auth[6:]).decode().partition(":")
                ok = (secrets.compare_digest(cid, state.config.client_id)
                      and secrets.compare_digest(sec, state.config.client_secret))
            except ValueError:
                ok = False
        if form.get("grant_type", [""])[0] != "client_credentials":
            state.stats.record(path, 400)
            return json_response({"error": "unsupported_grant_type",
                                  "description": "grant_type must be client_credentials",
                                  "error_description": "grant_type must be client_credentials"},
                                 400)
        if not ok:
            state.stats.record(path, 401)
            return json_response({"error": "invalid_client", "description": "client not found",
                                  "error_description": "client not found"}, 401)
        state.stats.record(path, 200)
        return json_response({"access_token": state.issue_token(), "token_type": "bearer",
                              "expires_in": state.config.token_ttl})

    async def stats(request: Request) -> Response:
        return json_response(state.stats.snapshot())

    async def reset_stats(request: Request) -> Response:
        state.stats.reset()
        return json_response({"ok": True})

    async def set_faults(request: Request) -> Response:
        body = await request.json()
        with state.faults._lock:
            state.faults.rules = dict(body.get("rules", {}))
            if "rate" in body:
                state.faults.rate = float(body["rate"])
        return json_response({"ok": True})

    async def expire_tokens(request: Request) -> Response:
        state.expire_tokens()
        return json_response({"ok": True})

    async def draft_dependencies(request: Request) -> Response:
        # What a flow's draft consumes: its next publish makes it the published version's.
        body = await request.json()
        with state.lock:
            state.drafts[request.path_params["flowId"]] = list(body)
        return json_response({"ok": True})

    async def api(request: Request) -> Any:
        path = request.url.path
        if state.config.latency_ms:
            await asyncio.sleep(state.config.latency_ms / 1000.0)
        auth = request.headers.get("authorization", "")
        bearer = auth[7:] if auth.lower().startswith("bearer ") else ""
        if not bearer or not state.token_valid(bearer):
            state.stats.record(path, 401)
            msg = ("No authentication bearer token specified in authorization header."
                   if not bearer else "Invalid login credentials.")
            return error(401, "authentication.required" if not bearer else "bad.credentials",
                         msg)
        allowed, wait, early = state.limiter.acquire(bearer)
        if not allowed:
            state.stats.record(path, 429, throttled=True, early=early)
            return error(429, "too.many.requests.retry.after",
                         f"Rate limit exceeded the maximum. Retry the request in [{wait}] "
                         "seconds", {"Retry-After": str(wait)})
        fault = state.faults.pick(path)
        if fault:
            if fault.get("hang"):
                state.stats.record(path, 0, early=early)
                await asyncio.sleep(float(fault["hang"]))
            elif fault.get("reset"):
                state.stats.record(path, 0, early=early)
                return _Reset()
            elif fault.get("status"):
                status = int(fault["status"])
                state.stats.record(path, status, early=early)
                if status == 403:
                    perm = fault.get("permission") or PERMISSIONS.get(path, "unknown:view")
                    return error(403, "missing.permissions", "Unable to perform the requested "
                                 f"action. You are missing the following permission(s): "
                                 f"[{perm}]")
                headers = {"Retry-After": str(fault["retryAfter"])} \
                    if "retryAfter" in fault else None
                return error(status, "service.unavailable" if status == 503 else "bad.gateway",
                             "The service is temporarily unavailable", headers)
        try:
            resp = await dispatch(request, path, bearer)
        except BadRequest as exc:
            resp = error(400, "bad.request", str(exc))
        state.stats.record(path, resp.status_code, early=early)
        return resp

    async def dispatch(request: Request, path: str, bearer: str) -> Response:
        params = parse_qs(request.url.query, keep_blank_values=False)
        method = request.method
        if method != "GET":
            return await handle_write(state, request, path, method)
        org = state.org
        if path in (o.P_ORG, o.P_WRAPUP_MAPPINGS):  # one object each, not a listing
            return json_response(org[path]) if path in org else error(
                404, "not.found", f"Resource not found: {path}")
        if path == "/api/v2/tokens/me":
            me = org[o.P_ORG]
            ref = {"id": me["id"], "name": me["name"]}
            return json_response({"organization": ref, "homeOrganization": ref,
                                  "OAuthClient": {"id": state.config.client_id,
                                                  "name": "gcsim client"}})
        if path.startswith("/api/v2/organizations/limits"):
            return limits(path, params)
        if path == "/api/v2/audits/query/realtime/servicemapping":
            return json_response(service_mapping())
        if path.startswith("/api/v2/architect/dependencytracking/") and path not in (
                o.P_CONSUMED, o.P_DT_DELETED, o.P_DT_UPDATED):
            return dependencies(path, params)
        found = match_collection(path)
        if not found:
            return error(404, "not.found", f"Resource not found: {path}")
        coll, pparams, single = found
        return collection(coll, pparams, single, path, params)

    def collection(coll: Collection, pparams: dict[str, str], single: bool, path: str,
                   params: dict[str, list[str]]) -> Response:
        with state.lock:
            store = state.org.get(coll.key)
        sub = coll.sub_param
        if coll.path == o.P_CONSUMED:
            for req in ("id", "version", "objectType"):
                if not params.get(req):
                    raise BadRequest(f"Missing required query parameter: {req}")
            if params["objectType"][0].upper() not in VERSIONED_TYPES:
                raise BadRequest("Only versioned types are allowed")
            items = (store or {}).get(params["id"][0], [])
            only_type = {k: v for k, v in params.items() if k == "resourceType"}
            return json_response(page(coll, path, filter_entities(coll, items, only_type),
                                      params))
        if coll.paging == "subject":  # a user's grants, as one AuthzSubject
            sid = pparams[sub or ""]
            if store is None or sid not in store:
                return error(404, "not.found", f"subject {sid} not found")
            return json_response({"id": sid, "grants": store[sid], "version": 1,
                                  "selfUri": path})
        if coll.path == "/api/v2/flows/lookup" and not params.get("id"):
            raise BadRequest("Missing required query parameter: id")
        if sub:
            if store is None or pparams[sub] not in store:
                return error(404, "not.found", f"{sub} {pparams[sub]} not found")
            items = store[pparams[sub]]
        else:
            items = store or []
        if coll.paging == "postcursor" and not single:
            return error(404, "not.found", f"Resource not found: GET {path} (list with POST "
                         f"{path}/query)")
        if single:
            eid = pparams[coll.id_param or ""]
            for e in items:
                if e.get("id") == eid:
                    return json_response(shape_entity(coll, e, params))
            return error(404, "not.found", f"{coll.item} {eid} not found")
        return json_response(page(coll, path, filter_entities(coll, items, params), params))

    def limits(path: str, params: dict[str, list[str]]) -> Response:
        org = state.org
        effective = org.get(o.P_LIMITS, {})
        if path == o.P_LIMIT_DOCS:
            return json_response(org.get(o.P_LIMIT_DOCS, {"namespaces": []}))
        if path == "/api/v2/organizations/limits/namespaces":
            names = [{"name": n} for n in sorted(effective)]
            return json_response({"entities": names, "pageSize": 100, "pageNumber": 1,
                                  "total": len(names), "pageCount": 1})
        rest = path.removeprefix("/api/v2/organizations/limits/namespaces/")
        ns, _, tail = rest.partition("/")
        source = org.get(o.P_LIMIT_DEFAULTS, {}) if tail == "defaults" else effective
        if tail not in ("", "defaults") or ns not in source:
            return error(404, "not.found", f"Limit namespace {ns} not found")
        return json_response({"entities": source[ns]})

    def dependencies(path: str, params: dict[str, list[str]]) -> Response:
        tail = path.removeprefix("/api/v2/architect/dependencytracking/")
        first = {k: v[0] for k, v in params.items()}
        if tail == "build":
            return json_response(state.org.get(o.P_DT_BUILD, {"status": "NOTBUILT"}))
        if tail == "types":
            types = [{"id": t, "name": t.title(), "versioned": t in VERSIONED_TYPES,
                      "selfUri": f"/api/v2/architect/dependencytracking/types/{t}"}
                     for t in DEPENDENCY_TYPES]
            coll = Collection(path, "DependencyTypeEntityListing", "DependencyType", 100)
            return json_response(page(coll, path, types, params))
        if tail in ("consumingresources", "object"):
            if "id" not in first or "objectType" not in first:
                raise BadRequest("Missing required query parameter: id and objectType")
            oid = first["id"]
            consuming = state.consuming_index().get(oid, [])
            if tail == "consumingresources":
                coll = Collection(path, "ConsumingResourcesEntityListing", "Dependency", 100)
                q = {k: v for k, v in params.items() if k in ("pageNumber", "pageSize",
                                                             "resourceType")}
                return json_response(page(coll, path, filter_entities(coll, consuming, q), q))
            consumed = state.org.get(o.P_CONSUMED, {}).get(oid, [])
            body: Entity = {"id": oid, "type": first["objectType"], "deleted": False,
                            "updated": False, "stateUnknown": False}
            if first.get("consumedResources", "").lower() == "true":
                body["consumedResources"] = consumed
            if first.get("consumingResources", "").lower() == "true":
                body["consumingResources"] = consuming
            return json_response(body)
        return error(404, "not.found", f"Resource not found: {path}")

    methods = ["GET", "POST", "PUT", "DELETE", "PATCH"]
    return Starlette(routes=[
        Route("/oauth/token", token, methods=["POST"]),
        Route("/__sim/stats", stats, methods=["GET"]),
        Route("/__sim/reset-stats", reset_stats, methods=["POST"]),
        Route("/__sim/faults", set_faults, methods=["POST"]),
        Route("/__sim/expire-tokens", expire_tokens, methods=["POST"]),
        Route("/__sim/flows/{flowId}/dependencies", draft_dependencies, methods=["PUT"]),
        Route("/api/v2/{rest:path}", api, methods=methods),
    ])
