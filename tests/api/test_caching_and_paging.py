"""Answers sized for their use: a summary view, pages of findings, nodes and edges, ETags
that turn a repeat into a 304, and the whole document sent compressed as stored."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from gcmap.api.app import create_app
from gcmap.domain.document import canonical_json
from tests.simhelpers import mapped_service


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, str, Any]]:
    container, mapping, doc = mapped_service(tmp_path_factory.mktemp("api"),
                                             api_rate_per_min=60000)
    _, secret = container.store.create_api_key("r", ["mappings:read"], time.time())
    with TestClient(create_app(container, start_workers=False)) as client:
        client.headers["Authorization"] = f"Bearer {secret}"
        yield client, f"/api/v1/mappings/{mapping}", doc


def test_the_summary_view_leaves_the_findings_out(api: Any) -> None:
    client, url, doc = api
    full, summary = client.get(url).json(), client.get(f"{url}?view=summary").json()
    assert len(full["findings"]) == len(doc["findings"]) > 0
    assert "findings" not in summary
    assert summary["summary"] == full["summary"]


def test_a_repeat_with_the_etag_is_a_304_and_a_change_of_query_is_not(api: Any) -> None:
    client, url, _ = api
    for path in (url, f"{url}/findings?severity=error", f"{url}/graph",
                 f"{url}/nodes?q=queue", f"{url}/edges?field=queueFlow"):
        first = client.get(path)
        tag = first.headers["ETag"]
        again = client.get(path, headers={"If-None-Match": tag})
        assert (again.status_code, again.content, again.headers["ETag"]) == (304, b"", tag)
    a = client.get(f"{url}/findings?severity=error").headers["ETag"]
    b = client.get(f"{url}/findings?severity=warning").headers["ETag"]
    assert a != b


def test_findings_nodes_and_edges_come_in_pages(api: Any) -> None:
    client, url, doc = api
    total = len(doc["findings"])
    pages = [client.get(f"{url}/findings?limit=10&offset={o}").json()
             for o in range(0, total, 10)]
    assert all(p["total"] == total for p in pages)
    assert [f for p in pages for f in p["items"]] == doc["findings"]
    queues = [n for n in doc["nodes"] if n["type"] == "queue"]
    page = client.get(f"{url}/nodes?type=queue&limit=7&offset=7").json()
    assert page["total"] == len(queues) and [n["key"] for n in page["items"]] == [
        n["key"] for n in queues[7:14]]
    q = queues[0]["key"]
    mine = client.get(f"{url}/edges", params={"from": q}).json()
    want = sorted((e["to"], e["field"]) for e in doc["edges"] if e["from"] == q)
    assert sorted((e["to"], e["field"]) for e in mine["items"]) == want and mine["total"]
    typed = client.get(f"{url}/findings?type=site").json()
    assert typed["total"] == sum(1 for f in doc["findings"]
                                 if any(k.startswith("site:") for k in f["nodes"]))


def test_the_whole_document_is_sent_compressed_as_stored(api: Any) -> None:
    client, url, doc = api
    res = client.get(f"{url}/graph", headers={"Accept-Encoding": "gzip"})
    assert res.headers["Content-Encoding"] == "gzip"
    assert int(res.headers["Content-Length"]) < len(canonical_json(doc)) / 4
    assert res.json() == doc  # the client decodes it
    plain = client.get(f"{url}/graph", headers={"Accept-Encoding": "identity"})
    assert "Content-Encoding" not in plain.headers and plain.content == canonical_json(doc)
    raw = client.get(f"{url}/findings?limit=5000", headers={"Accept-Encoding": "gzip"})
    assert raw.headers["Content-Encoding"] == "gzip"  # large JSON answers compress too
