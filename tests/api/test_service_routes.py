"""What-if and resilience over HTTP: the CLI's JSON, key checks and scopes."""

from __future__ import annotations

import time
from pathlib import Path

from fastapi.testclient import TestClient

from gcmap.api.app import create_app
from gcmap.domain.service_model import model_from_document
from gcmap.domain.service_paths import whatif
from gcsim.orgs import plants_of
from tests.simhelpers import mapped_service


def test_whatif_and_resilience_answer_as_the_cli_does(tmp_path: Path) -> None:
    container, mapping, _ = mapped_service(tmp_path, api_rate_per_min=6000)
    _, read = container.store.create_api_key("r", ["mappings:read"], time.time())
    _, audit = container.store.create_api_key("a", ["audit:read"], time.time())
    h = {"Authorization": f"Bearer {read}"}
    [queue_plant] = [p for p in plants_of("small", 1)
                     if p.name == "shared-single-queue" and p.nodes[-1].startswith("queue:")]
    queue = queue_plant.nodes[-1]
    with TestClient(create_app(container, start_workers=False)) as client:
        url = f"/api/v1/mappings/{mapping}"
        res = client.post(f"{url}/whatif", headers=h, json={"fail": [queue]})
        assert res.status_code == 200
        body = res.json()
        doc = client.get(f"{url}/graph", headers=h).json()
        assert body == whatif(model_from_document(doc), [queue])
        down = {e["key"] for e in body["entryPoints"] if e["after"] == "down"}
        assert set(queue_plant.nodes[:2]) <= down  # the two IVRs that open on it
        spof = client.get(f"{url}/resilience", headers=h).json()
        ranked = {o["key"]: o["entryPoints"] for o in spof["objects"]}
        assert set(queue_plant.nodes[:2]) <= set(ranked[queue])
        bad = client.post(f"{url}/whatif", headers=h, json={"fail": ["queue:nope"]})
        assert bad.status_code == 400 and "queue:nope" in bad.json()["error"]["message"]
        extra = client.post(f"{url}/whatif", headers=h, json={"fail": [queue], "x": 1})
        assert extra.status_code == 422 and "'x'" in extra.json()["error"]["message"]
        empty = client.post(f"{url}/whatif", headers=h, json={"fail": []})
        assert empty.status_code == 400 and "fail" in empty.json()["error"]["message"]
        denied = client.post(f"{url}/whatif", json={"fail": [queue]},
                             headers={"Authorization": f"Bearer {audit}"})
        assert denied.status_code == 403
        missing = client.post("/api/v1/mappings/nope/whatif", headers=h, json={"fail": [queue]})
        assert missing.status_code == 404
