"""Tampering with a copy of the audit log is caught at the first bad record."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from gcmap.storage import SqlStore


@pytest.fixture()
def audit_copy(tmp_path: Path) -> Path:
    store = SqlStore(f"sqlite:///{tmp_path}/live.db")
    store.migrate()
    for i in range(10):
        store.append_audit({"action": "mapping.create", "n": i, "actor": "key-1"}, float(i))
    assert store.verify_audit().ok
    store.close()
    copy = tmp_path / "copy.db"
    shutil.copy(tmp_path / "live.db", copy)
    with sqlite3.connect(copy) as db:  # an attacker with file access drops the triggers
        db.execute("DROP TRIGGER audit_no_update")
        db.execute("DROP TRIGGER audit_no_delete")
    return copy


def _verify(path: Path) -> tuple[bool, int | None]:
    store = SqlStore(f"sqlite:///{path}")
    v = store.verify_audit()
    store.close()
    return v.ok, v.first_bad_seq


def test_edited_record(audit_copy: Path) -> None:
    with sqlite3.connect(audit_copy) as db:
        db.execute("""UPDATE audit_log SET record = replace(record, '"n": 4', '"n": 40')
                      WHERE seq = 5""")
    assert _verify(audit_copy) == (False, 5)


def test_deleted_record(audit_copy: Path) -> None:
    with sqlite3.connect(audit_copy) as db:
        db.execute("DELETE FROM audit_log WHERE seq = 7")
    assert _verify(audit_copy) == (False, 8)


def test_reordered_records(audit_copy: Path) -> None:
    with sqlite3.connect(audit_copy) as db:
        db.execute("UPDATE audit_log SET seq = -3 WHERE seq = 3")
        db.execute("UPDATE audit_log SET seq = 3 WHERE seq = 4")
        db.execute("UPDATE audit_log SET seq = 4 WHERE seq = -3")
    assert _verify(audit_copy) == (False, 3)


def test_rehashed_forgery_breaks_the_next_link(audit_copy: Path) -> None:
    import json

    from gcmap.storage.common import chain_hash

    with sqlite3.connect(audit_copy) as db:
        seq, prev = 6, db.execute("SELECT hash FROM audit_log WHERE seq = 5").fetchone()[0]
        forged = {"action": "mapping.create", "n": 99, "actor": "key-1"}
        db.execute("UPDATE audit_log SET record = ?, hash = ? WHERE seq = 6",
                   (json.dumps(forged, sort_keys=True), chain_hash(prev, seq, forged)))
    assert _verify(audit_copy) == (False, 7)
