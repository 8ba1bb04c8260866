"""`gcmap serve` keeps its promises at start: the first mapping starts with it, and a setting
it cannot use ends start-up with one line and exit 2, before anything is served."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from gcmap.storage import SqlStore
from gcsim import generate_org
from tests.e2e.test_service_processes import Service

pytestmark = pytest.mark.xdist_group("processes")


def _serve(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "gcmap", "serve", *args],
                          env={**os.environ, **env}, capture_output=True, text=True,
                          timeout=60)


def test_the_first_mapping_starts_when_the_service_does(tmp_path: Path) -> None:
    org = tmp_path / "org.json"
    org.write_text(json.dumps(generate_org("tiny", 1)))
    db = f"sqlite:///{tmp_path}/g.db"
    svc = Service({"GCMAP_DATABASE_URL": db, "GCMAP_ORG_FILE": str(org),
                   "GCMAP_WATCH_POLL_S": "0"})
    try:
        store = SqlStore(db)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            runs, _ = store.list_runs(5, 0)
            if runs and runs[0]["status"] == "succeeded":
                break
            time.sleep(0.2)
        assert [(r["status"], r["requestedBy"]) for r in runs] == [
            ("succeeded", "service start")]
    finally:
        svc.kill()


@pytest.mark.parametrize(("env", "says"), [
    ({"GCMAP_ORG_FILE": "/nonexistent/org.json"}, "GCMAP_ORG_FILE /nonexistent/org.json is "
     "not a file"),
    ({"GCMAP_DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none"}, "cannot use the "
     "database"),
    ({"GCMAP_WORKERS": "99"}, "bad setting GCMAP_WORKERS"),
    ({"GCMAP_WROKERS": "2"}, "unknown setting GCMAP_WROKERS; did you mean GCMAP_WORKERS?"),
])
def test_a_setting_it_cannot_use_ends_start_up_with_one_line(
        env: dict[str, str], says: str, tmp_path: Path) -> None:
    res = _serve({"GCMAP_DATA_DIR": str(tmp_path), **env}, "--port", "0")
    assert res.returncode == 2
    lines = [ln for ln in res.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and says in lines[0], res.stderr
    assert "serving on" not in res.stderr


def test_a_busy_port_ends_start_up_with_one_line(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        res = _serve({"GCMAP_DATA_DIR": str(tmp_path)}, "--port", str(port))
    assert res.returncode == 2
    assert f"cannot listen on 127.0.0.1:{port}" in res.stderr and "--port" in res.stderr
    assert len([ln for ln in res.stderr.splitlines() if ln.strip()]) == 1
