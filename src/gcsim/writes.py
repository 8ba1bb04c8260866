"""Writes through the real endpoints (queues, flows) and the audit trail they leave."""

from __future__ import annotations

import math
import threading
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from gcsim import paths as o

__all__ = ["WRITE_TARGETS", "AuditTrail", "WriteTarget", "apply_write"]

Entity = dict[str, Any]


class WriteTarget:
    """A writable collection: where it lives and how its audit records are labelled."""

    def __init__(self, path: str, id_param: str, service: str, entity_type: str,
                 children: tuple[str, ...] = ()) -> None:
        self.path, self.id_param = path, id_param
        self.service, self.entity_type = service, entity_type
        # Sub-collections keyed by this object's id: they exist (empty) from its creation
        # and go with it, as on the real API.
        self.children = children


WRITE_TARGETS = [
    WriteTarget(o.P_QUEUES, "queueId", "Routing", "Queue",
                (o.P_QUEUE_MEMBERS, o.P_QUEUE_WRAPUPS)),
    WriteTarget(o.P_FLOWS, "flowId", "Architect", "Flow"),
]


class AuditTrail:
    """Audit records in the ``AuditLogMessage`` shape, queried like the realtime API."""

    def __init__(self, now: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self.now = now
        self.records: list[Entity] = []
        self._lock = threading.Lock()

    def append(self, target: WriteTarget, action: str, entity: Entity,
               changes: list[Entity], client_id: str) -> Entity:
        rec = {
            "id": str(uuid.uuid4()), "user": {"id": "00000000-0000-0000-0000-000000000000"},
            "client": {"id": client_id}, "serviceName": target.service, "level": "USER",
            "eventDate": self.now().isoformat().replace("+00:00", "Z"), "action": action,
            "entity": {"id": entity["id"], "name": entity.get("name", "")},
            "entityType": target.entity_type, "status": "SUCCESS",
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
    items: list[Entity] = org.setdefault(target.path, [])
    index = {e["id"]: i for i, e in enumerate(items)}
    if method == "POST" and entity_id is None:
        if not body or not body.get("name"):
            return 400, {"message": "name is required", "code": "bad.request", "status": 400}
        new = dict(body)
        new["id"] = str(uuid.uuid4())
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
    if method == "DELETE":
        del items[index[entity_id]]
        for child in target.children:
            org.get(child, {}).pop(entity_id, None)
        trail.append(target, "Delete", old, [], client_id)
        return 204, None
    return 405, {"message": f"{method} not allowed", "code": "method.not.allowed",
                 "status": 405}
