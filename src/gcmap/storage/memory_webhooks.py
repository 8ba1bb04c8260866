"""Webhook endpoints, outbox and deliveries in memory (MemoryStore's half of the contract)."""

from __future__ import annotations

import json
import secrets
import threading
from typing import Any

from gcmap.domain.events import disable_reason, event_matches
from gcmap.storage.secretbox import SecretBox, SecretKeyMissing, open_stored, seal_for_storage

__all__ = ["WebhookMemoryMixin"]

_PUBLIC = ("id", "url", "eventTypes", "orgId", "description", "status", "createdAt",
           "verifiedAt", "disabledReason", "failingSince")


class WebhookMemoryMixin:
    """Same behaviour as the SQL mixin; one lock stands in for transactions."""

    _lock: threading.RLock
    secret_box: SecretBox | None

    def _wh_init(self) -> None:
        self.hooks: dict[str, dict[str, Any]] = {}
        self.events: list[dict[str, Any]] = []
        self.deliveries: dict[str, dict[str, Any]] = {}
        self.attempt_log: list[dict[str, Any]] = []
        self.sequences: dict[str, int] = {}

    def create_webhook(self, url: str, event_types: list[str], org_id: str | None,
                       description: str, secret: str, now: float) -> dict[str, Any]:
        wid = secrets.token_hex(8)
        secret = seal_for_storage(self.secret_box, secret, f"webhook:{wid}")
        with self._lock:
            self.hooks[wid] = {"id": wid, "url": url, "eventTypes": sorted(set(event_types)),
                               "orgId": org_id, "description": description,
                               "status": "pending", "createdAt": now, "verifiedAt": None,
                               "disabledReason": None, "failingSince": None,
                               "secret": secret, "previous": None, "previousUntil": None}
        return self._public(wid)

    def _public(self, wid: str) -> dict[str, Any]:
        return {k: self.hooks[wid][k] for k in _PUBLIC}

    def get_webhook(self, wid: str) -> dict[str, Any] | None:
        return self._public(wid) if wid in self.hooks else None

    def list_webhooks(self) -> list[dict[str, Any]]:
        return [self._public(w) for w in sorted(self.hooks, key=lambda w:
                                                self.hooks[w]["createdAt"])]

    def update_webhook(self, wid: str, fields: dict[str, Any]) -> dict[str, Any] | None:
        with self._lock:
            h = self.hooks.get(wid)
            if h is None:
                return None
            if "url" in fields:
                h.update(url=fields["url"], status="pending", verifiedAt=None)
            if "eventTypes" in fields:
                h["eventTypes"] = sorted(set(fields["eventTypes"]))
            for k in ("orgId", "description"):
                if k in fields:
                    h[k] = fields[k]
            return self._public(wid)

    def delete_webhook(self, wid: str) -> bool:
        with self._lock:
            if self.hooks.pop(wid, None) is None:
                return False
            for d in list(self.deliveries.values()):
                if d["webhookId"] == wid and d["status"] == "pending":
                    del self.deliveries[d["id"]]
            return True

    def set_webhook_status(self, wid: str, status: str, now: float,
                           reason: str | None = None) -> None:
        with self._lock:
            h = self.hooks.get(wid)
            if h is None:  # deleted meanwhile
                return
            h.update(status=status, disabledReason=reason)
            if status == "active":
                h.update(verifiedAt=now, failingSince=None)

    def rotate_secret(self, wid: str, new_secret: str, grace_until: float) -> bool:
        new_secret = seal_for_storage(self.secret_box, new_secret, f"webhook:{wid}")
        with self._lock:
            h = self.hooks.get(wid)
            if h is None:
                return False
            h.update(previous=h["secret"], previousUntil=grace_until, secret=new_secret)
            return True

    def webhook_secrets(self, wid: str, now: float) -> list[str]:
        h = self.hooks.get(wid)
        if h is None:
            return []
        ctx = f"webhook:{wid}"
        out = [open_stored(self.secret_box, h["secret"], ctx)]
        if h["previous"] and (h["previousUntil"] or 0) > now:
            out.append(open_stored(self.secret_box, h["previous"], ctx))
        return out

    def _reseal_orgs(self, box: SecretBox) -> int:
        raise NotImplementedError  # provided by the org mixin

    def reseal_secrets(self) -> int:
        box = self.secret_box
        if box is None:
            raise SecretKeyMissing()
        changed = 0
        with self._lock:
            for wid, h in self.hooks.items():
                ctx = f"webhook:{wid}"
                before = (h["secret"], h["previous"])
                for k in ("secret", "previous"):
                    if h[k] and not box.is_current(h[k]):
                        h[k] = box.seal(open_stored(box, h[k], ctx), ctx)
                changed += before != (h["secret"], h["previous"])
        return changed + self._reseal_orgs(box)

    def _enqueue(self, new_events: list[dict[str, Any]], now: float) -> list[str]:
        ids = []
        with self._lock:
            for ev in new_events:
                org = str(ev.get("orgId") or "unknown")
                self.sequences[org] = self.sequences.get(org, 0) + 1
                eid = "msg_" + secrets.token_hex(12)
                body = json.dumps(dict(ev, sequence=self.sequences[org]), sort_keys=True,
                                  separators=(",", ":"))
                self.events.append({"id": eid, "orgId": org, "createdAt": now, "body": body,
                                    "sequence": self.sequences[org]})
                for h in self.hooks.values():
                    if h["status"] == "active" and event_matches(h, ev["type"], ev.get("orgId")):
                        self._add_delivery(eid, h["id"], now)
                ids.append(eid)
        return ids

    def _add_delivery(self, eid: str, wid: str, now: float) -> str:
        did = secrets.token_hex(8)
        self.deliveries[did] = {"id": did, "eventId": eid, "webhookId": wid,
                                "status": "pending", "attempts": 0, "nextAttemptAt": now,
                                "leaseOwner": None, "leaseExpiresAt": None, "createdAt": now}
        return did

    def enqueue_events(self, new_events: list[dict[str, Any]], now: float) -> list[str]:
        return self._enqueue(new_events, now)

    def list_events(self, org_id: str | None = None, limit: int = 100,
                    ) -> list[dict[str, Any]]:
        return [dict(json.loads(e["body"]), id=e["id"]) for e in self.events
                if org_id is None or e["orgId"] == org_id][:limit]

    def claim_deliveries(self, owner: str, lease_s: float, now: float, limit: int = 10,
                         exclude: frozenset[str] = frozenset()) -> list[dict[str, Any]]:
        with self._lock:
            events = {e["id"]: e for e in self.events}
            pending = [d for d in self.deliveries.values() if d["status"] == "pending"
                       and self.hooks.get(d["webhookId"], {}).get("status") == "active"
                       and d["webhookId"] not in exclude]

            def order(d: dict[str, Any]) -> tuple[Any, ...]:
                ev = events[d["eventId"]]
                return (ev["createdAt"], ev["orgId"], ev["sequence"], d["id"])

            # Each endpoint's queue in event order; only a due, unleased head is sent (the
            # SQL store selects the same way).
            heads: dict[str, dict[str, Any]] = {}
            for d in sorted(pending, key=order):
                heads.setdefault(d["webhookId"], d)
            due = sorted((d for d in heads.values() if d["nextAttemptAt"] <= now and (
                d["leaseExpiresAt"] is None or d["leaseExpiresAt"] < now)),
                key=lambda d: (d["nextAttemptAt"], d["id"]))
            out = []
            for d in due[:limit]:
                d.update(leaseOwner=owner, leaseExpiresAt=now + lease_s)
                out.append({"id": d["id"], "eventId": d["eventId"],
                            "webhookId": d["webhookId"], "attempts": d["attempts"],
                            "body": events[d["eventId"]]["body"],
                            "url": self.hooks[d["webhookId"]]["url"],
                            "secrets": self.webhook_secrets(d["webhookId"], now)})
            return out

    def record_attempt(self, delivery_id: str, owner: str, *, outcome: str,
                       status: int | None, latency_ms: float, error: str, now: float,
                       next_attempt_at: float | None) -> str | None:
        with self._lock:
            d = self.deliveries.get(delivery_id)
            if d is None or d["leaseOwner"] != owner:
                return None
            d["attempts"] += 1
            self.attempt_log.append({"deliveryId": delivery_id, "webhookId": d["webhookId"],
                                     "eventId": d["eventId"], "attempt": d["attempts"],
                                     "at": now, "outcome": outcome, "status": status,
                                     "latencyMs": latency_ms, "error": error or None})
            d.update(leaseOwner=None, leaseExpiresAt=None)
            if outcome == "ok":
                d.update(status="delivered")
            elif next_attempt_at is None:
                d["status"] = "failed"
            else:
                d["nextAttemptAt"] = next_attempt_at
            h = self.hooks.get(d["webhookId"])
            if h is None:
                return None
            if outcome == "ok":
                h["failingSince"] = None
                return None
            if h["failingSince"] is None:
                h["failingSince"] = now
            reason = disable_reason(outcome, h["failingSince"], now)
            if reason:
                h.update(status="disabled", disabledReason=reason)
            return reason

    def list_attempts(self, wid: str, limit: int, offset: int,
                      ) -> tuple[list[dict[str, Any]], int]:
        rows = [{k: v for k, v in a.items() if k != "webhookId"}
                for a in reversed(self.attempt_log) if a["webhookId"] == wid]
        return rows[offset:offset + limit], len(rows)

    def redeliver(self, wid: str, event_id: str, now: float) -> str | None:
        with self._lock:
            if not any(e["id"] == event_id for e in self.events):
                return None
            return self._add_delivery(event_id, wid, now)

    def recover_failed(self, wid: str, since: float, now: float) -> int:
        n = 0
        with self._lock:
            for d in self.deliveries.values():
                if d["webhookId"] == wid and d["status"] == "failed" and \
                        d["createdAt"] >= since:
                    d.update(status="pending", nextAttemptAt=now)
                    n += 1
        return n

    def delivery_backlog(self) -> int:
        return sum(1 for d in self.deliveries.values() if d["status"] == "pending")
