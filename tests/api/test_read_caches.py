"""What the read caches promise: a run still in progress is always read fresh; a finished
run deleted by retention is gone once GCMAP_RUN_CACHE_S has passed; an answer kept for
later clients is the same JSON, compressed or not."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from gcmap.api.app import create_app
from tests.simhelpers import mapped_service


def _reader(container: Any) -> dict[str, str]:
    _, secret = container.store.create_api_key("r", ["mappings:read"], time.time())
    return {"Authorization": f"Bearer {secret}"}


def test_a_running_run_is_read_fresh_and_a_deleted_one_goes_after_the_ttl(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    now = [1000.0]
    container, done, _ = mapped_service(tmp_path, run_cache_s=2)
    container.clock = lambda: now[0]
    auth = _reader(container)
    lookups: list[str] = []
    get_run = container.store.get_run
    monkeypatch.setattr(container.store, "get_run",
                        lambda run_id: lookups.append(run_id) or get_run(run_id))
    queued = container.store.create_run(container.org_key, "test", now[0])["id"]
    with TestClient(create_app(container, start_workers=False)) as client:
        for _ in range(3):
            assert client.get(f"/api/v1/mappings/{done}?view=summary",
                              headers=auth).json()["status"] == "succeeded"
        assert lookups.count(done) == 1  # finished: held
        assert client.get(f"/api/v1/mappings/{queued}", headers=auth).json()["status"] \
            == "queued"
        claimed = container.store.claim_run("w1", 30, now[0])
        assert claimed is not None and claimed["id"] == queued
        # Not finished: never held, so the change shows on the very next read.
        assert client.get(f"/api/v1/mappings/{queued}", headers=auth).json()["status"] \
            == "running"
        assert lookups.count(queued) == 2

        container.store.delete_runs([done])  # retention, in this or another process
        now[0] += 1.5
        assert client.get(f"/api/v1/mappings/{done}?view=summary",
                          headers=auth).status_code == 200
        now[0] += 1.0
        gone = client.get(f"/api/v1/mappings/{done}?view=summary", headers=auth)
        assert (gone.status_code, gone.json()["error"]["code"]) == (404, "not_found")


def test_a_kept_answer_is_the_same_json_compressed_or_not(tmp_path: Path) -> None:
    container, run, doc = mapped_service(tmp_path)
    auth = _reader(container)
    url = f"/api/v1/mappings/{run}/findings?limit=5000"
    with TestClient(create_app(container, start_workers=False)) as client:
        made = client.get(url, headers={**auth, "Accept-Encoding": "identity"})
        kept_plain = client.get(url, headers={**auth, "Accept-Encoding": "identity"})
        kept_gzip = client.get(url, headers={**auth, "Accept-Encoding": "gzip"})
    assert made.json()["items"] == doc["findings"] and len(made.content) > 2048
    assert kept_plain.content == made.content
    assert "Content-Encoding" not in kept_plain.headers
    assert kept_gzip.headers["Content-Encoding"] == "gzip"
    assert kept_gzip.headers["Vary"] == "Accept-Encoding"
    assert kept_gzip.headers["ETag"] == made.headers["ETag"]
    assert json.loads(kept_gzip.content) == made.json()  # the client decoded it
    assert int(kept_gzip.headers["Content-Length"]) < len(made.content) / 3


def test_metrics_tell_where_each_answer_came_from(tmp_path: Path) -> None:
    container, run, _ = mapped_service(tmp_path)
    auth = _reader(container)
    url = f"/api/v1/mappings/{run}/findings?limit=7"
    with TestClient(create_app(container, start_workers=False)) as client:
        first = client.get(url, headers=auth)
        client.get(url, headers=auth)
        client.get(url, headers=auth)
        client.get(url, headers={**auth, "If-None-Match": first.headers["ETag"]})
        text = client.get("/metrics").text
    route = "/api/v1/mappings/{run_id}/findings"
    counts = {source: f'gcmap_http_answers_total{{route="{route}",source="{source}"}}'
              for source in ("made", "cache", "not_modified")}
    lines = {line.rsplit(" ", 1)[0]: float(line.rsplit(" ", 1)[1])
             for line in text.splitlines() if line.startswith("gcmap_http_answers_total{")}
    assert {s: lines.get(name) for s, name in counts.items()} == {
        "made": 1.0, "cache": 2.0, "not_modified": 1.0}
