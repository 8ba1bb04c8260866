"""Webhook endpoints, the transactional event outbox and deliveries on SQL."""

from __future__ import annotations

import json
import secrets
from contextlib import AbstractContextManager
from typing import Any

from sqlalchemy import Engine, func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection

from gcmap.domain.events import disable_reason, event_matches
from gcmap.storage.schema import attempts, deliveries, events, org_sequences, webhooks
from gcmap.storage.secretbox import SecretBox, SecretKeyMissing, open_stored, seal_for_storage

__all__ = ["WebhookSqlMixin"]


def _hook(row: Any) -> dict[str, Any]:
    return {"id": row.id, "url": row.url, "eventTypes": row.event_types.split(),
            "orgId": row.org_filter, "description": row.description, "status": row.status,
            "createdAt": row.created_at, "verifiedAt": row.verified_at,
            "disabledReason": row.disabled_reason, "failingSince": row.failing_since}


class WebhookSqlMixin:
    """Methods SqlStore gains for webhooks (it provides ``engine`` and ``is_pg``)."""

    engine: Engine
    is_pg: bool
    secret_box: SecretBox | None

    def _tx(self) -> AbstractContextManager[Connection]:
        raise NotImplementedError  # provided by SqlStore

    # -- endpoints -----------------------------------------------------------------------
    def create_webhook(self, url: str, event_types: list[str], org_id: str | None,
                       description: str, secret: str, now: float) -> dict[str, Any]:
        wid = secrets.token_hex(8)
        sealed = seal_for_storage(self.secret_box, secret, f"webhook:{wid}")
        with self._tx() as c:
            c.execute(webhooks.insert().values(
                id=wid, url=url, event_types=" ".join(sorted(set(event_types))),
                org_filter=org_id, description=description, status="pending", secret=sealed,
                created_at=now))
        hook = self.get_webhook(wid)
        assert hook is not None
        return hook

    def get_webhook(self, wid: str) -> dict[str, Any] | None:
        with self.engine.connect() as c:
            row = c.execute(select(webhooks).where(webhooks.c.id == wid)).first()
        return _hook(row) if row else None

    def list_webhooks(self) -> list[dict[str, Any]]:
        with self.engine.connect() as c:
            rows = c.execute(select(webhooks).order_by(webhooks.c.created_at)).all()
        return [_hook(r) for r in rows]

    def update_webhook(self, wid: str, fields: dict[str, Any]) -> dict[str, Any] | None:
        values: dict[str, Any] = {}
        if "url" in fields:
            values.update(url=fields["url"], status="pending", verified_at=None)
        if "eventTypes" in fields:
            values["event_types"] = " ".join(sorted(set(fields["eventTypes"])))
        if "orgId" in fields:
            values["org_filter"] = fields["orgId"]
        if "description" in fields:
            values["description"] = fields["description"]
        if values:
            with self._tx() as c:
                c.execute(update(webhooks).where(webhooks.c.id == wid).values(**values))
        return self.get_webhook(wid)

    def delete_webhook(self, wid: str) -> bool:
        with self._tx() as c:
            res = c.execute(webhooks.delete().where(webhooks.c.id == wid))
            c.execute(deliveries.delete().where(deliveries.c.webhook_id == wid,
                                                deliveries.c.status == "pending"))
        return bool(res.rowcount)

    def set_webhook_status(self, wid: str, status: str, now: float,
                           reason: str | None = None) -> None:
        values: dict[str, Any] = {"status": status, "disabled_reason": reason}
        if status == "active":
            values.update(verified_at=now, failing_since=None)
        with self._tx() as c:
            c.execute(update(webhooks).where(webhooks.c.id == wid).values(**values))

    def rotate_secret(self, wid: str, new_secret: str, grace_until: float) -> bool:
        sealed = seal_for_storage(self.secret_box, new_secret, f"webhook:{wid}")
        with self._tx() as c:
            row = c.execute(select(webhooks.c.secret).where(webhooks.c.id == wid)).first()
            if row is None:
                return False
            c.execute(update(webhooks).where(webhooks.c.id == wid).values(
                secret=sealed, previous_secret=row.secret,
                previous_expires_at=grace_until))
        return True

    def webhook_secrets(self, wid: str, now: float) -> list[str]:
        """The current secret, and the previous one during its grace period (in clear)."""
        with self.engine.connect() as c:
            row = c.execute(select(webhooks).where(webhooks.c.id == wid)).first()
        if row is None:
            return []
        ctx = f"webhook:{wid}"
        out = [open_stored(self.secret_box, row.secret, ctx)]
        if row.previous_secret and (row.previous_expires_at or 0) > now:
            out.append(open_stored(self.secret_box, row.previous_secret, ctx))
        return out

    def _reseal_orgs(self, box: SecretBox) -> int:
        raise NotImplementedError  # provided by the org mixin

    def reseal_secrets(self) -> int:
        """Seal every stored secret under the current key (legacy clear values included);
        returns how many changed."""
        box = self.secret_box
        if box is None:
            raise SecretKeyMissing()
        changed = 0
        with self._tx() as c:
            for row in c.execute(select(webhooks.c.id, webhooks.c.secret,
                                        webhooks.c.previous_secret)).all():
                ctx = f"webhook:{row.id}"
                values = {}
                for col in ("secret", "previous_secret"):
                    v = getattr(row, col)
                    if v and not box.is_current(v):
                        values[col] = box.seal(open_stored(box, v, ctx), ctx)
                if values:
                    c.execute(update(webhooks).where(webhooks.c.id == row.id).values(**values))
                    changed += 1
        return changed + self._reseal_orgs(box)

    # -- outbox --------------------------------------------------------------------------
    def _next_sequence(self, c: Connection, org_id: str) -> int:
        ins = pg_insert(org_sequences) if self.is_pg else sqlite_insert(org_sequences)
        stmt = ins.values(org_id=org_id, last=1).on_conflict_do_update(
            index_elements=["org_id"], set_={"last": org_sequences.c.last + 1}
        ).returning(org_sequences.c.last)
        return int(c.execute(stmt).scalar_one())

    def _enqueue(self, c: Connection, new_events: list[dict[str, Any]], now: float,
                 ) -> list[str]:
        """Write events and their deliveries inside the caller's transaction."""
        if not new_events:
            return []
        hooks = [_hook(r) for r in c.execute(select(webhooks).where(
            webhooks.c.status == "active")).all()]
        ids = []
        for ev in new_events:
            org = str(ev.get("orgId") or "unknown")
            seq = self._next_sequence(c, org)
            eid = "msg_" + secrets.token_hex(12)
            body = dict(ev, sequence=seq)
            c.execute(events.insert().values(id=eid, org_id=org, sequence=seq,
                                             type=ev["type"], created_at=now,
                                             body=json.dumps(body, sort_keys=True,
                                                             separators=(",", ":"))))
            for h in hooks:
                if event_matches(h, ev["type"], ev.get("orgId")):
                    c.execute(deliveries.insert().values(
                        id=secrets.token_hex(8), event_id=eid, webhook_id=h["id"],
                        status="pending", attempts=0, next_attempt_at=now, created_at=now))
            ids.append(eid)
        return ids

    def enqueue_events(self, new_events: list[dict[str, Any]], now: float) -> list[str]:
        with self._tx() as c:
            return self._enqueue(c, new_events, now)

    def list_events(self, org_id: str | None = None, limit: int = 100,
                    ) -> list[dict[str, Any]]:
        q = select(events).order_by(events.c.created_at, events.c.sequence)
        if org_id:
            q = q.where(events.c.org_id == org_id)
        with self.engine.connect() as c:
            rows = c.execute(q.limit(limit)).all()
        return [dict(json.loads(r.body), id=r.id) for r in rows]

    # -- deliveries ----------------------------------------------------------------------
    def claim_deliveries(self, owner: str, lease_s: float, now: float, limit: int = 10,
                         exclude: frozenset[str] = frozenset()) -> list[dict[str, Any]]:
        """Lease due deliveries to active endpoints (not those in ``exclude``); each comes
        with what sending needs."""
        pending = [deliveries.c.status == "pending", webhooks.c.status == "active"]
        if exclude:
            pending.append(deliveries.c.webhook_id.notin_(sorted(exclude)))
        # Each endpoint's pending deliveries form a queue in event order (per org, by
        # sequence); only its head may be sent, once due and not leased. A retried event
        # holds back the later ones, and a head in flight anywhere (another replica too)
        # keeps the endpoint to one attempt at a time.
        rank = func.row_number().over(
            partition_by=deliveries.c.webhook_id,
            order_by=(events.c.created_at, events.c.org_id, events.c.sequence,
                      deliveries.c.id)).label("rank")
        inner = (select(deliveries.c.id, deliveries.c.next_attempt_at,
                        deliveries.c.lease_expires_at, rank)
                 .join(webhooks, webhooks.c.id == deliveries.c.webhook_id)
                 .join(events, events.c.id == deliveries.c.event_id)
                 .where(*pending).subquery())
        firsts = (select(inner.c.id).where(
            inner.c.rank == 1, inner.c.next_attempt_at <= now,
            inner.c.lease_expires_at.is_(None) | (inner.c.lease_expires_at < now))
            .order_by(inner.c.next_attempt_at, inner.c.id).limit(limit))
        with self._tx() as c:
            ids = [r.id for r in c.execute(firsts).all()]
            if ids and self.is_pg:  # lock them; another replica may have taken some
                locked = select(deliveries.c.id).where(
                    deliveries.c.id.in_(ids), deliveries.c.status == "pending",
                    (deliveries.c.lease_expires_at.is_(None))
                    | (deliveries.c.lease_expires_at < now)).with_for_update(skip_locked=True)
                ids = [r.id for r in c.execute(locked).all()]
            if not ids:
                return []
            c.execute(update(deliveries).where(deliveries.c.id.in_(ids)).values(
                lease_owner=owner, lease_expires_at=now + lease_s))
            rows = c.execute(
                select(deliveries, events.c.body, webhooks.c.url)
                .join(events, events.c.id == deliveries.c.event_id)
                .join(webhooks, webhooks.c.id == deliveries.c.webhook_id)
                .where(deliveries.c.id.in_(ids))).all()
        return [{"id": r.id, "eventId": r.event_id, "webhookId": r.webhook_id,
                 "attempts": r.attempts, "body": r.body, "url": r.url,
                 "secrets": self.webhook_secrets(r.webhook_id, now)} for r in rows]

    def record_attempt(self, delivery_id: str, owner: str, *, outcome: str,
                       status: int | None, latency_ms: float, error: str, now: float,
                       next_attempt_at: float | None) -> str | None:
        """Log one attempt and move the delivery on; returns why the endpoint was disabled,
        if it was."""
        with self._tx() as c:
            d = c.execute(select(deliveries).where(deliveries.c.id == delivery_id,
                                                   deliveries.c.lease_owner == owner)).first()
            if d is None:
                return None  # the lease moved on: another worker owns this delivery now
            n = d.attempts + 1
            c.execute(attempts.insert().values(
                delivery_id=delivery_id, webhook_id=d.webhook_id, event_id=d.event_id,
                attempt=n, at=now, outcome=outcome, status=status, latency_ms=latency_ms,
                error=error or None))
            values: dict[str, Any] = {"attempts": n, "last_status": status,
                                      "last_error": error or None, "lease_owner": None,
                                      "lease_expires_at": None}
            if outcome == "ok":
                values.update(status="delivered", delivered_at=now)
            elif next_attempt_at is None:
                values["status"] = "failed"
            else:
                values["next_attempt_at"] = next_attempt_at
            c.execute(update(deliveries).where(deliveries.c.id == delivery_id).values(**values))
            hook = c.execute(select(webhooks).where(webhooks.c.id == d.webhook_id)).first()
            if hook is None:
                return None
            if outcome == "ok":
                c.execute(update(webhooks).where(webhooks.c.id == hook.id)
                          .values(failing_since=None))
                return None
            since = hook.failing_since if hook.failing_since is not None else now
            reason = disable_reason(outcome, since, now)
            values = {"failing_since": since}
            if reason:
                values.update(status="disabled", disabled_reason=reason)
            c.execute(update(webhooks).where(webhooks.c.id == hook.id).values(**values))
            return reason

    def list_attempts(self, wid: str, limit: int, offset: int,
                      ) -> tuple[list[dict[str, Any]], int]:
        with self.engine.connect() as c:
            rows = c.execute(select(attempts).where(attempts.c.webhook_id == wid)
                             .order_by(attempts.c.id.desc()).limit(limit).offset(offset)).all()
            total = int(c.execute(select(func.count()).select_from(attempts).where(
                attempts.c.webhook_id == wid)).scalar() or 0)
        return [{"deliveryId": r.delivery_id, "eventId": r.event_id, "attempt": r.attempt,
                 "at": r.at, "outcome": r.outcome, "status": r.status,
                 "latencyMs": r.latency_ms, "error": r.error} for r in rows], total

    def redeliver(self, wid: str, event_id: str, now: float) -> str | None:
        """Queue one event again for one endpoint (same event id, so same webhook-id)."""
        with self._tx() as c:
            if c.execute(select(events.c.id).where(events.c.id == event_id)).first() is None:
                return None
            did = secrets.token_hex(8)
            c.execute(deliveries.insert().values(id=did, event_id=event_id, webhook_id=wid,
                                                 status="pending", attempts=0,
                                                 next_attempt_at=now, created_at=now))
        return did

    def recover_failed(self, wid: str, since: float, now: float) -> int:
        """Re-queue every failed delivery to an endpoint created since ``since``."""
        with self._tx() as c:
            res = c.execute(update(deliveries).where(
                deliveries.c.webhook_id == wid, deliveries.c.status == "failed",
                deliveries.c.created_at >= since).values(status="pending", next_attempt_at=now))
        return int(res.rowcount)

    def delivery_backlog(self) -> int:
        with self.engine.connect() as c:
            return int(c.execute(select(func.count()).select_from(deliveries).where(
                deliveries.c.status == "pending")).scalar() or 0)
