"""The /api/v1/webhooks routes."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from gcmap.api.app import create_app
from gcmap.api.webhooks import ALL_TYPES
from gcmap.container import build_container
from gcmap.domain.events import EVENT_TYPES
from gcmap.services.pipeline import MappingPipeline
from gcmap.settings import GcmapSettings


@pytest.fixture()
def api() -> Iterator[tuple[TestClient, Any, dict[str, str]]]:
    container = build_container(GcmapSettings(database_url="memory://", workers=0,
                                              outbound_allow_cidrs="127.0.0.0/8",
                                              deliver_webhooks=False))
    _, key = container.store.create_api_key("ops", ["webhooks:admin"], time.time())
    with TestClient(create_app(container, start_workers=False)) as client:
        yield client, container, {"Authorization": f"Bearer {key}"}


def test_event_types_in_the_api_match_the_domain() -> None:
    assert tuple(ALL_TYPES) == EVENT_TYPES


def test_crud_rotate_and_delivery_controls(api: Any) -> None:
    client, container, h = api
    res = client.post("/api/v1/webhooks", headers=h, json={
        "url": "http://127.0.0.1:9/hook", "eventTypes": ["graph.changed"],
        "description": "terraform"})
    assert res.status_code == 201
    hook = res.json()
    assert hook["secret"].startswith("whsec_") and hook["status"] == "pending"
    wid = hook["id"]
    got = client.get(f"/api/v1/webhooks/{wid}", headers=h).json()
    assert "secret" not in got and got["eventTypes"] == ["graph.changed"]
    assert client.get("/api/v1/webhooks", headers=h).json()["total"] == 1
    patched = client.patch(f"/api/v1/webhooks/{wid}", headers=h,
                           json={"eventTypes": ["mapping.completed", "graph.changed"]}).json()
    assert patched["eventTypes"] == ["graph.changed", "mapping.completed"]
    rot = client.post(f"/api/v1/webhooks/{wid}/rotate-secret", headers=h,
                      json={"graceSeconds": 3600}).json()
    assert rot["secret"] != hook["secret"]
    assert container.store.webhook_secrets(wid, time.time()) == [rot["secret"], hook["secret"]]
    [eid] = container.store.enqueue_events([{"type": "graph.changed", "orgId": "o"}],
                                           time.time())
    assert client.post(f"/api/v1/webhooks/{wid}/redeliver", headers=h,
                       json={"eventId": eid}).status_code == 202
    assert client.post(f"/api/v1/webhooks/{wid}/redeliver", headers=h,
                       json={"eventId": "msg_nope"}).status_code == 404
    rec = client.post(f"/api/v1/webhooks/{wid}/recover", headers=h,
                      json={"since": "2020-01-01T00:00:00Z"}).json()
    assert rec["requeued"] == 0
    assert client.get(f"/api/v1/webhooks/{wid}/deliveries", headers=h).json()["total"] == 0
    assert client.post(f"/api/v1/webhooks/{wid}/verify", headers=h).status_code == 202
    assert client.delete(f"/api/v1/webhooks/{wid}", headers=h).status_code == 204
    assert client.get(f"/api/v1/webhooks/{wid}", headers=h).status_code == 404


@pytest.mark.parametrize(("body", "fix"), [
    ({"url": "http://10.0.0.5/hook"}, "GCMAP_OUTBOUND_ALLOW_CIDRS"),
    ({"url": "http://169.254.169.254/latest"}, "link-local"),
    ({"url": "ftp://example.com/x"}, "url"),
    ({"url": "http://127.0.0.1:9/x", "eventTypes": ["mapping.exploded"]}, "eventTypes"),
])
def test_bad_registrations_are_refused_with_the_reason(api: Any, body: dict[str, Any],
                                                       fix: str) -> None:
    client, container, h = api
    res = client.post("/api/v1/webhooks", headers=h, json=body)
    assert res.status_code == 400
    assert fix in res.json()["error"]["message"]
    assert container.store.list_webhooks() == []


def test_webhooks_need_the_admin_scope(api: Any) -> None:
    client, container, _ = api
    _, reader = container.store.create_api_key("r", ["mappings:read"], time.time())
    res = client.get("/api/v1/webhooks", headers={"Authorization": f"Bearer {reader}"})
    assert res.status_code == 403


def test_service_runs_probe_registered_webhook_urls(tmp_path: Any) -> None:
    import json
    import socket

    from gcmap.services.runs import MappingWorker
    from gcsim import generate_org

    org_file = tmp_path / "org.json"
    org_file.write_text(json.dumps(generate_org("tiny", 1, weaknesses=False)))
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()
    container = build_container(GcmapSettings(
        database_url="memory://", workers=0, org_file=str(org_file), probe_in_runs=True,
        outbound_allow_cidrs="127.0.0.0/8", probe_attempts=1, probe_timeout=0.5))
    container.store.create_webhook(f"http://127.0.0.1:{port}/hook", ["graph.changed"], None,
                                   "", "whsec_" + "A" * 44, time.time())
    container.store.create_run(container.org_key, "t", time.time())
    MappingWorker(container.store, container.reader,
                  pipeline=MappingPipeline(probe=container.probe)).run_once()
    run = container.store.list_runs(1, 0)[0][0]
    doc = container.store.get_snapshot(run["snapshotHash"])
    urls = {e["url"]: e for e in doc["stats"]["endpoints"]}
    assert urls[f"http://127.0.0.1:{port}/hook"]["error"] == "connect"
    assert any(f["rule"] == "failover.endpoint-unreachable" for f in doc["findings"])


@pytest.mark.parametrize(("body", "named", "meant"), [
    ({"url": "http://127.0.0.1:9/h", "events": ["graph.changed"]}, "events", "eventTypes"),
    ({"url": "http://127.0.0.1:9/h", "eventtypes": ["graph.changed"]}, "eventtypes",
     "eventTypes"),
    ({"url": "http://127.0.0.1:9/h", "secret": "whsec_mine"}, "secret", None),
])
def test_unknown_body_fields_are_refused_naming_the_field_meant(
        api: Any, body: dict[str, Any], named: str, meant: str | None) -> None:
    client, container, h = api
    res = client.post("/api/v1/webhooks", headers=h, json=body)
    assert res.status_code == 422
    err = res.json()["error"]
    assert err["code"] == "unknown_field" and repr(named) in err["message"]
    if meant:
        assert f"did you mean {meant!r}?" in err["message"]
    assert container.store.list_webhooks() == []  # nothing was created


def test_unknown_query_parameters_are_refused(api: Any) -> None:
    client, _, h = api
    res = client.get("/api/v1/webhooks?limt=5", headers=h)
    assert res.status_code == 422
    assert res.json()["error"]["code"] == "unknown_parameter"
    assert "'limt'" in res.json()["error"]["message"]
    assert client.get("/api/v1/webhooks", headers=h).status_code == 200


def test_a_patch_that_loses_a_race_with_delete_answers_404(api: Any, monkeypatch: Any) -> None:
    client, container, h = api
    wid = client.post("/api/v1/webhooks", headers=h,
                      json={"url": "http://127.0.0.1:9/h"}).json()["id"]
    store = container.store
    real = store.update_webhook

    def deleted_meanwhile(w: str, fields: dict[str, Any]) -> Any:
        store.delete_webhook(w)  # the DELETE lands between the existence check and the write
        return real(w, fields)

    monkeypatch.setattr(store, "update_webhook", deleted_meanwhile)
    res = client.patch(f"/api/v1/webhooks/{wid}", headers=h, json={"description": "x"})
    assert res.status_code == 404 and res.json()["error"]["code"] == "not_found"
