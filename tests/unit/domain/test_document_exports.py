"""Mapping document determinism, diff, impact and exports."""

from __future__ import annotations

import copy
import json
import xml.dom.minidom
from typing import Any

import pytest

from gcmap.domain import export
from gcmap.domain.diff import diff_documents
from gcmap.domain.document import canonical_json, graph_from_document, snapshot_hash
from gcmap.domain.errors import ExportTooLarge
from gcmap.domain.impact import impact
from gcmap.services.mapping import map_org
from gcsim import generate_org


def _map(org: dict[str, Any]) -> dict[str, Any]:
    return map_org(org, environment="mypurecloud.ie", generated_at="2026-01-01T00:00:00Z"
                   ).document


@pytest.fixture(scope="module")
def doc() -> dict[str, Any]:
    return _map(generate_org("small", 5))


def test_same_org_same_bytes_and_hash(doc: dict[str, Any]) -> None:
    again = _map(generate_org("small", 5))
    assert canonical_json(again) == canonical_json(doc)
    assert doc["snapshotHash"].startswith("sha256:") and len(doc["snapshotHash"]) == 71
    assert doc["region"] == "eu-west-1"
    later = dict(doc, generatedAt="2027-01-01T00:00:00Z")
    assert snapshot_hash(later) == doc["snapshotHash"]  # the run time is not content


def test_document_is_sorted_as_the_contract_says(doc: dict[str, Any]) -> None:
    keys = [n["key"] for n in doc["nodes"]]
    assert keys == sorted(keys)
    edges = [(e["from"], e["to"], e["field"]) for e in doc["edges"]]
    assert edges == sorted(edges)
    assert [(f["rule"], f["nodes"]) for f in doc["findings"]] == sorted(
        (f["rule"], f["nodes"]) for f in doc["findings"])
    assert doc["limits"]["routing/queues.max"] == 6000
    assert set(doc) >= {"schemaVersion", "orgId", "orgName", "environment", "region",
                        "generatedAt", "snapshotHash", "limits", "nodes", "edges",
                        "findings", "stats"}
    rules = {f["rule"] for f in doc["findings"]}
    assert {"cycle", "self-reference", "dangling-reference"} <= rules


def test_diff_reports_added_removed_and_changed(doc: dict[str, Any]) -> None:
    org = generate_org("small", 5)
    changed = copy.deepcopy(org)
    q = changed["/api/v2/routing/queues"]
    q[0]["name"] = "Renamed"
    removed = q.pop(1)
    changed["/api/v2/routing/queues"].append(dict(removed, id="new-queue", name="New"))
    d = diff_documents(doc, _map(changed))
    assert not d["empty"]
    assert [n["key"] for n in d["nodesAdded"]] == ["queue:new-queue"]
    assert [n["key"] for n in d["nodesRemoved"]] == [f"queue:{removed['id']}"]
    renamed = next(c for c in d["nodesChanged"] if c["key"] == f"queue:{q[0]['id']}")
    assert renamed["changes"]["name"]["new"] == "Renamed"
    assert any(e["from"] == "queue:new-queue" for e in d["edgesAdded"])
    assert diff_documents(doc, doc)["empty"]


def test_impact_both_directions(doc: dict[str, Any]) -> None:
    g = graph_from_document(doc)
    flow = next(n["key"] for n in doc["nodes"] if n["type"] == "flow"
                and g.in_edges(n["key"]))
    used_by = impact(g, flow, depth=1, direction="usedby")
    assert used_by["count"] == len({e.src for e in g.in_edges(flow)})
    uses = impact(g, flow, depth=2, direction="uses")
    assert all(n["distance"] <= 2 for n in uses["nodes"])
    assert sum(uses["byType"].values()) == uses["count"]
    with pytest.raises(KeyError):
        impact(g, "queue:nope")


def test_exports_parse_and_mark_cycles(doc: dict[str, Any]) -> None:
    dot = export.to_dot(doc)
    assert dot.startswith("digraph gcmap {") and "color=red" in dot
    xml.dom.minidom.parseString(export.to_graphml(doc))
    cy = json.loads(export.to_cytoscape(doc))
    assert any("cycle" in e["classes"] for e in cy["elements"] if e["group"] == "edges")
    with pytest.raises(ExportTooLarge, match="neighbourhood"):
        export.to_mermaid(doc)
    cycle = next(f for f in doc["findings"] if f["rule"] == "cycle")
    small = export.subgraph(doc, set(cycle["nodes"]))
    mer = export.to_mermaid(small)
    assert mer.startswith("flowchart LR") and "linkStyle" in mer


def test_a_partial_mapping_does_not_report_what_it_did_not_read() -> None:
    from gcmap.services.mapping import map_org

    org = generate_org("small", 5)
    full = map_org(org, environment="mypurecloud.ie", generated_at="x").document
    partial_org = {k: v for k, v in org.items() if k != "/api/v2/routing/skills"}
    report = {"partial": True, "retries": 4, "failures": [
        {"type": "skill", "status": "timeout", "error": "GET /api/v2/routing/skills: "
         "timeout error after 5 attempt(s)"}]}
    partial = map_org(partial_org, environment="mypurecloud.ie", generated_at="x",
                      crawl_report=report).document
    d = diff_documents(full, partial)
    assert d["empty"] is True  # nothing in the org changed; skills were merely not read
    assert d["notCompared"] == {"types": ["skill"]}
    [f] = [f for f in partial["findings"] if f["rule"] == "crawl.partial"]
    assert "timeout error after 5 attempt(s)" in f["message"]
    assert f["evidence"]["retries"] == 4
    # A real change beside the gap is still reported.
    partial_org["/api/v2/routing/queues"] = [dict(q, name="Moved") if i == 0 else q for i, q
                                             in enumerate(org["/api/v2/routing/queues"])]
    moved = map_org(partial_org, environment="mypurecloud.ie", generated_at="x",
                    crawl_report=report).document
    d = diff_documents(full, moved)
    assert [c["changes"]["name"]["new"] for c in d["nodesChanged"]] == ["Moved"]
    assert d["edgesRemoved"] == [] and d["nodesRemoved"] == []
