"""Talking to a gcsim server directly, as an org admin would (writes through the real API)."""

from __future__ import annotations

import base64
import json
import urllib.request
from typing import Any

from gcsim import SimServer


def sim_token(sim: SimServer) -> str:
    """An access token from gcsim's OAuth endpoint (default client)."""
    req = urllib.request.Request(
        sim.base_url + "/oauth/token", data=b"grant_type=client_credentials",
        headers={"Authorization": "Basic " + base64.b64encode(
            b"gcsim-client:gcsim-secret").decode()})
    with urllib.request.urlopen(req) as r:
        return str(json.load(r)["access_token"])


def sim_call(sim: SimServer, method: str, path: str, body: Any = None,
             token: str | None = None) -> Any:
    """One request to gcsim as an org admin sends it (a new token unless one is given); the
    JSON answer, or None for an empty one."""
    req = urllib.request.Request(
        sim.base_url + path, method=method,
        data=None if body is None else json.dumps(body).encode(),
        headers={"Authorization": f"Bearer {token or sim_token(sim)}",
                 "Content-Type": "application/json"})
    with urllib.request.urlopen(req) as r:
        raw = r.read()
    return json.loads(raw) if raw else None


def put_queue(sim: SimServer, queue_id: str, body: dict[str, Any]) -> None:
    """Change a queue through ``PUT /api/v2/routing/queues/{queueId}``."""
    sim_call(sim, "PUT", f"/api/v2/routing/queues/{queue_id}", body)


def live_service(sim: SimServer, **settings: Any) -> tuple[Any, dict[str, str]]:
    """A service container mapping ``sim`` live (memory store, no pacing), and the
    Authorization header of an admin key."""
    import time

    from gcmap.container import build_container
    from gcmap.settings import GcmapSettings, GenesysSettings

    cfg = GcmapSettings(**{"database_url": "memory://", "workers": 1, "rate_per_min": 0,
                           **settings})
    genesys = GenesysSettings(client_id="gcsim-client", client_secret="gcsim-secret",
                              api_base_url=sim.base_url)
    container = build_container(cfg, genesys)
    _, key = container.store.create_api_key("t", ["admin"], time.time())
    return container, {"Authorization": f"Bearer {key}"}


def mapped_service(tmp: Any, size: str = "small", seed: int = 1,
                   **settings: Any) -> tuple[Any, str, dict[str, Any]]:
    """A service container (memory store, no workers) on a gcsim org file in ``tmp``, with
    one finished mapping of it: (container, mapping id, mapping document)."""
    import time
    from pathlib import Path

    from gcmap.container import build_container
    from gcmap.services.runs import MappingWorker
    from gcmap.settings import GcmapSettings
    from gcsim import generate_org

    org = Path(tmp) / "org.json"
    org.write_text(json.dumps(generate_org(size, seed)))
    container = build_container(GcmapSettings(**{"database_url": "memory://", "workers": 0,
                                                 "org_file": str(org), **settings}))
    run = container.store.create_run(container.org_key, "test", time.time())
    MappingWorker(container.store, container.reader).run_once()
    doc: dict[str, Any] = container.store.get_snapshot(
        container.store.get_run(run["id"])["snapshotHash"])
    return container, str(run["id"]), doc
