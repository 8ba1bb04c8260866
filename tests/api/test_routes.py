"""Every route, the authorization matrix, error shapes and the audit trail."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from gcmap.api.app import create_app
from gcmap.container import build_container
from gcmap.settings import GcmapSettings
from gcsim import generate_org


@pytest.fixture(scope="module")
def org_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    p = tmp_path_factory.mktemp("org") / "org.json"
    p.write_text(json.dumps(generate_org("small", 6)))
    return p


@pytest.fixture()
def service(org_file: Path) -> Iterator[tuple[TestClient, Any]]:
    # Every request looks its key up (no key cache): revocation shows at once.
    settings = GcmapSettings(database_url="memory://", org_file=str(org_file), workers=1,
                             api_rate_per_min=6000, api_key_cache_s=0)
    container = build_container(settings)
    with TestClient(create_app(container)) as client:
        yield client, container


def key(container: Any, *scopes: str) -> dict[str, str]:
    _, secret = container.store.create_api_key("test", list(scopes), time.time())
    return {"Authorization": f"Bearer {secret}"}


def wait_done(client: TestClient, run_id: str, headers: dict[str, str]) -> dict[str, Any]:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        body = client.get(f"/api/v1/mappings/{run_id}", headers=headers).json()
        if body["status"] in ("succeeded", "failed", "cancelled"):
            return dict(body)
        time.sleep(0.05)
    raise AssertionError("mapping did not finish")


def test_mapping_lifecycle_and_every_read_route(service: Any) -> None:
    client, container = service
    w = key(container, "mappings:write", "mappings:read")
    res = client.post("/api/v1/mappings", headers=w)
    assert res.status_code == 202
    run_id = res.json()["id"]
    run = wait_done(client, run_id, w)
    assert run["status"] == "succeeded", run
    assert run["summary"]["nodes"] > 500 and run["findings"]
    assert 0 < run["summary"]["resolutionAccuracy"] <= 1
    listed = client.get("/api/v1/mappings?limit=5", headers=w).json()
    # The service's own first mapping (started with it), then ours.
    assert listed["total"] == 2 and listed["items"][0]["id"] == run_id
    assert listed["items"][1]["requestedBy"] == "service start"
    doc = client.get(f"/api/v1/mappings/{run_id}/graph", headers=w).json()
    assert doc["snapshotHash"] == run["snapshotHash"]
    dot = client.get(f"/api/v1/mappings/{run_id}/graph?format=dot", headers=w)
    assert dot.text.startswith("digraph")
    mer = client.get(f"/api/v1/mappings/{run_id}/graph?format=mermaid", headers=w)
    assert mer.status_code == 400 and "neighbourhood" in mer.json()["error"]["message"]
    f = client.get(f"/api/v1/mappings/{run_id}/findings?severity=error", headers=w).json()
    assert f["total"] > 0 and all(x["severity"] == "error" for x in f["items"])
    fo = client.get(f"/api/v1/mappings/{run_id}/failover", headers=w).json()
    assert all(x["rule"].startswith("failover.") for x in fo["items"]) and fo["total"]
    queue = next(n["key"] for n in doc["nodes"] if n["type"] == "queue")
    imp = client.get(f"/api/v1/mappings/{run_id}/impact", headers=w,
                     params={"node": queue, "depth": 2, "direction": "uses"}).json()
    assert imp["node"] == queue and imp["count"] > 0
    assert client.get(f"/api/v1/mappings/{run_id}/impact?node=queue:none",
                      headers=w).status_code == 404
    second = client.post("/api/v1/mappings", headers=w).json()["id"]
    wait_done(client, second, w)
    d = client.get(f"/api/v1/mappings/{second}/diff?against={run_id}", headers=w).json()
    assert d["empty"] is True  # the same org file
    cmp = client.post("/api/v1/compare", headers=w, json={"a": run_id, "b": second}).json()
    assert cmp["matched"] > 500 and cmp["different"] == [] and cmp["onlyInA"] == []
    bad = client.post("/api/v1/compare", headers=w, json={"a": run_id, "against": second})
    assert bad.status_code == 422 and "'against'" in bad.json()["error"]["message"]
    stats = client.get("/api/v1/stats", headers=w).json()
    assert stats["mappings"] == 3 and stats["successRate"] == 1.0  # the first is the service's
    assert 0 < stats["averageResolutionAccuracy"] <= 1
    assert client.post(f"/api/v1/mappings/{run_id}/cancel", headers=w).status_code == 409
    metrics = client.get("/metrics").text
    assert 'gcmap_mappings_total{outcome="succeeded"} 3.0' in metrics
    assert "gcmap_http_requests_total" in metrics


@pytest.mark.parametrize(("header", "status"), [
    (None, 401), ("Bearer nope", 401), ("Basic abc", 401)])
def test_missing_or_bad_key_is_401(service: Any, header: str | None, status: int) -> None:
    client, _ = service
    res = client.get("/api/v1/mappings", headers={"Authorization": header} if header else {})
    assert res.status_code == status
    assert set(res.json()["error"]) == {"code", "message"}


def test_revoked_and_wrong_scope(service: Any) -> None:
    client, container = service
    reader = key(container, "mappings:read")
    assert client.get("/api/v1/mappings", headers=reader).status_code == 200
    res = client.post("/api/v1/mappings", headers=reader)
    assert res.status_code == 403 and "mappings:write" in res.json()["error"]["message"]
    assert client.get("/api/v1/audit", headers=reader).status_code == 403
    key_id = container.store.find_api_key(reader["Authorization"][7:])["id"]
    container.store.revoke_api_key(key_id, time.time())
    assert client.get("/api/v1/mappings", headers=reader).status_code == 401
    admin = key(container, "admin")
    assert client.get("/api/v1/audit", headers=admin).status_code == 200


def test_a_write_looks_its_key_up_once(service: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    client, container = service
    writer = key(container, "mappings:write", "mappings:read")
    lookups: list[str] = []
    find = container.store.find_api_key

    def counting(secret: str) -> Any:
        lookups.append(secret)
        return find(secret)

    monkeypatch.setattr(container.store, "find_api_key", counting)
    res = client.post("/api/v1/mappings", headers=writer)
    assert res.status_code == 202
    assert len(lookups) == 1
    assert client.get("/api/v1/mappings", headers=writer).status_code == 200
    assert len(lookups) == 2


def test_the_key_cache_spares_lookups_and_ends_a_revoked_key_after_its_ttl(
        org_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    now = [1000.0]
    container = build_container(GcmapSettings(database_url="memory://", org_file=str(org_file),
                                              workers=0, api_key_cache_s=2))
    container.clock = lambda: now[0]
    reader = key(container, "mappings:read")
    lookups: list[str] = []
    find = container.store.find_api_key
    monkeypatch.setattr(container.store, "find_api_key",
                        lambda secret: lookups.append(secret) or find(secret))
    with TestClient(create_app(container)) as client:
        for _ in range(3):
            assert client.get("/api/v1/mappings", headers=reader).status_code == 200
        assert len(lookups) == 1
        container.store.revoke_api_key(find(reader["Authorization"][7:])["id"], now[0])
        now[0] += 1.5
        assert client.get("/api/v1/mappings", headers=reader).status_code == 200
        now[0] += 1.0  # past the 2 s: looked up again, and refused
        assert client.get("/api/v1/mappings", headers=reader).status_code == 401


def test_size_type_and_rate_limits(org_file: Path) -> None:
    settings = GcmapSettings(database_url="memory://", org_file=str(org_file), workers=0,
                             api_rate_per_min=6, max_request_bytes=2048)
    container = build_container(settings)
    with TestClient(create_app(container, start_workers=False)) as client:
        w = key(container, "mappings:write", "mappings:read")
        # Size is judged first, while the body streams, whatever its type.
        big = client.post("/api/v1/mappings", headers=w, content=b"{" + b" " * 5000 + b"}")
        assert big.status_code == 413
        big = client.post("/api/v1/mappings", headers={**w, "Content-Type":
                                                       "application/json"},
                          content=b"{" + b" " * 5000 + b"}")
        assert big.status_code == 413
        wrong = client.post("/api/v1/mappings", headers={**w, "Content-Type": "text/plain"},
                            content=b"hi")
        assert wrong.status_code == 415
        assert client.get("/api/v1/mappings", headers=w).status_code == 200
        limited = client.get("/api/v1/mappings", headers=w)
        assert limited.status_code == 429 and int(limited.headers["Retry-After"]) >= 1


def test_every_write_is_audited_with_the_actor_and_no_secret(service: Any) -> None:
    client, container = service
    w = key(container, "mappings:write")
    secret = w["Authorization"][7:]
    client.post("/api/v1/mappings", headers=w)
    client.post("/api/v1/mappings", headers={"Authorization": "Bearer forged"})
    audit = client.get("/api/v1/audit", headers=key(container, "audit:read")).json()
    http = [i for i in audit["items"] if i["action"].startswith("POST")]
    assert {i["outcome"] for i in http} == {202}
    ok = next(i for i in http if i["outcome"] == 202)
    assert ok["actor"]["name"] == "test" and ok["requestId"]
    assert secret not in json.dumps(audit) and "forged" not in json.dumps(audit)
    assert container.store.verify_audit().ok
    reader = key(container, "audit:read")
    # An unknown key is refused before its body is read and audited as a refusal.
    refused = client.get("/api/v1/audit?outcome=401&action=auth.refused",
                         headers=reader).json()
    assert refused["total"] == 1 and refused["items"][0]["actor"]["id"] is None
    assert refused["items"][0]["details"]["reason"] == "unknown key"
    by_key = client.get(f"/api/v1/audit?actor={ok['actor']['id']}", headers=reader).json()
    assert by_key["total"] == 1
    later = client.get("/api/v1/audit?since=2999-01-01T00:00:00Z", headers=reader).json()
    assert later["total"] == 0


def test_unknown_mapping_and_bad_params(service: Any) -> None:
    client, container = service
    r = key(container, "mappings:read")
    assert client.get("/api/v1/mappings/nope", headers=r).status_code == 404
    bad = client.get("/api/v1/mappings?limit=0", headers=r)
    assert bad.status_code == 400 and "limit" in bad.json()["error"]["message"]


def test_health_and_readiness(service: Any) -> None:
    client, _ = service
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.json()["database"] is True
