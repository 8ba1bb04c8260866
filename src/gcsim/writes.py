"""Writes through the real endpoints (every listing gcsim serves with a single-object path,
queue membership, flow publishing) and the audit trail they leave."""

from __future__ import annotations

import math
import threading
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from gcsim import paths as o
from gcsim.audit_names import AUDIT_NAMES
from gcsim.endpoints import COLLECTIONS

__all__ = ["WRITE_TARGETS", "AuditTrail", "WriteTarget", "apply_members", "apply_publish",
           "apply_write"]

Entity = dict[str, Any]


class WriteTarget:
    """A writable collection: where it lives and how its audit records are labelled."""

    def __init__(self, path: str, id_param: str, service: str, entity_type: str,
                 children: tuple[str, ...] = (), store_key: str | None = None) -> None:
        self.path, self.id_param = path, id_param
        self.service, self.entity_type = service, entity_type
        # Sub-collections keyed by this object's id: they exist (empty) from its creation
        # and go with it, as on the real API.
        self.children = children
        # Where the objects are kept, when the writable path is not the listing's
        # (credentials are written at /credentials and listed at /credentials/listing).
        self.store_key = store_key or path


_CHILDREN = {o.P_QUEUES: (o.P_QUEUE_MEMBERS, o.P_QUEUE_WRAPUPS), o.P_FLOWS: (o.P_CONSUMED,),
             o.P_EMAIL_DOMAINS: (o.P_EMAIL_ROUTES,), o.P_USERS: (o.P_SUBJECTS,)}
WRITE_TARGETS = [
    WriteTarget(c.path, c.id_param, *AUDIT_NAMES[c.path], _CHILDREN.get(c.path, ()))
    for c in COLLECTIONS if c.id_param and c.path in AUDIT_NAMES
] + [WriteTarget("/api/v2/integrations/credentials", "credentialId",
                 *AUDIT_NAMES[o.P_CREDENTIALS], store_key=o.P_CREDENTIALS)]


class AuditTrail:
    """Audit records in the ``AuditLogMessage`` shape, queried like the realtime API."""

    def __init__(self, now: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self.now = now
        self.records: list[Entity] = []
        self._lock = threading.Lock()

    def append(self, target: WriteTarget, action: str, entity: Entity,
               changes: list[Entity], client_id: str) -> Entity:
        return self.record(target.service, target.entity_type, action, entity, changes,
                           client_id)

    def record(self, service: str, entity_type: str, action: str, entity: Entity,
               changes: list[Entity], client_id: str) -> Entity:
        """Append one ``AuditLogMessage``."""
        rec = {
            "id": str(uuid.uuid4()), "user": {"id": "00000000-0000-0000-0000-000000000000"},
            "client": {"id": client_id}, "serviceName": service, "level": "USER",
            "eventDate": self.now().isoformat().replace("+00:00", "Z"), "action": action,
            "entity": {"id": entity["id"], "name": entity.get("name", "")},
            "entityType": entity_type, "status": "SUCCESS",
            "propertyChanges": changes,
        }
        with self._lock:
            self.records.append(rec)
        return rec

    def query(self, body: Entity) -> Entity:
        """Answer ``POST /api/v2/audits/query/realtime``; raises ValueError on a bad body."""
        interval = body.get("interval")
        service = body.get("serviceName")
        if not interval or "/" not in interval:
            raise ValueError("interval is required, as 'start/end' in ISO-8601")
        if not service:
            raise ValueError("serviceName is required")
        start, end = (_parse(x) for x in interval.split("/", 1))
        size = min(int(body.get("pageSize") or 25), 500)
        number = max(1, int(body.get("pageNumber") or 1))
        with self._lock:
            hits = [r for r in self.records if r["serviceName"] == service
                    and start <= _parse(r["eventDate"]) < end]
        for f in body.get("filters") or []:
            field = {"EntityType": "entityType", "Action": "action"}.get(f.get("property"))
            if field:
                hits = [r for r in hits if r[field] == f.get("value")]
            elif f.get("property") == "EntityId":
                hits = [r for r in hits if r["entity"]["id"] == f.get("value")]
            elif f.get("property") == "ClientId":
                hits = [r for r in hits if r["client"]["id"] == f.get("value")]
        for s in body.get("sort") or []:
            hits.sort(key=lambda r: r["eventDate"],
                      reverse=str(s.get("sortOrder", "")).lower() == "descending")
        chunk = hits[(number - 1) * size:number * size]
        return {"entities": chunk, "pageNumber": number, "pageSize": size,
                "total": len(hits), "pageCount": math.ceil(len(hits) / size)}


def _parse(ts: str) -> datetime:
    dt = datetime.fromisoformat(ts.replace("Z", "+00:00"))
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)


def _changes(old: Entity, new: Entity) -> list[Entity]:
    keys = sorted((set(old) | set(new)) - {"id", "selfUri", "dateModified", "version"})
    return [{"property": k, "oldValues": [] if k not in old else [_text(old[k])],
             "newValues": [] if k not in new else [_text(new[k])]}
            for k in keys if old.get(k) != new.get(k)]


def _text(v: Any) -> str:
    return v if isinstance(v, str) else str(v)


