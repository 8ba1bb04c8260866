"""One contract suite for every store: memory, SQLite and the local PostgreSQL."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError

from gcmap.storage import MemoryStore, SqlStore, open_store

PG_ADMIN = os.environ.get("GCMAP_TEST_PG_DSN",
                          "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def _pg_available() -> bool:
    try:
        with create_engine(PG_ADMIN).connect() as c:
            c.execute(text("SELECT 1"))
        return True
    except Exception:
        return False


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    if not _pg_available():
        pytest.skip("PostgreSQL is not reachable at GCMAP_TEST_PG_DSN")
    name = f"gcmap_test_{secrets.token_hex(4)}"
    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))
    yield PG_ADMIN.rsplit("/", 1)[0] + "/" + name
    with admin.connect() as c:
        c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(params=["memory", "sqlite", "postgres"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Any]:
    if request.param == "memory":
        s: Any = MemoryStore()
    elif request.param == "sqlite":
        s = open_store(f"sqlite:///{tmp_path}/gcmap.db")
    else:
        url = request.getfixturevalue("pg_url")
        s = SqlStore(url)
        with s.engine.begin() as c:  # a clean schema per test
            c.execute(text("DROP TABLE IF EXISTS api_keys, mappings, snapshots, "
                           "alembic_version CASCADE"))
            c.execute(text("DROP TABLE IF EXISTS audit_log CASCADE"))
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
