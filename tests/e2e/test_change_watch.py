"""gcsim org -> service maps it -> a write through gcsim's API -> the change watch maps again
-> the diff names the change."""

from __future__ import annotations

import time
from typing import Any

from fastapi.testclient import TestClient

from gcmap.api.app import create_app
from gcsim import SimConfig, SimServer, generate_org
from tests.simhelpers import live_service, put_queue


def _runs(client: TestClient, h: dict[str, str]) -> list[dict[str, Any]]:
    return list(client.get("/api/v1/mappings", headers=h).json()["items"])


def test_configuration_change_triggers_a_new_mapping_with_the_diff() -> None:
    org = generate_org("tiny", 5)
    with SimServer(org, SimConfig(rate_limit=0)) as sim:
        container, h = live_service(sim, watch_poll_s=0.2, watch_debounce_s=0.4, lease_s=10)
        with TestClient(create_app(container)) as client:
            deadline = time.monotonic() + 30
            while not (runs := _runs(client, h)) or runs[0]["status"] != "succeeded":
                assert time.monotonic() < deadline, runs
                time.sleep(0.1)
            first = runs[0]["id"]
            queue = org["/api/v2/routing/queues"][0]
            put_queue(sim, queue["id"], dict(queue, name="Renamed by an admin"))
            deadline = time.monotonic() + 30
            while True:
                runs = _runs(client, h)
                if len(runs) == 2 and runs[0]["status"] == "succeeded":
                    break
                assert time.monotonic() < deadline, runs
                time.sleep(0.1)
            second = runs[0]
            assert second["requestedBy"] == "change-watch"
            diff = client.get(f"/api/v1/mappings/{second['id']}/diff?against={first}",
                              headers=h).json()
    changed = {c["key"]: c["changes"] for c in diff["nodesChanged"]}
    assert changed[f"queue:{queue['id']}"]["name"]["new"] == "Renamed by an admin"
