"""IaC webhooks end to end: register (verified), map a gcsim org, receive a verified
mapping.completed, change the org through gcsim's API, receive graph.changed with the diff."""

from __future__ import annotations

import sys
import threading
import time
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from gcmap.api.app import create_app
from gcsim import SimConfig, SimServer, generate_org
from tests.simhelpers import live_service, put_queue

sys.path.insert(0, str(Path(__file__).parents[2] / "examples"))
import iac_receiver


def _wait(cond: Any, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not cond():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_iac_pipeline_is_told_about_mappings_and_changes() -> None:
    org = generate_org("tiny", 6)
    server, state = iac_receiver.serve(0, [])
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/hooks"
    try:
        with SimServer(org, SimConfig(rate_limit=0)) as sim:
            # The watch's first poll comes after a second: by then the endpoint is verified
            # and the test has started the first mapping itself.
            container, h = live_service(sim, watch_poll_s=1.0, watch_debounce_s=0.3,
                                        outbound_allow_cidrs="127.0.0.0/8")
            with TestClient(create_app(container)) as client:
                res = client.post("/api/v1/webhooks", headers=h, json={
                    "url": url, "eventTypes": ["mapping.completed", "graph.changed"]})
                assert res.status_code == 201, res.text
                hook = res.json()
                assert hook["secret"].startswith("whsec_") and hook["status"] == "pending"
                state.secrets.append(hook["secret"])
                _wait(lambda: client.get(f"/api/v1/webhooks/{hook['id']}", headers=h)
                      .json()["status"] == "active")
                assert client.post("/api/v1/mappings", headers=h).status_code == 202
                _wait(lambda: any(e["type"] == "mapping.completed" for e in state.accepted))
                queue = org["/api/v2/routing/queues"][0]
                put_queue(sim, queue["id"], dict(queue, name="Renamed for IaC"))
                _wait(lambda: any(e["type"] == "graph.changed" for e in state.accepted))
                log = client.get(f"/api/v1/webhooks/{hook['id']}/deliveries", headers=h).json()
                assert log["total"] >= 2 and all(a["outcome"] == "ok" for a in log["items"])
    finally:
        server.shutdown()
    changed = next(e for e in state.accepted if e["type"] == "graph.changed")
    keys = {c["key"]: c["changes"] for c in changed["diff"]["nodesChanged"]}
    assert keys[f"queue:{queue['id']}"]["name"]["new"] == "Renamed for IaC"
    seqs = [e["sequence"] for e in state.accepted]
    assert seqs == sorted(seqs) and len(set(seqs)) == len(seqs)
    assert all(e["orgId"] == org["/api/v2/organizations/me"]["id"] for e in state.accepted)
    assert "0 added, 0 removed, 1 changed" in state.plan(changed)
    assert f"queue:{queue['id']}" in state.plan(changed)  # the create order names it
