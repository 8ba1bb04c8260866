"""Exports of a mapping document: Graphviz DOT, GraphML, Mermaid and Cytoscape JSON.

Every export reads the mapping document (a plain dict), so stored snapshots export the same
way as fresh ones, and the same document gives the same text.
"""

from __future__ import annotations

import itertools
import json
import re
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from gcmap.domain.errors import ExportTooLarge

__all__ = ["MERMAID_MAX_EDGES", "cycle_edges", "cytoscape_elements", "subgraph",
           "to_cytoscape", "to_dot", "to_graphml", "to_mermaid"]

MERMAID_MAX_EDGES = 500


def cycle_edges(doc: dict[str, Any]) -> set[tuple[str, str]]:
    """(from, to) pairs that lie on a reported cycle."""
    out: set[tuple[str, str]] = set()
    for f in doc.get("findings", []):
        if f["rule"] == "cycle":
            for path in f["evidence"].get("cycles") or [f["evidence"].get("path", [])]:
                out.update(itertools.pairwise(path))
    return out


def subgraph(doc: dict[str, Any], keys: set[str]) -> dict[str, Any]:
    """The document restricted to ``keys`` (edges with both ends inside)."""
    return {**doc,
            "nodes": [n for n in doc["nodes"] if n["key"] in keys],
            "edges": [e for e in doc["edges"] if e["from"] in keys and e["to"] in keys],
            "findings": [f for f in doc.get("findings", []) if set(f["nodes"]) & keys]}


def _q(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def to_dot(doc: dict[str, Any]) -> str:
    """Graphviz DOT, one cluster per node type, cycle edges in red."""
    hot = cycle_edges(doc)
    lines = ["digraph gcmap {", "  rankdir=LR;", "  node [shape=box, fontsize=10];"]
    by_type: dict[str, list[dict[str, Any]]] = {}
    for n in doc["nodes"]:
        by_type.setdefault(n["type"], []).append(n)
    for t in sorted(by_type):
        lines.append(f"  subgraph {_q('cluster_' + t)} {{")
        lines.append(f"    label={_q(t)};")
        for n in by_type[t]:
            lines.append(f"    {_q(n['key'])} [label={_q(n['name'] or n['id'])}];")
        lines.append("  }")
    for e in doc["edges"]:
        style = []
        if (e["from"], e["to"]) in hot:
            style += ["color=red", "penwidth=2"]
        if e["kind"] == "failover":
            style.append("style=dashed")
        attrs = ", ".join([f"label={_q(e['field'])}", *style])
        lines.append(f"  {_q(e['from'])} -> {_q(e['to'])} [{attrs}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


def to_graphml(doc: dict[str, Any]) -> str:
    """GraphML with node type/name and edge field/kind/source attributes."""
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">',
           '  <key id="type" for="node" attr.name="type" attr.type="string"/>',
           '  <key id="name" for="node" attr.name="name" attr.type="string"/>',
           '  <key id="field" for="edge" attr.name="field" attr.type="string"/>',
           '  <key id="kind" for="edge" attr.name="kind" attr.type="string"/>',
           '  <key id="source" for="edge" attr.name="source" attr.type="string"/>',
           '  <graph id="gcmap" edgedefault="directed">']
    for n in doc["nodes"]:
        out.append(f'    <node id={quoteattr(n["key"])}><data key="type">{escape(n["type"])}'
                   f'</data><data key="name">{escape(n["name"] or "")}</data></node>')
    for i, e in enumerate(doc["edges"]):
        out.append(f'    <edge id="e{i}" source={quoteattr(e["from"])} '
                   f'target={quoteattr(e["to"])}><data key="field">{escape(e["field"])}</data>'
                   f'<data key="kind">{e["kind"]}</data><data key="source">{e["source"]}</data>'
                   "</edge>")
    out += ["  </graph>", "</graphml>"]
    return "\n".join(out) + "\n"


def to_mermaid(doc: dict[str, Any], max_edges: int = MERMAID_MAX_EDGES) -> str:
    """A Mermaid flowchart; refuses graphs that no Mermaid renderer can draw legibly.

    Raises:
        ExportTooLarge: more than ``max_edges`` edges; export a neighbourhood instead.
    """
    if len(doc["edges"]) > max_edges:
        raise ExportTooLarge(
            f"Mermaid export refused: {len(doc['edges'])} edges exceed {max_edges}. Export a "
            "neighbourhood instead (gcmap export --node KEY --depth 2 --format mermaid) or use "
            "--format dot / graphml for the whole graph.")
    ids = {n["key"]: f"n{i}" for i, n in enumerate(doc["nodes"])}
    hot = cycle_edges(doc)
    lines = ["flowchart LR"]
    for n in doc["nodes"]:
        label = re.sub(r'["\[\]{}<>|]', "", f"{n['type']}: {n['name'] or n['id']}")
        lines.append(f'  {ids[n["key"]]}["{label}"]')
    links = []
    for e in doc["edges"]:
        arrow = "-.->" if e["kind"] == "failover" else "-->"
        field = re.sub(r'["|]', "", e["field"])
        lines.append(f"  {ids[e['from']]} {arrow}|{field}| {ids[e['to']]}")
        links.append((e["from"], e["to"]) in hot)
    for i, is_hot in enumerate(links):
        if is_hot:
            lines.append(f"  linkStyle {i} stroke:#d00,stroke-width:3px")
    return "\n".join(lines) + "\n"


def cytoscape_elements(doc: dict[str, Any]) -> list[dict[str, Any]]:
    """Cytoscape.js elements (nodes and edges with data, cycle edges classed)."""
    hot = cycle_edges(doc)
    flagged = {k for f in doc.get("findings", []) for k in f["nodes"]}
    elements: list[dict[str, Any]] = []
    for n in doc["nodes"]:
        elements.append({"group": "nodes", "data": {
            "id": n["key"], "type": n["type"], "label": n["name"] or n["id"]},
            "classes": "flagged" if n["key"] in flagged else ""})
    for i, e in enumerate(doc["edges"]):
        classes = [e["kind"]] + (["cycle"] if (e["from"], e["to"]) in hot else [])
        elements.append({"group": "edges", "data": {
            "id": f"e{i}", "source": e["from"], "target": e["to"], "field": e["field"]},
            "classes": " ".join(classes)})
    return elements


def to_cytoscape(doc: dict[str, Any]) -> str:
    """Cytoscape.js elements JSON (see ``cytoscape_elements``)."""
    elements = cytoscape_elements(doc)
    return json.dumps({"elements": elements}, sort_keys=True, separators=(",", ":"))