def apply_write(org: dict[str, Any], trail: AuditTrail, target: WriteTarget, method: str,
                entity_id: str | None, body: Entity | None, client_id: str,
                ) -> tuple[int, Entity | None]:
    """Apply a create/update/delete to the org; returns (status, response body)."""
    items: list[Entity] = org.setdefault(target.store_key, [])
    index = {e["id"]: i for i, e in enumerate(items)}
    if method == "POST" and entity_id is None:
        if not body or not body.get("name"):
            return 400, {"message": "name is required", "code": "bad.request", "status": 400}
        new = dict(body)
        # An email domain's id is its name; everything else gets a new UUID.
        new["id"] = str(body.get("id") or body["name"]) if target.path == o.P_EMAIL_DOMAINS \
            else str(uuid.uuid4())
        new["selfUri"] = f"{target.path}/{new['id']}"
        if "division" not in new and org.get(o.P_DIVISIONS):
            d = org[o.P_DIVISIONS][0]
            new["division"] = {"id": d["id"], "name": d["name"], "selfUri": d["selfUri"]}
        items.append(new)
        for child in target.children:
            org.setdefault(child, {})[new["id"]] = []
        trail.append(target, "Create", new, _changes({}, new), client_id)
        return 200, new
    if entity_id is None or entity_id not in index:
        return 404, {"message": f"{target.entity_type} {entity_id} not found",
                     "code": "not.found", "status": 404}
    old = items[index[entity_id]]
    if method == "PUT":
        if not body:
            return 400, {"message": "a body is required", "code": "bad.request", "status": 400}
        new = dict(body, id=entity_id, selfUri=old["selfUri"])
        items[index[entity_id]] = new
        trail.append(target, "Update", new, _changes(old, new), client_id)
        return 200, new
    if method == "PATCH":  # task management updates this way: only the fields sent change
        if not isinstance(body, dict):
            return 400, {"message": "a body is required", "code": "bad.request", "status": 400}
        new = dict(old, **body, id=entity_id, selfUri=old["selfUri"])
        items[index[entity_id]] = new
        trail.append(target, "Update", new, _changes(old, new), client_id)
        return 200, new
    if method == "DELETE":
        del items[index[entity_id]]
        for child in target.children:
            org.get(child, {}).pop(entity_id, None)
        trail.append(target, "Delete", old, [], client_id)
        return 204, None
    return 405, {"message": f"{method} not allowed", "code": "method.not.allowed",
                 "status": 405}


def apply_members(org: dict[str, Any], trail: AuditTrail, queue_id: str,
                  body: Any, delete: bool, client_id: str) -> tuple[int, Entity | None]:
    """``POST /api/v2/routing/queues/{queueId}/members[?delete=true]``: add (or remove) the
    users a list of ``{id}`` names; the queue's member counts follow, one audit record per
    call (MemberAdd / MemberRemove on the queue)."""
    queues = {q["id"]: q for q in org.get(o.P_QUEUES, [])}
    if queue_id not in queues:
        return 404, {"message": f"Queue {queue_id} not found", "code": "not.found",
                     "status": 404}
    if not isinstance(body, list) or not all(isinstance(m, dict) and m.get("id")
                                             for m in body):
        return 400, {"message": "the body is a list of {id} (WritableEntity)",
                     "code": "bad.request", "status": 400}
    users = {u["id"]: u for u in org.get(o.P_USERS, [])}
    members: list[Entity] = org.setdefault(o.P_QUEUE_MEMBERS, {}).setdefault(queue_id, [])
    ids = [str(m["id"]) for m in body]
    if delete:
        members[:] = [m for m in members if m["id"] not in ids]
    else:
        have = {m["id"] for m in members}
        for uid in ids:
            u = users.get(uid)
            if u is None:
                return 400, {"message": f"User {uid} not found", "code": "bad.request",
                             "status": 400}
            if uid not in have:
                members.append({"id": uid, "name": u["name"],
                                "user": {"id": uid, "name": u["name"],
                                         "selfUri": u.get("selfUri", f"{o.P_USERS}/{uid}")},
                                "ringNumber": 1, "joined": True, "memberBy": "user",
                                "routingStatus": {"status": "IDLE"},
                                "selfUri": f"{o.P_USERS}/{uid}"})
    q = queues[queue_id]
    q["memberCount"] = q["userMemberCount"] = len(members)
    q["joinedMemberCount"] = sum(1 for m in members if m.get("joined"))
    trail.record("Routing", "Queue", "MemberRemove" if delete else "MemberAdd", q,
                 [{"property": "members", "oldValues": [], "newValues": ids}], client_id)
    return 204, None


def apply_publish(org: dict[str, Any], trail: AuditTrail, flow_id: str,
                  consumes: list[Entity] | None, client_id: str) -> tuple[int, Entity | None]:
    """``POST /api/v2/flows/actions/publish?flow=``: a new published version; what it
    consumes becomes ``consumes`` (the draft's dependencies), else stays as it was."""
    flows = {f["id"]: f for f in org.get(o.P_FLOWS, [])}
    f = flows.get(flow_id)
    if f is None:
        return 404, {"message": f"Flow {flow_id} not found", "code": "not.found", "status": 404}
    old = (f.get("publishedVersion") or {}).get("id") or "0.0"
    version = f"{int(float(old)) + 1}.0"
    published = dict(f.get("publishedVersion") or {}, id=version, type="PUBLISH",
                     name=f["name"])
    f["publishedVersion"] = published
    f["checkedInVersion"] = dict(published, type="CHECKIN")
    if consumes is not None:
        org.setdefault(o.P_CONSUMED, {})[flow_id] = consumes
    trail.record("Architect", "Flow", "Publish", f,
                 [{"property": "publishedVersion", "oldValues": [old],
                   "newValues": [version]}], client_id)
    return 200, {"id": str(uuid.uuid4()), "complete": False, "status": "Running",
                 "actionName": "Publish", "actionStatus": "Running"}

