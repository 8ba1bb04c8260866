"""One contract suite for every store: memory, SQLite and the local PostgreSQL."""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError

from gcmap.storage import MemoryStore, SqlStore, open_store
from gcmap.storage.schema import metadata
from tests.keys import sealing_box

PG_ADMIN = os.environ.get("GCMAP_TEST_PG_DSN",
                          "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def _pg_available() -> bool:
    try:
        with create_engine(PG_ADMIN).connect() as c:
            c.execute(text("SELECT 1"))
        return True
    except Exception:
        return False


@contextlib.contextmanager
def fresh_pg_database(prefix: str) -> Iterator[str]:
    """The URL of a new, empty PostgreSQL database, dropped afterwards (skips without one)."""
    if not _pg_available():
        pytest.skip("PostgreSQL is not reachable at GCMAP_TEST_PG_DSN")
    name = f"{prefix}_{secrets.token_hex(4)}"
    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield PG_ADMIN.rsplit("/", 1)[0] + "/" + name
    finally:
        with admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    with fresh_pg_database("gcmap_test") as url:
        yield url


@pytest.fixture(params=["memory", "sqlite", "postgres"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Any]:
    if request.param == "memory":
        s: Any = MemoryStore(sealing_box())
    elif request.param == "sqlite":
        s = open_store(f"sqlite:///{tmp_path}/gcmap.db", sealing_box())
    else:
        url = request.getfixturevalue("pg_url")
        s = SqlStore(url, sealing_box())
        with s.engine.begin() as c:  # a clean schema per test
            # Every table the schema declares, so a new table cannot be left behind.
            tables = ", ".join([*(t.name for t in metadata.sorted_tables), "alembic_version"])
            c.execute(text(f"DROP TABLE IF EXISTS {tables} CASCADE"))
            c.execute(text("DROP FUNCTION IF EXISTS gcmap_audit_append_only CASCADE"))
    s.migrate()
    yield s
    s.close()


def test_api_keys_are_hashed_found_and_revoked(store: Any) -> None:
    key_id, secret = store.create_api_key("ci", ["mappings:read"], 1.0)
    assert secret.startswith("gcm_") and len(secret) > 40
    found = store.find_api_key(secret)
    assert found["id"] == key_id and found["scopes"] == ["mappings:read"]
    assert not found["revoked"]
    assert store.find_api_key(secret[:-1] + ("A" if secret[-1] != "A" else "B")) is None
    listed = store.list_api_keys()
    assert [k["id"] for k in listed] == [key_id]
    assert secret not in str(listed)
    assert store.revoke_api_key(key_id, 2.0) is True
    assert store.find_api_key(secret)["revoked"] is True
    assert store.revoke_api_key(key_id, 3.0) is False


def test_runs_claim_one_per_org_heartbeat_finish(store: Any) -> None:
    a1 = store.create_run("org-a", "k1", 1.0)
    a2 = store.create_run("org-a", "k1", 2.0)
    b1 = store.create_run("org-b", "k1", 3.0)
    first = store.claim_run("w1", 30, 10.0)
    assert first["id"] == a1["id"] and first["status"] == "running"
    second = store.claim_run("w2", 30, 10.0)
    assert second["id"] == b1["id"]  # org-a is busy, so its second run waits
    assert store.claim_run("w3", 30, 10.0) is None
    assert store.heartbeat(a1["id"], "w1", 30, 20.0, "crawl", {"pages": 3}) == (True, False)
    assert store.heartbeat(a1["id"], "intruder", 30, 20.0, "crawl", {}) == (False, False)
    assert store.get_run(a1["id"])["progress"] == {"pages": 3}
    assert store.finish_run(a1["id"], "w1", "succeeded", 25.0, summary={"nodes": 5},
                            snapshot_hash="sha256:x")
    done = store.get_run(a1["id"])
    assert done["status"] == "succeeded" and done["summary"] == {"nodes": 5}
    assert store.claim_run("w1", 30, 26.0)["id"] == a2["id"]
    items, total = store.list_runs(10, 0)
    assert total == 3 and [r["id"] for r in items] == [b1["id"], a2["id"], a1["id"]]


def test_expired_leases_fail_cleanly_and_cancel(store: Any) -> None:
    r = store.create_run("org", "k", 1.0)
    store.claim_run("w1", 10, 5.0)
    assert store.reap_expired(14.0) == []
    assert store.reap_expired(16.0) == [r["id"]]
    failed = store.get_run(r["id"])
    assert failed["status"] == "failed" and "lease expired" in failed["error"]
    assert store.finish_run(r["id"], "w1", "succeeded", 17.0) is False  # too late
    q = store.create_run("org", "k", 20.0)
    assert store.request_cancel(q["id"], 21.0) == "cancelled"
    running = store.create_run("org", "k", 22.0)
    store.claim_run("w2", 10, 23.0)
    assert store.request_cancel(running["id"], 24.0) == "running"
    assert store.heartbeat(running["id"], "w2", 10, 25.0, "x", {}) == (True, True)
    assert store.request_cancel("nope", 1.0) is None


def test_snapshots_round_trip(store: Any) -> None:
    store.put_snapshot("sha256:abc", b'{"nodes": [1, 2]}', 1.0)
    store.put_snapshot("sha256:abc", b'{"nodes": [1, 2]}', 2.0)
    assert store.get_snapshot("sha256:abc") == {"nodes": [1, 2]}
    assert store.get_snapshot("sha256:none") is None


def test_audit_chain_appends_and_verifies(store: Any) -> None:
    for i in range(5):
        assert store.append_audit({"action": "mapping.create", "n": i}, float(i)) == i + 1
    v = store.verify_audit()
    assert v.ok and v.rows == 5
    items, total = store.list_audit(2, 0)
    assert total == 5 and [i["seq"] for i in items] == [5, 4]


def test_database_refuses_to_change_the_audit_log(store: Any) -> None:
    if isinstance(store, MemoryStore):
        pytest.skip("the memory store exposes no UPDATE or DELETE at all")
    store.append_audit({"action": "x"}, 1.0)
    for stmt in ("UPDATE audit_log SET record = '{}'", "DELETE FROM audit_log"):
        with pytest.raises(DBAPIError, match="append-only"), store.engine.begin() as c:
            c.execute(text(stmt))
    assert store.verify_audit().ok


def _active_hook(store: Any, types: list[str], org: str | None = None) -> dict[str, Any]:
    hook = store.create_webhook("https://hooks.example/x", types, org, "ci", "whsec_a", 1.0)
    assert hook["status"] == "pending" and "secret" not in hook
    store.set_webhook_status(hook["id"], "active", 2.0)
    return dict(hook)


def test_finished_run_writes_events_and_deliveries_atomically(store: Any) -> None:
    hook = _active_hook(store, ["mapping.completed", "graph.changed"])
    other = _active_hook(store, ["mapping.completed"], org="org-2")
    run = store.create_run("k", "t", 1.0)
    store.claim_run("w", 30, 2.0)
    evs = [{"type": "mapping.completed", "orgId": "org-1", "mappingId": run["id"]},
           {"type": "graph.changed", "orgId": "org-1", "mappingId": run["id"]},
           {"type": "failover.degraded", "orgId": "org-1", "mappingId": run["id"]}]
    assert store.finish_run(run["id"], "w", "succeeded", 3.0, events=evs)
    listed = store.list_events("org-1")
    assert [(e["type"], e["sequence"]) for e in listed] == [
        ("mapping.completed", 1), ("graph.changed", 2), ("failover.degraded", 3)]
    claimed = store.claim_deliveries("d1", 60, 4.0)  # the head of each endpoint's queue
    # While the head is leased, no other worker (or replica) may send to that endpoint.
    claimed += store.claim_deliveries("d2", 60, 4.0)
    assert [c["webhookId"] for c in claimed] == [hook["id"]]  # other: org filter
    assert all(c["secrets"] == ["whsec_a"] for c in claimed)
    assert '"sequence":1' in claimed[0]["body"]
    assert other["id"] not in {c["webhookId"] for c in claimed}
    # A finish that is not ours writes no events.
    assert not store.finish_run(run["id"], "w", "succeeded", 5.0, events=evs)
    assert len(store.list_events("org-1")) == 3


def test_attempts_retry_succeed_fail_and_disable(store: Any) -> None:
    hook = _active_hook(store, ["mapping.completed"])
    store.enqueue_events([{"type": "mapping.completed", "orgId": "o"}], 10.0)
    d = store.claim_deliveries("w", 60, 10.0)[0]
    assert store.record_attempt(d["id"], "intruder", outcome="ok", status=200,
                                latency_ms=1, error="", now=11.0, next_attempt_at=None) is None
    store.record_attempt(d["id"], "w", outcome="failed", status=500, latency_ms=3,
                         error="HTTP 500", now=11.0, next_attempt_at=16.0)
    assert store.claim_deliveries("w", 60, 15.0) == []  # not due yet
    d = store.claim_deliveries("w", 60, 16.0)[0]
    assert d["attempts"] == 1
    store.record_attempt(d["id"], "w", outcome="ok", status=200, latency_ms=2, error="",
                         now=17.0, next_attempt_at=None)
    log, total = store.list_attempts(hook["id"], 10, 0)
    assert total == 2 and [a["outcome"] for a in log] == ["ok", "failed"]
    assert store.get_webhook(hook["id"])["failingSince"] is None
    assert store.delivery_backlog() == 0
    # 410 disables the endpoint, and nothing more is claimed for it.
    store.enqueue_events([{"type": "mapping.completed", "orgId": "o"}] * 2, 20.0)
    d = store.claim_deliveries("w", 60, 20.0, limit=1)[0]
    reason = store.record_attempt(d["id"], "w", outcome="gone", status=410, latency_ms=1,
                                  error="410", now=21.0, next_attempt_at=None)
    assert "410" in reason and store.get_webhook(hook["id"])["status"] == "disabled"
    assert store.claim_deliveries("w", 60, 22.0) == []


def test_failing_for_five_days_disables(store: Any) -> None:
    hook = _active_hook(store, ["mapping.completed"])
    store.enqueue_events([{"type": "mapping.completed", "orgId": "o"}], 0.0)
    day = 86400.0
    for t in (0.0, 2 * day, 5 * day):
        d = store.claim_deliveries("w", 60, t)[0]
        reason = store.record_attempt(d["id"], "w", outcome="failed", status=500,
                                      latency_ms=1, error="x", now=t, next_attempt_at=t + 1)
    assert reason == "failing for 5 days"
    assert store.get_webhook(hook["id"])["status"] == "disabled"


def test_rotation_redelivery_and_recovery(store: Any) -> None:
    hook = _active_hook(store, ["mapping.completed"])
    assert store.rotate_secret(hook["id"], "whsec_b", grace_until=100.0)
    assert store.webhook_secrets(hook["id"], 50.0) == ["whsec_b", "whsec_a"]
    assert store.webhook_secrets(hook["id"], 101.0) == ["whsec_b"]
    [eid] = store.enqueue_events([{"type": "mapping.completed", "orgId": "o"}], 1.0)
    d = store.claim_deliveries("w", 60, 1.0)[0]
    store.record_attempt(d["id"], "w", outcome="failed", status=500, latency_ms=1, error="x",
                         now=2.0, next_attempt_at=None)
    assert store.recover_failed(hook["id"], since=0.0, now=3.0) == 1
    again = store.claim_deliveries("w", 60, 3.0)
    assert [x["eventId"] for x in again] == [eid]
    assert store.redeliver(hook["id"], eid, 4.0) is not None
    assert store.redeliver(hook["id"], "msg_missing", 4.0) is None
    assert store.update_webhook(hook["id"], {"url": "https://new.example/"})["status"] == \
        "pending"
    assert store.delete_webhook(hook["id"]) and store.get_webhook(hook["id"]) is None


def test_a_failing_endpoint_gets_one_probe_per_batch(store: Any) -> None:
    bad = _active_hook(store, ["mapping.completed"])
    good = _active_hook(store, ["mapping.completed"])
    store.enqueue_events([{"type": "mapping.completed", "orgId": "o"}] * 5, 1.0)
    first = store.claim_deliveries("w", 60, 1.0, limit=10)
    d = next(x for x in first if x["webhookId"] == bad["id"])
    store.record_attempt(d["id"], "w", outcome="failed", status=None, latency_ms=15000,
                         error="timeout", now=2.0, next_attempt_at=2.0)
    g = next(x for x in first if x["webhookId"] == good["id"])
    store.record_attempt(g["id"], "w", outcome="ok", status=200, latency_ms=5, error="",
                         now=2.0, next_attempt_at=None)
    batch = store.claim_deliveries("w", 60, 3.0, limit=20)
    by_hook = [x["webhookId"] for x in batch]
    assert by_hook.count(bad["id"]) == 1  # one probe while it is failing
    assert by_hook.count(good["id"]) == 1  # one per endpoint per batch, in order


def test_audit_filters_and_pages(store: Any) -> None:
    from gcmap.storage.common import AuditFilter

    for i in range(12):
        store.append_audit({"action": "POST /api/v1/mappings" if i % 3 else "mapping.run",
                            "actor": {"id": f"k{i % 2}"}, "outcome": 202 if i % 4 else 401,
                            "target": f"mapping:{i}"}, 100.0 + i)
    page, total = store.list_audit(5, 5)
    assert total == 12 and [x["seq"] for x in page] == [7, 6, 5, 4, 3]
    runs, n = store.list_audit(10, 0, filters=AuditFilter(action="mapping.run"))
    assert n == 4 and all(x["action"] == "mapping.run" for x in runs)
    mine, n = store.list_audit(2, 1, filters=AuditFilter(actor="k1", outcome="401"))
    assert n == 0 and mine == []
    k1, n = store.list_audit(2, 1, filters=AuditFilter(actor="k1"))
    assert n == 6 and [x["seq"] for x in k1] == [10, 8]
    recent, n = store.list_audit(50, 0, filters=AuditFilter(since=108.0, action="POST"))
    assert [x["seq"] for x in recent] == [12, 11, 9]


def test_an_endpoint_gets_one_orgs_events_in_sequence_even_when_one_is_retried(
        store: Any) -> None:
    hook = _active_hook(store, ["mapping.completed", "graph.changed"])
    store.enqueue_events([{"type": "mapping.completed", "orgId": "o"},
                          {"type": "graph.changed", "orgId": "o"}], 10.0)
    store.enqueue_events([{"type": "mapping.completed", "orgId": "o"}], 11.0)
    sent: list[int] = []
    now = 12.0
    failed_once: set[str] = set()
    for _ in range(20):
        batch = store.claim_deliveries("w", 60, now)
        assert len(batch) <= 1
        for d in batch:
            seq = int(d["body"].split('"sequence":')[1].split(",")[0].rstrip("}"))
            sent.append(seq)
            if d["eventId"] not in failed_once:  # every event fails its first attempt
                failed_once.add(d["eventId"])
                store.record_attempt(d["id"], "w", outcome="retry", status=503, latency_ms=1,
                                     error="HTTP 503", now=now, next_attempt_at=now + 5)
            else:
                store.record_attempt(d["id"], "w", outcome="ok", status=200, latency_ms=1,
                                     error="", now=now, next_attempt_at=None)
        now += 1
    assert sent == [1, 1, 2, 2, 3, 3]
    assert store.delivery_backlog() == 0
    assert store.get_webhook(hook["id"])["status"] == "active"


def test_a_dead_lettered_event_stops_holding_back_the_next(store: Any) -> None:
    _active_hook(store, ["mapping.completed"])
    store.enqueue_events([{"type": "mapping.completed", "orgId": "o"}] * 2, 10.0)
    first = store.claim_deliveries("w", 60, 10.0)[0]
    assert store.claim_deliveries("w2", 60, 10.0) == []
    store.record_attempt(first["id"], "w", outcome="failed", status=500, latency_ms=1,
                         error="HTTP 500", now=11.0, next_attempt_at=None)  # given up
    nxt = store.claim_deliveries("w", 60, 11.0)
    assert [d["eventId"] != first["eventId"] for d in nxt] == [True]


def test_a_reaped_run_emits_mapping_failed_exactly_once(store: Any) -> None:
    first = store.create_run("org", "k", 1.0)
    store.claim_run("w1", 10, 2.0)
    store.finish_run(first["id"], "w1", "succeeded", 3.0, summary={"orgId": "o-1"},
                     snapshot_hash="sha256:x")
    r = store.create_run("org", "k", 4.0)
    store.claim_run("w2", 10, 5.0)

    def event(run_id: str, org_id: str | None, error: str) -> dict[str, Any]:
        return {"type": "mapping.failed", "orgId": org_id, "mappingId": run_id, "error": error}

    assert store.reap_expired(16.0, event) == [r["id"]]
    assert store.reap_expired(17.0, event) == []  # already failed: no second event
    evs = store.list_events("o-1")
    assert [(e["type"], e["mappingId"], e["sequence"]) for e in evs] == [
        ("mapping.failed", r["id"], 1)]
    assert "lease expired" in evs[0]["error"]


def test_two_migrations_at_once_on_an_empty_postgres_both_succeed() -> None:
    import threading

    errors: list[BaseException] = []
    start = threading.Barrier(2)
    with fresh_pg_database("gcmap_mig") as url:
        def run() -> None:
            store = SqlStore(url)
            try:
                start.wait()
                store.migrate()
            except BaseException as exc:
                errors.append(exc)
            finally:
                store.engine.dispose()

        threads = [threading.Thread(target=run) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        assert errors == []
        check = SqlStore(url)
        assert check.list_runs(1, 0) == ([], 0)
        check.engine.dispose()


def test_deleting_runs_frees_their_snapshots_and_keeps_the_audit_log(store: Any) -> None:
    ids = []
    for i, h in enumerate(["sha256:a", "sha256:b", "sha256:b"]):
        r = store.create_run("org", "k", float(i))
        store.claim_run("w", 30, float(i))
        store.put_snapshot(h, b'{"x":1}', float(i))
        store.finish_run(r["id"], "w", "succeeded", float(i), snapshot_hash=h)
        ids.append(r["id"])
    store.append_audit({"action": "mapping.run"}, 5.0)
    queued = store.create_run("org", "k", 9.0)
    assert store.delete_runs([ids[0], ids[1], queued["id"]]) == (2, 1)  # b is still used
    assert store.get_snapshot_bytes("sha256:a") is None
    assert store.get_snapshot_bytes("sha256:b") == b'{"x":1}'
    assert {r["id"] for r in store.all_runs()} == {ids[2], queued["id"]}
    assert store.verify_audit().rows == 1


def test_a_run_keeps_its_audit_records_and_an_org_its_last_document(store: Any) -> None:
    records = [{"id": "r1", "entityType": "Queue", "action": "Update",
                "entity": {"id": "q1", "name": "Sales"}}]
    run = store.create_run("org", "change-watch", 1.0, records)
    assert store.get_run(run["id"])["changes"] == records
    assert store.create_run("org", "user", 2.0)["changes"] is None
    assert store.get_org_state("org") is None
    doc = {"/api/v2/routing/queues": [{"id": "q1", "name": "Sales"}]}
    store.put_org_state("org", doc, run["id"], 3.0)
    assert store.get_org_state("org") == (doc, run["id"])
    store.put_org_state("org", None, run["id"], 4.0)  # a partial read is no base
    assert store.get_org_state("org") is None


def test_the_kept_org_document_is_sealed_at_rest_and_goes_with_its_org(store: Any) -> None:
    org = store.create_org("A", "mypurecloud.com", None, "cid", "csecret", 1.0)
    secret_text = "Bearer hard-coded-token-in-a-data-action"
    store.put_org_state(org["id"], {"/api/v2/integrations/actions": [
        {"id": "a1", "config": {"request": {"headers": {"Authorization": secret_text}}}}]},
        "run1", 2.0)
    if hasattr(store, "engine"):
        from gcmap.storage.schema import org_states

        with store.engine.connect() as c:
            [body] = [r.body for r in c.execute(org_states.select()).all()]
        assert body.startswith(b"enc:v1:") and secret_text.encode() not in body
    assert store.get_org_state(org["id"]) is not None
    assert store.delete_org(org["id"])
    assert store.get_org_state(org["id"]) is None
