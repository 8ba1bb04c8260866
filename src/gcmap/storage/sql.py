"""SqlStore: SQLite (one replica) or PostgreSQL (several replicas), SQLAlchemy Core."""

from __future__ import annotations

import contextlib
import json
import secrets
import threading
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, func, select, text, update
from sqlalchemy.engine import Connection, make_url

from gcmap.storage.common import (
    GENESIS,
    REAPED,
    AuditFilter,
    AuditVerification,
    audit_matches,
    chain_hash,
    encode_snapshot,
    hash_key,
    new_api_key,
    same_hash,
    verify_chain,
)
from gcmap.storage.org_state import OrgStateMixin
from gcmap.storage.protocol import FINISHED
from gcmap.storage.schema import api_keys, audit_log, mappings, snapshots
from gcmap.storage.secretbox import SecretBox
from gcmap.storage.sql_orgs import OrgSqlMixin
from gcmap.storage.sql_webhooks import WebhookSqlMixin

__all__ = ["SqlStore", "migrate"]

_AUDIT_LOCK_ID = 0x6763_6D61  # "gcma": serializes audit appends across PostgreSQL replicas


MIGRATION_LOCK = 0x67636D6170  # "gcmap": the advisory lock id that serializes migrations


def migrate(engine_or_url: Engine | str) -> None:
    """Bring the schema to the latest revision (Alembic)."""
    from alembic import command
    from alembic.config import Config

    engine = create_engine(engine_or_url) if isinstance(engine_or_url, str) else engine_or_url
    cfg = Config()
    cfg.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            # Replicas starting together take turns: the second waits here, then finds the
            # schema current (without this, both create the same types and one crashes).
            conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": MIGRATION_LOCK})
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.execute("PRAGMA synchronous=FULL")  # audit and outbox rows survive a power cut
    cur.close()


