"""Pieces every store shares: API key material, audit hash chain, snapshot codec."""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

__all__ = ["GENESIS", "REAPED", "SCOPES", "AuditFilter", "AuditVerification", "audit_matches",
           "audit_record",
           "chain_hash", "encode_snapshot", "hash_key", "new_api_key",
           "verify_chain"]
# The error of a run whose worker stopped renewing its lease.
REAPED = "the worker running this mapping stopped (lease expired); start a new mapping"

SCOPES = ("mappings:read", "mappings:write", "webhooks:admin", "audit:read", "admin")
GENESIS = "0" * 64
KEY_PREFIX = "gcm_"


def new_api_key() -> tuple[str, str, str]:
    """A new key: (id, secret shown once, display prefix)."""
    key_id = secrets.token_hex(8)
    secret = KEY_PREFIX + secrets.token_urlsafe(32)
    return key_id, secret, secret[:12]


def hash_key(secret: str) -> str:
    """Keys are 256-bit random strings, so one SHA-256 is enough to store them safely."""
    return hashlib.sha256(secret.encode()).hexdigest()


def same_hash(a: str, b: str) -> bool:
    return hmac.compare_digest(a, b)


def _canonical(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def audit_record(now: float, *, actor_id: str | None, actor_name: str | None, action: str,
                 target: str, outcome: Any, request_id: str | None = None,
                 source: str | None = None, latency_ms: float | None = None,
                 details: dict[str, Any] | None = None) -> dict[str, Any]:
    """One audit record in the shape every writer uses (API requests, runs, deliveries)."""
    record: dict[str, Any] = {
        "at": datetime.fromtimestamp(now, UTC).isoformat(), "requestId": request_id,
        "actor": {"id": actor_id, "name": actor_name}, "source": source, "action": action,
        "target": target, "outcome": outcome,
        "latencyMs": round(latency_ms, 1) if latency_ms is not None else None}
    if details is not None:
        record["details"] = details
    return record


def chain_hash(prev_hash: str, seq: int, record: dict[str, Any]) -> str:
    """The hash of one audit row: binds its position, its content and the row before it."""
    return hashlib.sha256(prev_hash.encode() + _canonical({"seq": seq, "record": record})
                          ).hexdigest()


@dataclass(frozen=True)
class AuditVerification:
    ok: bool
    rows: int
    first_bad_seq: int | None = None
    reason: str = ""


def verify_chain(rows: Iterable[tuple[int, str, str, str]]) -> AuditVerification:
    """Check (seq, record JSON, prev_hash, hash) rows in seq order; stops at the first bad one."""
    prev, expected_seq, n = GENESIS, 1, 0
    for seq, record_json, prev_hash, h in rows:
        n += 1
        if seq != expected_seq:
            return AuditVerification(False, n, seq, f"expected row {expected_seq}, found {seq}"
                                     " (a row was removed or reordered)")
        if prev_hash != prev:
            return AuditVerification(False, n, seq, "link to the previous row is broken")
        try:
            record = json.loads(record_json)
        except ValueError:
            return AuditVerification(False, n, seq, "record is not valid JSON")
        if chain_hash(prev_hash, seq, record) != h:
            return AuditVerification(False, n, seq, "record content does not match its hash")
        prev, expected_seq = h, seq + 1
    return AuditVerification(True, n)


def encode_snapshot(doc_bytes: bytes) -> bytes:
    return zlib.compress(doc_bytes, 6)


@dataclass(frozen=True)
class AuditFilter:
    """Audit query filters; None means any."""

    action: str | None = None
    actor: str | None = None
    outcome: str | None = None
    target: str | None = None
    since: float | None = None

    @property
    def empty(self) -> bool:
        return all(v is None for v in (self.action, self.actor, self.outcome, self.target,
                                       self.since))


def audit_matches(record: dict[str, Any], at: float, f: AuditFilter) -> bool:
    """Does one audit record pass the filters? ``action`` and ``target`` match a prefix."""
    if f.since is not None and at < f.since:
        return False
    if f.action is not None and not str(record.get("action") or "").startswith(f.action):
        return False
    if f.actor is not None and (record.get("actor") or {}).get("id") != f.actor:
        return False
    if f.outcome is not None and str(record.get("outcome")) != f.outcome:
        return False
    return f.target is None or str(record.get("target") or "").startswith(f.target)
