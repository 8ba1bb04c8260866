"""Paging, filtering and field selection shared by every gcsim listing endpoint."""

from __future__ import annotations

import base64
import fnmatch
import math
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import urlencode

from gcsim.endpoints import Collection

__all__ = ["BadRequest", "filter_entities", "page", "query_page", "shape_entity"]

Entity = dict[str, Any]


class BadRequest(Exception):
    """A query the real API would refuse with 400."""


def _multi(params: Mapping[str, list[str]], name: str) -> list[str]:
    """A repeated or comma-separated query parameter, as the SDK sends lists either way."""
    out: list[str] = []
    for v in params.get(name, []):
        out.extend(x for x in v.split(",") if x)
    return out


def filter_entities(coll: Collection, items: Sequence[Entity],
                    params: Mapping[str, list[str]]) -> list[Entity]:
    """Apply the filters the real endpoints accept: id, name (``*`` wildcards), division, type."""
    out = list(items)
    ids = set(_multi(params, "id") + _multi(params, "ids"))
    if ids:
        out = [e for e in out if e.get("id") in ids]
    name = (params.get("name") or [""])[0]
    if name:
        pat = name.lower() if "*" in name else f"*{name.lower()}*"
        out = [e for e in out if fnmatch.fnmatchcase(str(e.get("name", "")).lower(), pat)]
    if coll.division_filter:
        divs = set(_multi(params, coll.division_filter))
        if divs:
            out = [e for e in out if (e.get("division") or {}).get("id") in divs]
    types = {t.upper() for t in _multi(params, "type")}
    if types and coll.listing == "FlowEntityListing":
        out = [e for e in out if e.get("type") in types]
    rtypes = {t.upper() for t in _multi(params, "resourceType")}
    if rtypes:
        out = [e for e in out if e.get("type") in rtypes]
    if coll.states:
        state = (params.get("state") or [coll.states])[0].lower()
        if state not in ("active", "inactive", "deleted", "any"):
            raise BadRequest(f"state must be one of active, inactive, deleted, any; "
                             f"got {state!r}")
        if state != "any":
            out = [e for e in out if str(e.get("state", "active")).lower() == state]
    if coll.result_cap is not None:
        sort = (params.get("sortBy") or [""])[0]
        if coll.uncapped_sort and sort == coll.uncapped_sort:
            out.sort(key=lambda e: str(e.get("id")))
        else:
            out = out[:coll.result_cap]
    return out


def shape_entity(coll: Collection, e: Entity, params: Mapping[str, list[str]]) -> Entity:
    """Drop the fields the real API returns only on request (``expand``, ``includeConfig``)."""
    hidden: list[str] = []
    if coll.expandable:
        wanted = set(_multi(params, "expand"))
        hidden += [f for f, exp in coll.expandable.items() if exp not in wanted]
    if coll.include_config and (params.get("includeConfig") or ["false"])[0].lower() != "true":
        hidden.append("config")
    if not hidden:
        return e
    return {k: v for k, v in e.items() if k not in hidden}


def _uri(path: str, params: Mapping[str, list[str]], **paging: Any) -> str:
    pairs = [(k, v) for k, vs in sorted(params.items())
             if k not in ("pageNumber", "pageSize", "after", "before", "cursor") for v in vs]
    pairs = [(k, str(v)) for k, v in paging.items()] + pairs
    return f"{path}?{urlencode(pairs)}"


def _int(params: Mapping[str, list[str]], name: str, default: int) -> int:
    raw = (params.get(name) or [""])[0]
    if raw == "":
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise BadRequest(f"The request could not be understood by the server due to malformed "
                         f"syntax: {name}={raw!r} is not an integer") from exc
    if value < 1:
        raise BadRequest(f"{name} must be at least 1, got {value}")
    return value


def _cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(f"o:{offset}".encode()).decode().rstrip("=")


def _offset(cursor: str) -> int:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        if not raw.startswith("o:"):
            raise ValueError(raw)
        return int(raw[2:])
    except ValueError as exc:
        raise BadRequest(f"Invalid cursor {cursor!r}") from exc


