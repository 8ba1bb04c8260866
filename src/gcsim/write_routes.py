"""The HTTP side of gcsim's writes: which path is which write, bodies parsed as the API does."""

from __future__ import annotations

import re
import uuid
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs

from starlette.requests import Request
from starlette.responses import Response

from gcsim import paths as o
from gcsim.endpoints import COLLECTIONS
from gcsim.listing import query_page
from gcsim.responses import error, json_response
from gcsim.writes import WRITE_TARGETS, WriteTarget, apply_members, apply_publish, apply_write

if TYPE_CHECKING:
    from gcsim.app import SimState

__all__ = ["handle_write"]

_MEMBERS = re.compile(r"^/api/v2/routing/queues/(?P<queueId>[^/]+)/members$")
_PUBLISH = "/api/v2/flows/actions/publish"
_QUERIES = {c.path: c for c in COLLECTIONS if c.paging == "postcursor"}
# Longest first: /edges/sites/{id} is a site, not the edge "sites".
_TARGETS = sorted(WRITE_TARGETS, key=lambda t: -len(t.path))


def _target(path: str) -> tuple[WriteTarget, str | None] | None:
    for t in _TARGETS:
        if path == t.path:
            return t, None
    for t in _TARGETS:
        rest = path[len(t.path) + 1:]
        if path.startswith(t.path + "/") and rest and "/" not in rest:
            return t, rest
    return None


def _reply(status: int, out: dict[str, Any] | None) -> Response:
    if out is None:
        return Response(status_code=status)
    return json_response(out, status) if status < 400 else error(status, out["code"],
                                                                 out["message"])


async def _json(request: Request) -> tuple[Any, Response | None]:
    try:
        return await request.json(), None
    except ValueError:
        return None, error(400, "bad.request", "The request body is not valid JSON")


async def handle_write(state: SimState, request: Request, path: str, method: str) -> Response:
    """Answer a POST/PUT/DELETE/PATCH on the API (404 for a path nothing writes)."""
    if path == "/api/v2/audits/query/realtime" and method == "POST":
        try:
            return json_response(state.audit.query(await request.json()))
        except (ValueError, TypeError) as exc:
            return error(400, "bad.request", str(exc))
    if path == o.P_DT_BUILD and method == "POST":
        with state.lock:
            build = state.org.setdefault(o.P_DT_BUILD, {})
            build.update({"status": "OPERATIONAL", "buildId": str(uuid.uuid4())})
        return Response(status_code=202)
    query = parse_qs(request.url.query)
    client = state.config.client_id
    if (m := _MEMBERS.match(path)) and method == "POST":
        body, bad = await _json(request)
        if bad:
            return bad
        delete = (query.get("delete") or ["false"])[0].lower() == "true"
        with state.lock:
            return _reply(*apply_members(state.org, state.audit, m["queueId"], body, delete,
                                         client))
    if path == _PUBLISH and method == "POST":
        flow = (query.get("flow") or [""])[0]
        if not flow:
            return error(400, "bad.request", "Missing required query parameter: flow")
        with state.lock:
            published = apply_publish(state.org, state.audit, flow,
                                      state.drafts.pop(flow, None), client)
            state.invalidate()
        return _reply(*published)
    if method == "POST" and path.endswith("/query") and (
            coll := _QUERIES.get(path.removesuffix("/query"))):
        body, bad = await _json(request)
        if bad:
            return bad
        with state.lock:
            items = list(state.org.get(coll.key) or [])
        return _reply(*query_page(items, body, coll.cap))
    found = _target(path)
    if found is None:
        return error(404, "not.found", f"Resource not found: {method} {path}")
    target, eid = found
    body = None
    if method in ("POST", "PUT", "PATCH"):
        body, bad = await _json(request)
        if bad:
            return bad
    with state.lock:
        status, out = apply_write(state.org, state.audit, target, method, eid, body, client)
        state.invalidate()
    return _reply(status, out)
