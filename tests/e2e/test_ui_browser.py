"""The graph view in headless Chromium: a mapping of a gcsim org loads, search finds a queue,
the neighbourhood renders and a cycle is highlighted; a screenshot is saved."""

from __future__ import annotations

import json
import re
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from gcmap.api.app import create_app
from gcmap.api.routes.system import STATIC
from gcmap.container import build_container
from gcmap.services.runs import MappingWorker
from gcmap.settings import GcmapSettings
from gcsim import generate_org
from gcsim.orgs import plants_of
from tests.simhelpers import mapped_service

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = [
    pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed"),
    pytest.mark.skipif(not (STATIC / "vendor" / "cytoscape.min.js").exists(),
                       reason="the graph view is not built (make ui)"),
]
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--hide-scrollbars", "--virtual-time-budget=15000"]


def _browser(url: str, tmp: Path, *extra: str) -> str:
    args = [str(CHROMIUM), *FLAGS, f"--user-data-dir={tmp / 'profile'}", *extra, url]
    return subprocess.run(args, capture_output=True, text=True, timeout=90).stdout


@contextmanager
def _serving(container: Any) -> Iterator[int]:
    """The app on a free local port, for the length of the block."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    server = uvicorn.Server(uvicorn.Config(create_app(container, start_workers=False),
                                           host="127.0.0.1", port=port, log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "the app did not start"
        time.sleep(0.05)
    try:
        yield port
    finally:
        server.should_exit = True


def _mapped(tmp_path: Path) -> tuple[Any, str, str, dict[str, Any]]:
    """A container with one finished mapping of gcsim's small org: (container, API key,
    mapping id, document)."""
    container, mapping, doc = mapped_service(tmp_path)
    _, key = container.store.create_api_key("ui", ["mappings:read"], time.time())
    return container, key, mapping, doc


def test_whatif_marks_a_failed_queue_and_lists_the_entry_points_it_takes_down(
        tmp_path: Path) -> None:
    container, key, mapping, doc = _mapped(tmp_path)
    [plant] = [p for p in plants_of("small", 1) if p.name == "shared-single-queue"
               and any(k.startswith("queue:") for k in p.nodes)]
    queue = next(k for k in plant.nodes if k.startswith("queue:"))
    names = {n["key"]: n["name"] for n in doc["nodes"]}
    with _serving(container) as port:
        url = (f"http://127.0.0.1:{port}/ui?mapping={mapping}&node={queue}&depth=1"
               f"&fail={queue}#key={key}")
        dom = _browser(url, tmp_path, "--dump-dom")
    status = re.search(r'<span id="status"([^>]*)>', dom)
    assert status, dom[:2000]
    attrs = dict(re.findall(r'data-([a-z-]+)="([^"]*)"', status.group(1)))
    assert attrs["failed"] == "1" and int(attrs["whatif-down"]) >= 2
    listed = re.search(r'<ul id="whatif">(.*?)</ul>', dom, re.S)
    assert listed
    for ivr in (k for k in plant.nodes if k.startswith("ivr:")):
        assert names[ivr] in listed.group(1)  # by name, with its new status
    assert "ok → down" in listed.group(1)


def test_neighbourhood_view_highlights_a_cycle(tmp_path: Path) -> None:
    container, key, mapping, doc = _mapped(tmp_path)
    # A queue on a failover loop (planted in gcsim's default orgs).
    loop = next(f for f in doc["findings"] if f["rule"] == "cycle"
                and all(k.startswith("queue:") for k in f["nodes"]))
    queue = loop["nodes"][0]
    name = next(n["name"] for n in doc["nodes"] if n["key"] == queue)
    with _serving(container) as port:
        url = (f"http://127.0.0.1:{port}/ui?mapping={mapping}&q={name.replace(' ', '%20')}"
               f"&node={queue}&depth=1#key={key}")
        dom = _browser(url, tmp_path, "--dump-dom")
        shot = tmp_path / "ui.png"
        _browser(url, tmp_path, f"--screenshot={shot}", "--window-size=1400,900")
    status = re.search(r'<span id="status"([^>]*)>([^<]*)<', dom)
    assert status, dom[:2000]
    attrs = dict(re.findall(r'data-([a-z-]+)="([^"]*)"', status.group(1)))
    assert int(attrs["results"]) >= 1  # search found the queue
    assert name in dom
    assert attrs["node"] == queue and int(attrs["nodes"]) > 1  # neighbourhood rendered
    assert int(attrs["cycle-edges"]) >= 1  # the loop is highlighted
    assert "joinedMemberCount" in dom  # the picked object's attributes are shown
    assert shot.exists() and shot.stat().st_size > 10_000
    out = Path("out")
    out.mkdir(exist_ok=True)
    shutil.copy(shot, out / "ui-neighbourhood.png")


def test_the_mapping_list_switches_between_orgs(tmp_path: Path) -> None:
    from gcmap.container import FileReader

    container, key, mapping, _ = _mapped(tmp_path)
    other = tmp_path / "other.json"
    other.write_text(json.dumps(generate_org("tiny", 9)))
    org = container.store.create_org("Branch office", "mypurecloud.ie", None, "c", "s",
                                     time.time())
    run = container.store.create_run(org["id"], "t", time.time())
    MappingWorker(container.store, container.reader,
                  readers=lambda k: FileReader(str(other))).run_once()
    assert container.store.get_run(run["id"])["status"] == "succeeded"
    with _serving(container) as port:
        dom = _browser(f"http://127.0.0.1:{port}/ui#key={key}", tmp_path, "--dump-dom")
    groups = re.findall(r'<optgroup label="([^"]*)">(.*?)</optgroup>', dom, re.S)
    assert [g for g, _ in groups] == ["default (GCMAP_ORG_FILE or GENESYS_*)",
                                      "Branch office"]
    assert mapping in groups[0][1] and run["id"] in groups[1][1]


def test_the_api_docs_render_offline_with_authorize(tmp_path: Path) -> None:
    container = build_container(GcmapSettings(database_url="memory://", workers=0))
    with _serving(container) as port:
        dom = _browser(f"http://127.0.0.1:{port}/docs", tmp_path, "--dump-dom")
    assert "swagger-ui" in dom and "Authorize" in dom  # the bearer scheme is offered
    assert "/api/v1/mappings/{run_id}/whatif" in dom  # the operations were listed