class SqlStore(OrgStateMixin, OrgSqlMixin, WebhookSqlMixin):
    """The storage interface on a SQL database."""

    def __init__(self, url: str, secret_box: SecretBox | None = None) -> None:
        self.url = url
        self.secret_box = secret_box
        self._state_init()
        if url.startswith("sqlite"):
            path = make_url(url).database or ""
            # A file's connections are kept for the API's worker threads (the default of 5
            # made every request past the fifth open a connection, set its pragmas and close
            # it); an in-memory database has one connection per thread.
            pool: dict[str, Any] = {}
            if path and path != ":memory:":
                Path(path).parent.mkdir(parents=True, exist_ok=True)
                pool = {"pool_size": 16, "max_overflow": 24}
            self.engine = create_engine(url, connect_args={"timeout": 30}, **pool)
            event.listen(self.engine, "connect", _sqlite_pragmas)
        else:
            self.engine = create_engine(url, pool_pre_ping=True)
        self.is_pg = self.engine.dialect.name == "postgresql"
        # SQLite has one writer: threads of this process take turns here instead of meeting
        # in SQLite's busy handler, which sleeps up to 100 ms per retry.
        self._local = threading.RLock()

    @contextlib.contextmanager
    def _tx(self) -> Iterator[Connection]:
        """A write transaction (serialized in-process on SQLite)."""
        lock = self._local if not self.is_pg else contextlib.nullcontext()
        with lock, self.engine.begin() as c:
            yield c

    # -- schema --------------------------------------------------------------------------
    def migrate(self) -> None:
        migrate(self.engine)

    def ping(self) -> bool:
        with self.engine.connect() as c:
            return c.execute(text("SELECT 1")).scalar() == 1

    # -- API keys ------------------------------------------------------------------------
    def create_api_key(self, name: str, scopes: list[str], now: float,
                       orgs: list[str] | None = None) -> tuple[str, str]:
        key_id, secret, prefix = new_api_key()
        with self._tx() as c:
            c.execute(api_keys.insert().values(id=key_id, name=name, prefix=prefix,
                                               key_hash=hash_key(secret),
                                               scopes=" ".join(sorted(scopes)),
                                               created_at=now,
                                               orgs=" ".join(sorted(orgs)) if orgs else None))
        return key_id, secret

    def find_api_key(self, secret: str) -> dict[str, Any] | None:
        h = hash_key(secret)
        with self.engine.connect() as c:
            rows = c.execute(select(api_keys).where(api_keys.c.prefix == secret[:12])).all()
        for row in rows:
            if same_hash(row.key_hash, h):
                return {"id": row.id, "name": row.name, "prefix": row.prefix,
                        "scopes": row.scopes.split(), "revoked": row.revoked_at is not None,
                        "orgs": row.orgs.split() if row.orgs else None}
        return None

    def list_api_keys(self) -> list[dict[str, Any]]:
        with self.engine.connect() as c:
            rows = c.execute(select(api_keys).order_by(api_keys.c.created_at)).all()
        return [{"id": r.id, "name": r.name, "prefix": r.prefix, "scopes": r.scopes.split(),
                 "createdAt": r.created_at, "revokedAt": r.revoked_at,
                 "orgs": r.orgs.split() if r.orgs else None} for r in rows]

    def revoke_api_key(self, key_id: str, now: float) -> bool:
        with self._tx() as c:
            res = c.execute(update(api_keys).where(api_keys.c.id == key_id,
                                                   api_keys.c.revoked_at.is_(None))
                            .values(revoked_at=now))
        return bool(res.rowcount)

    # -- mapping runs --------------------------------------------------------------------
    def create_run(self, org_key: str, requested_by: str, now: float,
                   changes: list[dict[str, Any]] | None = None) -> dict[str, Any]:
        run_id = secrets.token_hex(8)
        with self._tx() as c:
            c.execute(mappings.insert().values(
                id=run_id, org_key=org_key, status="queued", phase="queued",
                progress="{}", requested_by=requested_by, created_at=now,
                cancel_requested=False, attempts=0,
                changes=json.dumps(changes) if changes is not None else None))
        run = self.get_run(run_id)
        assert run is not None
        return run

    @staticmethod
    def _run(row: Any) -> dict[str, Any]:
        return {"id": row.id, "orgKey": row.org_key, "status": row.status,
                "phase": row.phase, "progress": json.loads(row.progress or "{}"),
                "requestedBy": row.requested_by, "createdAt": row.created_at,
                "startedAt": row.started_at, "finishedAt": row.finished_at,
                "leaseOwner": row.lease_owner, "leaseExpiresAt": row.lease_expires_at,
                "cancelRequested": bool(row.cancel_requested), "attempts": row.attempts,
                "snapshotHash": row.snapshot_hash,
                "summary": json.loads(row.summary) if row.summary else None,
                "error": row.error,
                "changes": json.loads(row.changes) if row.changes else None}

    def get_run(self, run_id: str) -> dict[str, Any] | None:
        with self.engine.connect() as c:
            row = c.execute(select(mappings).where(mappings.c.id == run_id)).first()
        return self._run(row) if row else None

    def list_runs(self, limit: int, offset: int, status: str | None = None,
                  org_keys: list[str] | None = None) -> tuple[list[dict[str, Any]], int]:
        q = select(mappings)
        n = select(func.count()).select_from(mappings)
        if status:
            q, n = q.where(mappings.c.status == status), n.where(mappings.c.status == status)
        if org_keys is not None:
            q = q.where(mappings.c.org_key.in_(org_keys))
            n = n.where(mappings.c.org_key.in_(org_keys))
        with self.engine.connect() as c:
            rows = c.execute(q.order_by(mappings.c.created_at.desc(), mappings.c.id)
                             .limit(limit).offset(offset)).all()
            total = int(c.execute(n).scalar() or 0)
        return [self._run(r) for r in rows], total

    def latest_run(self, org_key: str, statuses: tuple[str, ...],
                   exclude: str | None = None) -> dict[str, Any] | None:
        """The org's most recently created run in one of ``statuses`` (not ``exclude``)."""
        q = select(mappings).where(mappings.c.org_key == org_key,
                                   mappings.c.status.in_(statuses))
        if exclude:
            q = q.where(mappings.c.id != exclude)
        with self.engine.connect() as c:
            row = c.execute(q.order_by(mappings.c.created_at.desc(), mappings.c.id.desc())
                            .limit(1)).first()
        return self._run(row) if row else None

    def claim_run(self, owner: str, lease_s: float, now: float) -> dict[str, Any] | None:
        """Take the oldest queued run whose org has no run in progress."""
        with self._tx() as c:
            q = (select(mappings).where(mappings.c.status == "queued")
                 .order_by(mappings.c.created_at, mappings.c.id).limit(20))
            if self.is_pg:
                q = q.with_for_update(skip_locked=True)
            for row in c.execute(q).all():
                if self.is_pg:  # one run per org at a time, across replicas
                    c.execute(text("SELECT pg_advisory_xact_lock(hashtext(:k))"),
                              {"k": row.org_key})
                busy = c.execute(select(func.count()).select_from(mappings).where(
                    mappings.c.org_key == row.org_key, mappings.c.status == "running")
                ).scalar()
                if busy:
                    continue
                res = c.execute(update(mappings).where(
                    mappings.c.id == row.id, mappings.c.status == "queued").values(
                    status="running", phase="starting", lease_owner=owner,
                    lease_expires_at=now + lease_s, started_at=now,
                    attempts=mappings.c.attempts + 1))
                if res.rowcount:
                    got = c.execute(select(mappings).where(mappings.c.id == row.id)).first()
                    return self._run(got)
        return None

    def heartbeat(self, run_id: str, owner: str, lease_s: float, now: float, phase: str,
                  progress: dict[str, Any]) -> tuple[bool, bool]:
        """Extend the lease; returns (still ours, cancel requested)."""
        with self._tx() as c:
            res = c.execute(update(mappings).where(
                mappings.c.id == run_id, mappings.c.lease_owner == owner,
                mappings.c.status == "running").values(
                lease_expires_at=now + lease_s, phase=phase,
                progress=json.dumps(progress, sort_keys=True)))
            cancel = c.execute(select(mappings.c.cancel_requested).where(
                mappings.c.id == run_id)).scalar()
        return bool(res.rowcount), bool(cancel)

    def finish_run(self, run_id: str, owner: str, status: str, now: float, *,
                   summary: dict[str, Any] | None = None, snapshot_hash: str | None = None,
                   error: str | None = None,
                   events: list[dict[str, Any]] | None = None) -> bool:
        """Finish a run we hold; its events go to the outbox in the same transaction, so a
        crash can never keep one without the other."""
        with self._tx() as c:
            res = c.execute(update(mappings).where(
                mappings.c.id == run_id, mappings.c.lease_owner == owner,
                mappings.c.status == "running").values(
                status=status, phase="done", finished_at=now, lease_expires_at=None,
                summary=json.dumps(summary, sort_keys=True) if summary is not None else None,
                snapshot_hash=snapshot_hash, error=error))
            if res.rowcount and events:
                self._enqueue(c, events, now)
        return bool(res.rowcount)

    def request_cancel(self, run_id: str, now: float) -> str | None:
        """Cancel a queued run now, or flag a running one; returns the new status."""
        with self._tx() as c:
            row = c.execute(select(mappings).where(mappings.c.id == run_id)).first()
            if row is None:
                return None
            if row.status == "queued":
                c.execute(update(mappings).where(mappings.c.id == run_id).values(
                    status="cancelled", phase="done", finished_at=now))
                return "cancelled"
            if row.status == "running":
                c.execute(update(mappings).where(mappings.c.id == run_id).values(
                    cancel_requested=True))
            return str(row.status)

    def reap_expired(self, now: float, failed_event: Callable[[str, str | None, str],
                     dict[str, Any]] | None = None) -> list[str]:
        """Fail runs whose worker stopped renewing its lease (a process that died); each
        one's ``mapping.failed`` event (from ``failed_event(run id, org id, error)``) goes to
        the outbox in the same transaction, so it is emitted exactly once."""
        with self._tx() as c:
            rows = c.execute(select(mappings.c.id, mappings.c.org_key).where(
                mappings.c.status == "running", mappings.c.lease_expires_at < now)).all()
            reaped = []
            for r in rows:
                res = c.execute(update(mappings).where(
                    mappings.c.id == r.id, mappings.c.status == "running").values(
                    status="failed", phase="done", finished_at=now, lease_expires_at=None,
                    error=REAPED))
                if res.rowcount:
                    reaped.append(r.id)
                    if failed_event is not None:
                        self._enqueue(c, [failed_event(r.id, self._org_id(c, r.org_key),
                                                       REAPED)], now)
        return reaped

    def _org_id(self, c: Connection, org_key: str) -> str | None:
        """The org id of the latest successful mapping of ``org_key`` (runs know only the key)."""
        row = c.execute(select(mappings.c.summary).where(
            mappings.c.org_key == org_key, mappings.c.status == "succeeded",
            mappings.c.summary.is_not(None)).order_by(mappings.c.finished_at.desc())
            .limit(1)).first()
        return json.loads(row.summary).get("orgId") if row else None

    def all_runs(self) -> list[dict[str, Any]]:
        """Every run (id, org, status, created), for retention."""
        with self.engine.connect() as c:
            rows = c.execute(select(mappings.c.id, mappings.c.org_key, mappings.c.status,
                                    mappings.c.created_at)).all()
        return [{"id": r.id, "orgKey": r.org_key, "status": r.status,
                 "createdAt": r.created_at} for r in rows]

    def delete_runs(self, ids: list[str]) -> tuple[int, int]:
        """Delete finished runs and the snapshots no remaining run uses; returns (runs,
        snapshots) deleted. Queued and running runs are never deleted."""
        if not ids:
            return 0, 0
        with self._tx() as c:
            res = c.execute(mappings.delete().where(
                mappings.c.id.in_(ids),
                mappings.c.status.in_(FINISHED)))
            used = select(mappings.c.snapshot_hash).where(mappings.c.snapshot_hash.is_not(None))
            gone = c.execute(snapshots.delete().where(snapshots.c.hash.notin_(used)))
        if not self.is_pg:
            with self.engine.connect() as c:  # give the space back to the file system
                c.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
        return int(res.rowcount), int(gone.rowcount)

    # -- snapshots -----------------------------------------------------------------------
    def put_snapshot(self, snapshot_hash: str, doc_bytes: bytes, now: float) -> None:
        with self._tx() as c:
            exists = c.execute(select(snapshots.c.hash).where(
                snapshots.c.hash == snapshot_hash)).first()
            if not exists:
                c.execute(snapshots.insert().values(hash=snapshot_hash, created_at=now,
                                                    size=len(doc_bytes),
                                                    body=encode_snapshot(doc_bytes)))

    def get_snapshot(self, snapshot_hash: str) -> dict[str, Any] | None:
        raw = self.get_snapshot_bytes(snapshot_hash)
        return json.loads(raw) if raw is not None else None

    def get_snapshot_bytes(self, snapshot_hash: str) -> bytes | None:
        """The stored document's canonical JSON (decompressed), or None."""
        with self.engine.connect() as c:
            row = c.execute(select(snapshots.c.body).where(
                snapshots.c.hash == snapshot_hash)).first()
        return zlib.decompress(row.body) if row else None

    # -- audit ---------------------------------------------------------------------------
    def append_audit(self, record: dict[str, Any], now: float) -> int:
        """Append one record to the hash chain; returns its sequence number."""
        with self._tx() as c:
            if self.is_pg:
                c.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _AUDIT_LOCK_ID})
            last = c.execute(select(audit_log.c.seq, audit_log.c.hash)
                             .order_by(audit_log.c.seq.desc()).limit(1)).first()
            seq, prev = (last.seq + 1, last.hash) if last else (1, GENESIS)
            c.execute(audit_log.insert().values(
                seq=seq, at=now, record=json.dumps(record, sort_keys=True),
                prev_hash=prev, hash=chain_hash(prev, seq, record)))
        return int(seq)

    def list_audit(self, limit: int, offset: int, action: str | None = None,
                   filters: AuditFilter | None = None) -> tuple[list[dict[str, Any]], int]:
        """Newest first. Unfiltered pages come straight from SQL; filters stream the log."""
        f = filters or AuditFilter(action=action)
        newest = select(audit_log).order_by(audit_log.c.seq.desc())
        with self.engine.connect() as c:
            if f.empty:
                total = int(c.execute(select(func.count()).select_from(audit_log)).scalar()
                            or 0)
                rows = c.execute(newest.limit(limit).offset(offset)).all()
                return [dict(json.loads(r.record), seq=r.seq) for r in rows], total
            if f.since is not None:
                newest = newest.where(audit_log.c.at >= f.since)
            items: list[dict[str, Any]] = []
            total = 0
            for r in c.execution_options(yield_per=1000).execute(newest):
                record = json.loads(r.record)
                if audit_matches(record, r.at, f):
                    if offset <= total < offset + limit:
                        items.append(dict(record, seq=r.seq))
                    total += 1
        return items, total

    def _audit_rows(self, conn: Connection) -> Iterator[tuple[int, str, str, str]]:
        for r in conn.execute(select(audit_log).order_by(audit_log.c.seq)):
            yield r.seq, r.record, r.prev_hash, r.hash

    def verify_audit(self) -> AuditVerification:
        with self.engine.connect() as c:
            return verify_chain(self._audit_rows(c))

    def close(self) -> None:
        self.engine.dispose()
