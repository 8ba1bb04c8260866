"""Many orgs in one service: three gcsim orgs registered over the API, each mapped with its
own credentials; their secrets sealed and never shown, logged or exported."""

from __future__ import annotations

import json
import logging
import time
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from gcmap.api.app import create_app
from gcmap.container import build_container
from gcmap.settings import GcmapSettings
from gcsim import SimConfig, SimServer, generate_org
from tests.keys import TEST_SECRET_KEY


def _wait(client: TestClient, ids: list[str], headers: dict[str, str]) -> list[dict[str, Any]]:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        runs = [client.get(f"/api/v1/mappings/{i}?view=summary", headers=headers).json()
                for i in ids]
        if all(r["status"] in ("succeeded", "failed", "cancelled") for r in runs):
            return runs
        time.sleep(0.1)
    raise AssertionError("mappings did not finish")


def test_three_orgs_are_registered_mapped_and_listed(tmp_path: Path,
                                                     caplog: pytest.LogCaptureFixture,
                                                     capfd: pytest.CaptureFixture[str]) -> None:
    caplog.set_level(logging.DEBUG)
    orgs = [generate_org("tiny", seed) for seed in (11, 12, 13)]
    secrets = [f"canary-{seed}-b7e1c2" for seed in (11, 12, 13)]
    sims = [SimServer(o, SimConfig(rate_limit=0, client_id=f"client-{i}",
                                   client_secret=secrets[i]))
            for i, o in enumerate(orgs)]
    for s in sims:
        s.start()
    default_org = tmp_path / "default.json"
    default_org.write_text(json.dumps(generate_org("tiny", 1)))
    db = tmp_path / "fleet.db"
    container = build_container(GcmapSettings(
        database_url=f"sqlite:///{db}", org_file=str(default_org), workers=1,
        rate_per_min=0, secret_key=TEST_SECRET_KEY))
    _, admin = container.store.create_api_key("ops", ["admin"], time.time())
    _, reader = container.store.create_api_key("viewer", ["mappings:read"], time.time())
    h, r = {"Authorization": f"Bearer {admin}"}, {"Authorization": f"Bearer {reader}"}
    try:
        with TestClient(create_app(container)) as client:
            made = []
            for i, sim in enumerate(sims):
                res = client.post("/api/v1/orgs", headers=h, json={
                    "name": f"Customer {i}", "environment": "mypurecloud.com",
                    "baseUrl": sim.base_url, "clientId": f"client-{i}",
                    "clientSecret": secrets[i]})
                assert res.status_code == 201, res.text
                made.append(res.json())
            again = client.post("/api/v1/orgs", headers=h, json={
                "name": "Customer 0", "clientId": "x", "clientSecret": "y"})
            assert again.status_code == 409
            denied = client.post("/api/v1/orgs", headers=r, json={
                "name": "Other", "clientId": "x", "clientSecret": "y"})
            assert denied.status_code == 403
            runs = _wait(client, [m["mappingId"] for m in made], h)
            assert [x["status"] for x in runs] == ["succeeded"] * 3
            # Each run read its own org, with its own credentials.
            ids = [o["/api/v2/organizations/me"]["id"] for o in orgs]
            assert [x["summary"]["orgId"] for x in runs] == ids
            second = client.post("/api/v1/mappings", headers=h, json={"org": made[1]["id"]})
            assert second.status_code == 202
            [done] = _wait(client, [second.json()["id"]], h)
            assert done["summary"]["orgId"] == ids[1]
            assert client.post("/api/v1/mappings", headers=h,
                               json={"org": "org_none"}).status_code == 404
            # A key limited to one org sees only it; another org's mapping is not there.
            _, one = container.store.create_api_key("customer 0", ["mappings:read",
                                                                   "mappings:write"],
                                                    time.time(), [made[0]["id"]])
            o = {"Authorization": f"Bearer {one}"}
            mine, theirs = made[0]["mappingId"], made[1]["mappingId"]
            assert client.get(f"/api/v1/mappings/{mine}", headers=o).status_code == 200
            for path in (f"/api/v1/mappings/{theirs}", f"/api/v1/mappings/{theirs}/graph",
                         f"/api/v1/mappings/{theirs}/findings"):
                res = client.get(path, headers=o)
                assert res.status_code == 404 and "Customer" not in res.text, path
            assert client.post("/api/v1/compare", headers=o,
                               json={"a": mine, "b": theirs}).status_code == 404
            assert client.post("/api/v1/mappings", headers=o,
                               json={"org": made[1]["id"]}).status_code == 404
            visible = client.get("/api/v1/mappings?limit=200", headers=o).json()
            assert {m["id"] for m in visible["items"]} == {mine} and visible["total"] == 1
            assert [x["name"] for x in client.get("/api/v1/orgs", headers=o).json()[
                "items"]] == ["Customer 0"]
            listed = client.get("/api/v1/orgs", headers=r).json()
            assert [o["name"] for o in listed["items"][1:]] == [
                "Customer 0", "Customer 1", "Customer 2"]
            assert all(o["lastMapping"]["status"] == "succeeded" for o in listed["items"][1:])
            # Failover health at a glance: tiny weak orgs carry planted failover weaknesses.
            assert all(o["lastMapping"]["failoverFindings"] > 0 for o in listed["items"][1:])
            shown = json.dumps(listed) + client.get("/metrics").text
            # The audit log says which org each action touched.
            audit = container.store.list_audit(1000, 0)[0]
            started = [x for x in audit if x["action"] == "POST /api/v1/mappings"
                       and x["outcome"] == 202]
            assert [x["details"]["org"] for x in started] == [made[1]["id"]]
            ran = {x["details"]["org"] for x in audit if x["action"] == "mapping.run"}
            assert {m["id"] for m in made} <= ran
            removed = client.delete(f"/api/v1/orgs/{made[2]['id']}", headers=h)
            assert removed.status_code == 204
            assert client.delete(f"/api/v1/orgs/{made[2]['id']}", headers=h).status_code == 404
    finally:
        for s in sims:
            s.stop()
    container.store.engine.dispose()  # type: ignore[attr-defined]
    stored = db.read_bytes()
    printed = "".join(capfd.readouterr())
    assert "http request" in printed  # the service's own log lines were captured
    for secret in secrets:
        assert secret not in printed
        assert secret not in shown
        assert secret.encode() not in stored
        assert secret not in caplog.text
