"""MemoryStore: the storage interface in dicts, for unit tests of services."""

from __future__ import annotations

import json
import secrets
import threading
from collections.abc import Callable
from typing import Any

from gcmap.storage.common import (
    GENESIS,
    REAPED,
    AuditFilter,
    AuditVerification,
    audit_matches,
    chain_hash,
    hash_key,
    new_api_key,
    same_hash,
    verify_chain,
)
from gcmap.storage.memory_orgs import OrgMemoryMixin
from gcmap.storage.memory_webhooks import WebhookMemoryMixin
from gcmap.storage.org_state import OrgStateMixin
from gcmap.storage.protocol import FINISHED
from gcmap.storage.secretbox import SecretBox

__all__ = ["MemoryStore"]


class MemoryStore(OrgStateMixin, OrgMemoryMixin, WebhookMemoryMixin):
    """Same behaviour as SqlStore, nothing persisted; append-only by construction."""

    def __init__(self, secret_box: SecretBox | None = None) -> None:
        self.secret_box = secret_box
        self._lock = threading.RLock()
        self._wh_init()
        self._orgs_init()
        self._state_init()
        self.keys: dict[str, dict[str, Any]] = {}
        self.runs: dict[str, dict[str, Any]] = {}
        self.snapshots: dict[str, bytes] = {}
        self.audit: list[tuple[int, str, str, str]] = []
        self._at: list[float] = []

    def migrate(self) -> None:
        return None

    def ping(self) -> bool:
        return True

    def create_api_key(self, name: str, scopes: list[str], now: float,
                       orgs: list[str] | None = None) -> tuple[str, str]:
        key_id, secret, prefix = new_api_key()
        with self._lock:
            self.keys[key_id] = {"id": key_id, "name": name, "prefix": prefix,
                                 "hash": hash_key(secret), "scopes": sorted(scopes),
                                 "createdAt": now, "revokedAt": None,
                                 "orgs": sorted(orgs) if orgs else None}
        return key_id, secret

    def find_api_key(self, secret: str) -> dict[str, Any] | None:
        h = hash_key(secret)
        for k in self.keys.values():
            if k["prefix"] == secret[:12] and same_hash(k["hash"], h):
                return {"id": k["id"], "name": k["name"], "prefix": k["prefix"],
                        "scopes": list(k["scopes"]), "revoked": k["revokedAt"] is not None,
                        "orgs": list(k["orgs"]) if k["orgs"] else None}
        return None

    def list_api_keys(self) -> list[dict[str, Any]]:
        return [{k: v for k, v in key.items() if k != "hash"} for key in self.keys.values()]

    def revoke_api_key(self, key_id: str, now: float) -> bool:
        with self._lock:
            k = self.keys.get(key_id)
            if k is None or k["revokedAt"] is not None:
                return False
            k["revokedAt"] = now
            return True

    def create_run(self, org_key: str, requested_by: str, now: float,
                   changes: list[dict[str, Any]] | None = None) -> dict[str, Any]:
        run: dict[str, Any] = {"id": secrets.token_hex(8), "orgKey": org_key, "status": "queued",
               "phase": "queued", "progress": {}, "requestedBy": requested_by,
               "createdAt": now, "startedAt": None, "finishedAt": None, "leaseOwner": None,
               "leaseExpiresAt": None, "cancelRequested": False, "attempts": 0,
               "snapshotHash": None, "summary": None, "error": None,
               "changes": changes}
        with self._lock:
            self.runs[run["id"]] = run
        return dict(run)

    def get_run(self, run_id: str) -> dict[str, Any] | None:
        run = self.runs.get(run_id)
        return json.loads(json.dumps(run)) if run else None

    def list_runs(self, limit: int, offset: int, status: str | None = None,
                  org_keys: list[str] | None = None) -> tuple[list[dict[str, Any]], int]:
        runs = [r for r in self.runs.values() if (status is None or r["status"] == status)
                and (org_keys is None or r["orgKey"] in org_keys)]
        runs.sort(key=lambda r: (-r["createdAt"], r["id"]))
        return [dict(r) for r in runs[offset:offset + limit]], len(runs)

    def latest_run(self, org_key: str, statuses: tuple[str, ...],
                   exclude: str | None = None) -> dict[str, Any] | None:
        with self._lock:
            runs = [r for r in self.runs.values() if r["orgKey"] == org_key
                    and r["status"] in statuses and r["id"] != exclude]
            runs.sort(key=lambda r: (r["createdAt"], r["id"]))
            return dict(runs[-1]) if runs else None

    def claim_run(self, owner: str, lease_s: float, now: float) -> dict[str, Any] | None:
        with self._lock:
            busy = {r["orgKey"] for r in self.runs.values() if r["status"] == "running"}
            for r in sorted(self.runs.values(), key=lambda r: (r["createdAt"], r["id"])):
                if r["status"] == "queued" and r["orgKey"] not in busy:
                    r.update(status="running", phase="starting", leaseOwner=owner,
                             leaseExpiresAt=now + lease_s, startedAt=now,
                             attempts=r["attempts"] + 1)
                    return dict(r)
        return None

    def heartbeat(self, run_id: str, owner: str, lease_s: float, now: float, phase: str,
                  progress: dict[str, Any]) -> tuple[bool, bool]:
        with self._lock:
            r = self.runs.get(run_id)
            if not r or r["leaseOwner"] != owner or r["status"] != "running":
                return False, bool(r and r["cancelRequested"])
            r.update(leaseExpiresAt=now + lease_s, phase=phase, progress=dict(progress))
            return True, r["cancelRequested"]

    def finish_run(self, run_id: str, owner: str, status: str, now: float, *,
                   summary: dict[str, Any] | None = None, snapshot_hash: str | None = None,
                   error: str | None = None,
                   events: list[dict[str, Any]] | None = None) -> bool:
        with self._lock:
            r = self.runs.get(run_id)
            if not r or r["leaseOwner"] != owner or r["status"] != "running":
                return False
            r.update(status=status, phase="done", finishedAt=now, leaseExpiresAt=None,
                     summary=summary, snapshotHash=snapshot_hash, error=error)
            if events:
                self._enqueue(events, now)
            return True

    def request_cancel(self, run_id: str, now: float) -> str | None:
        with self._lock:
            r = self.runs.get(run_id)
            if r is None:
                return None
            if r["status"] == "queued":
                r.update(status="cancelled", phase="done", finishedAt=now)
                return "cancelled"
            if r["status"] == "running":
                r["cancelRequested"] = True
            return str(r["status"])

    def reap_expired(self, now: float, failed_event: Callable[[str, str | None, str],
                     dict[str, Any]] | None = None) -> list[str]:
        with self._lock:
            ids = [r["id"] for r in self.runs.values() if r["status"] == "running"
                   and (r["leaseExpiresAt"] or 0) < now]
            for i in ids:
                run = self.runs[i]
                run.update(status="failed", phase="done", finishedAt=now, leaseExpiresAt=None,
                           error=REAPED)
                if failed_event is not None:
                    done = [r for r in self.runs.values() if r["orgKey"] == run["orgKey"]
                            and r["status"] == "succeeded" and r.get("summary")]
                    done.sort(key=lambda r: r["finishedAt"] or 0)
                    org_id = done[-1]["summary"].get("orgId") if done else None
                    self._enqueue([failed_event(i, org_id, REAPED)], now)
            return ids

    def all_runs(self) -> list[dict[str, Any]]:
        with self._lock:
            return [{"id": r["id"], "orgKey": r["orgKey"], "status": r["status"],
                     "createdAt": r["createdAt"]} for r in self.runs.values()]

    def delete_runs(self, ids: list[str]) -> tuple[int, int]:
        with self._lock:
            n = 0
            for i in ids:
                if self.runs.get(i, {}).get("status") in FINISHED:
                    del self.runs[i]
                    n += 1
            used = {r["snapshotHash"] for r in self.runs.values() if r.get("snapshotHash")}
            gone = [h for h in self.snapshots if h not in used]
            for h in gone:
                del self.snapshots[h]
            return n, len(gone)

    def put_snapshot(self, snapshot_hash: str, doc_bytes: bytes, now: float) -> None:
        self.snapshots.setdefault(snapshot_hash, doc_bytes)

    def get_snapshot(self, snapshot_hash: str) -> dict[str, Any] | None:
        raw = self.snapshots.get(snapshot_hash)
        return json.loads(raw) if raw else None

    def get_snapshot_bytes(self, snapshot_hash: str) -> bytes | None:
        return self.snapshots.get(snapshot_hash)

    def append_audit(self, record: dict[str, Any], now: float) -> int:
        with self._lock:
            seq = len(self.audit) + 1
            prev = self.audit[-1][3] if self.audit else GENESIS
            self.audit.append((seq, json.dumps(record, sort_keys=True), prev,
                               chain_hash(prev, seq, record)))
            self._at.append(now)
            return seq

    def list_audit(self, limit: int, offset: int, action: str | None = None,
                   filters: AuditFilter | None = None) -> tuple[list[dict[str, Any]], int]:
        f = filters or AuditFilter(action=action)
        items = [dict(rec, seq=s) for s, raw, _, _ in reversed(self.audit)
                 if audit_matches(rec := json.loads(raw), self._at[s - 1], f)]
        return items[offset:offset + limit], len(items)

    def verify_audit(self) -> AuditVerification:
        return verify_chain(list(self.audit))

    def close(self) -> None:
        return None