def _id_cursor_page(coll: Collection, path: str, items: Sequence[Entity],
                    params: Mapping[str, list[str]], size: int) -> dict[str, Any]:
    """A page after the entity whose id is ``after``; no nextUri, as the credentials listing
    is read by the CX as Code provider (it pages by the last id it saw)."""
    after = (params.get("after") or [""])[0]
    start = 0
    if after:
        ids = [str(e.get("id")) for e in items]
        if after not in ids:
            raise BadRequest(f"Invalid cursor {after!r}")
        start = ids.index(after) + 1
    chunk = items[start:start + size]
    return {"entities": [shape_entity(coll, e, params) for e in chunk],
            "selfUri": _uri(path, params, pageSize=size, **({"after": after} if after else {}))}


def page(coll: Collection, path: str, items: Sequence[Entity],
         params: Mapping[str, list[str]]) -> dict[str, Any]:
    """One page of ``items`` in the listing shape of ``coll`` (page-number or cursor)."""
    size = min(_int(params, "pageSize", coll.default_page_size), coll.cap)
    if coll.paging == "idcursor":
        return _id_cursor_page(coll, path, items, params, size)
    if coll.paging == "cursor":
        cp = coll.cursor_param
        after = (params.get(cp) or [""])[0]
        start = _offset(after) if after else 0
        chunk = items[start:start + size]
        body: dict[str, Any] = {"entities": [shape_entity(coll, e, params) for e in chunk]}
        if start + size < len(items):
            nxt = _cursor(start + size)
            body["nextUri"] = _uri(path, params, pageSize=size, **{cp: nxt})
            if cp == "cursor":
                body["cursor"] = nxt
        body["selfUri"] = _uri(path, params, pageSize=size, **({cp: after} if after else {}))
        if start > 0 and cp == "after":
            body["previousUri"] = _uri(path, params, pageSize=size,
                                       before=_cursor(max(0, start - size)))
        if coll.listing.startswith("Expandable"):
            body["total"] = len(items)
        if cp == "cursor":
            body["results"] = len(chunk)
        return body
    number = _int(params, "pageNumber", 1)
    start = (number - 1) * size
    if coll.deep_paging_limit:
        state, limit = coll.deep_paging_limit
        if (params.get("state") or [""])[0].lower() == state and start >= limit:
            raise BadRequest(f"Requests for {state} entities cannot page past the first "
                             f"{limit} results")
    chunk = items[start:start + size]
    body = {"entities": [shape_entity(coll, e, params) for e in chunk], "pageSize": size,
            "pageNumber": number}
    count = math.ceil(len(items) / size)
    if coll.paging != "members":
        body["total"] = len(items)
        if coll.telephony_total:
            body["totalNumberOfEntities"] = len(items)
        body["pageCount"] = count
    body["firstUri"] = _uri(path, params, pageSize=size, pageNumber=1)
    body["selfUri"] = _uri(path, params, pageSize=size, pageNumber=number)
    if number < count:
        body["nextUri"] = _uri(path, params, pageSize=size, pageNumber=number + 1)
    if number > 1:
        body["previousUri"] = _uri(path, params, pageSize=size, pageNumber=number - 1)
    if coll.paging != "members":
        body["lastUri"] = _uri(path, params, pageSize=size, pageNumber=max(1, count))
    return body


def query_page(items: list[Entity], body: Any, cap: int) -> tuple[int, Entity]:
    """``POST {path}/query`` of a task-management listing: ``pageSize`` (at most ``cap``)
    and ``after`` in the body; the answer's ``after`` is the next cursor, absent at the end."""
    if not isinstance(body, dict):
        return 400, {"message": "a query body is required", "code": "bad.request",
                     "status": 400}
    size = min(int(body.get("pageSize") or 25), cap)
    start = int(body["after"]) if str(body.get("after") or "").isdigit() else 0
    chunk = items[start:start + size]
    out: Entity = {"entities": chunk, "count": len(chunk)}
    if start + size < len(items):
        out["after"] = str(start + size)
    return 200, out
