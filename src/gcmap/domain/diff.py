"""Diff of two mapping documents: nodes and edges added, removed and changed."""

from __future__ import annotations

from typing import Any

__all__ = ["diff_documents"]

_NODE_FIELDS = ("name", "division", "attrs")


def _edge_key(e: dict[str, Any]) -> tuple[str, str, str]:
    return (e["from"], e["to"], e["field"])


def _not_read(*docs: dict[str, Any]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {"types": set(), "edgeFields": set(), "edgeSources": set()}
    for d in docs:
        for k, v in ((d.get("stats") or {}).get("notRead") or {}).items():
            out.setdefault(k, set()).update(v)
    return out


def diff_documents(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """What changed from ``old`` to ``new``; every list is sorted.

    What either mapping did not read (a partial crawl, ``stats.notRead``) is not compared:
    its nodes and the edges to or from them would otherwise show as removed or added though
    nothing changed in the org. ``notCompared`` says what was left out.
    """
    skip = _not_read(old, new)
    types, skip_fields, sources = skip["types"], skip["edgeFields"], skip["edgeSources"]

    def node_ok(n: dict[str, Any]) -> bool:
        return n.get("type") not in types

    def edge_ok(e: dict[str, Any]) -> bool:
        return (e["from"].split(":", 1)[0] not in types and e["to"].split(":", 1)[0]
                not in types and e["field"] not in skip_fields
                and e.get("source", "field") not in sources)

    old = dict(old, nodes=[n for n in old.get("nodes", []) if node_ok(n)],
               edges=[e for e in old.get("edges", []) if edge_ok(e)])
    new = dict(new, nodes=[n for n in new.get("nodes", []) if node_ok(n)],
               edges=[e for e in new.get("edges", []) if edge_ok(e)])
    a = {n["key"]: n for n in old.get("nodes", [])}
    b = {n["key"]: n for n in new.get("nodes", [])}
    changed = []
    for k in sorted(a.keys() & b.keys()):
        fields: dict[str, Any] = {}
        for f in _NODE_FIELDS:
            if f == "attrs":
                aa, ba = a[k].get("attrs") or {}, b[k].get("attrs") or {}
                for ak in sorted(aa.keys() | ba.keys()):
                    if aa.get(ak) != ba.get(ak):
                        fields[f"attrs.{ak}"] = {"old": aa.get(ak), "new": ba.get(ak)}
            elif a[k].get(f) != b[k].get(f):
                fields[f] = {"old": a[k].get(f), "new": b[k].get(f)}
        if fields:
            changed.append({"key": k, "changes": fields})
    ea = {_edge_key(e): e for e in old.get("edges", [])}
    eb = {_edge_key(e): e for e in new.get("edges", [])}
    added_nodes = sorted(b.keys() - a.keys())
    removed_nodes = sorted(a.keys() - b.keys())
    out = {
        "from": old.get("snapshotHash"), "to": new.get("snapshotHash"),
        "nodesAdded": [{"key": k, "type": b[k]["type"], "name": b[k]["name"]}
                       for k in added_nodes],
        "nodesRemoved": [{"key": k, "type": a[k]["type"], "name": a[k]["name"]}
                         for k in removed_nodes],
        "nodesChanged": changed,
        "edgesAdded": [eb[k] for k in sorted(eb.keys() - ea.keys())],
        "edgesRemoved": [ea[k] for k in sorted(ea.keys() - eb.keys())],
    }
    out["empty"] = not any(out[k] for k in ("nodesAdded", "nodesRemoved", "nodesChanged",
                                            "edgesAdded", "edgesRemoved"))
    if any(skip.values()):
        out["notCompared"] = {k: sorted(v) for k, v in skip.items() if v}
    return out
