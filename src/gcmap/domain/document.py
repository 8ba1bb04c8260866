"""The mapping document (design.md contract): canonical JSON and its snapshot hash."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from gcmap.domain.build import BuildResult
from gcmap.domain.doc_schema import check_document
from gcmap.domain.graph import DependencyGraph
from gcmap.domain.model import Edge, Finding, Node
from gcmap.domain.validate import ValidationReport

__all__ = [
    "LIMIT_TYPES",
    "SCHEMA_VERSION",
    "canonical_json",
    "document_subgraph",
    "graph_from_document",
    "limit_usage",
    "limits_of",
    "mapping_document",
    "snapshot_hash",
]

SCHEMA_VERSION = 1
# Fields that describe one run rather than the org; left out of the snapshot hash.
VOLATILE = ("generatedAt", "snapshotHash", "stats")


def canonical_json(value: Any) -> bytes:
    """Deterministic UTF-8 JSON: sorted keys, no insignificant whitespace."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False).encode()


def snapshot_hash(doc: dict[str, Any]) -> str:
    """``sha256:<hex>`` over the document without its volatile run fields."""
    content = {k: v for k, v in doc.items() if k not in VOLATILE}
    return "sha256:" + hashlib.sha256(canonical_json(content)).hexdigest()


def limits_of(raw: Any) -> dict[str, Any]:
    """Flatten organization limits (``{namespace: [{key, value}]}``) to ``ns/key -> value``."""
    out: dict[str, Any] = {}
    if isinstance(raw, dict):
        for ns, items in raw.items():
            for item in items or []:
                if isinstance(item, dict) and "key" in item:
                    out[f"{item.get('namespace') or ns}/{item['key']}"] = item.get("value")
    return dict(sorted(out.items()))


# Organization limit -> the node type whose count uses it up.
LIMIT_TYPES = {"routing/queues.max": "queue", "routing/wrapup.codes.max": "wrapup_code",
               "skills/skill.count.max": "skill", "skills/language.count.max": "language",
               "groups/group.count.max": "group", "groups/teams.max": "team",
               "architect/flows.max": "flow", "dataactions/actions.total.max": "data_action"}


def limit_usage(by_type: dict[str, int]) -> dict[str, int]:
    """How much of each count limit the org uses, from its objects by type."""
    return {k: by_type.get(t, 0) for k, t in LIMIT_TYPES.items()}


def _node(n: Node) -> dict[str, Any]:
    return {"key": n.key, "type": n.type, "id": n.id, "name": n.name, "division": n.division,
            "attrs": n.attrs}


def _edge(e: Edge) -> dict[str, Any]:
    out: dict[str, Any] = {"from": e.src, "to": e.dst, "kind": e.kind, "field": e.field,
                           "source": e.source}
    if e.deferrable:  # only when true: most edges are not, and documents stay small
        out["deferrable"] = True
    return out


def document_subgraph(graph: DependencyGraph, keys: set[str],
                      findings: list[dict[str, Any]]) -> dict[str, Any]:
    """The document form of ``keys`` and the edges between them, read from the graph's
    index (no scan of the whole document), with the findings that name any of them."""
    nodes = [_node(graph.node(k)) for k in sorted(keys) if k in graph]
    edges = [_edge(e) for k in sorted(keys) if k in graph for e in graph.out_edges(k)
             if e.dst in keys]
    return {"nodes": nodes, "edges": edges,
            "findings": [f for f in findings if keys.intersection(f["nodes"])]}


def mapping_document(build: BuildResult, report: ValidationReport, *, org: dict[str, Any],
                     environment: str, region: str | None, limits: dict[str, Any],
                     generated_at: str, extra_findings: list[Finding] | None = None,
                     stats: dict[str, Any] | None = None) -> dict[str, Any]:
    """Assemble the mapping document; sorted so the same org gives the same bytes."""
    findings = sorted([*report.findings, *(extra_findings or [])], key=Finding.sort_key)
    by_sev: dict[str, int] = {"error": 0, "warning": 0, "info": 0}
    for f in findings:
        by_sev[f.severity] += 1
    doc: dict[str, Any] = {
        "schemaVersion": SCHEMA_VERSION,
        "orgId": org.get("id"),
        "orgName": org.get("name"),
        "environment": environment,
        "region": region,
        "generatedAt": generated_at,
        "limits": limits,
        "nodes": [_node(n) for n in build.graph.nodes()],
        "edges": [_edge(e) for e in build.graph.edges()],
        "findings": [f.to_dict() for f in findings],
    }
    doc["stats"] = {**build.stats, **report.stats, "findingsBySeverity": by_sev,
                    **(stats or {})}
    doc["snapshotHash"] = snapshot_hash(doc)
    return doc


def graph_from_document(doc: dict[str, Any]) -> DependencyGraph:
    """Rebuild the graph of a stored mapping document (for impact and exports).

    Raises:
        ValueError: the document is not a gcmap mapping document.
    """
    check_document(doc)
    g = DependencyGraph()
    for n in doc["nodes"]:
        g.add_node(Node(n["type"], n["id"], n.get("name") or "", n.get("division"),
                        n.get("attrs") or {}))
    g.add_edges(Edge(e["from"], e["to"], e["field"], e.get("kind", "reference"),
                     e.get("source", "field"), bool(e.get("deferrable", False)))
                for e in doc["edges"])
    return g
