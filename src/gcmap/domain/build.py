"""Build the dependency graph from an org document (API path -> records)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from gcmap.domain.extract import RawRef, get_path, refs_of, to_node
from gcmap.domain.graph import DependencyGraph, no_gc
from gcmap.domain.model import Dangling, Edge, Node, node_key
from gcmap.domain.registry import DT_CONSUMED, REGISTRY, SUBCOLLECTIONS, dependency_node_type

__all__ = ["BuildResult", "build_graph", "entries_of", "is_deleted", "records_of"]

_edge = Edge._make  # tuple.__new__: the fastest way to make millions of edges


@dataclass
class BuildResult:
    """The graph and what building it found."""

    graph: DependencyGraph
    dangling: list[Dangling] = field(default_factory=list)
    self_refs: list[Edge] = field(default_factory=list)
    crawled_types: frozenset[str] = frozenset()
    stats: dict[str, Any] = field(default_factory=dict)
    # Keys of records listed with state "deleted": not nodes, but references to them say so.
    deleted: frozenset[str] = frozenset()


def is_deleted(record: Any) -> bool:
    """True for a record whose ``state`` is ``deleted``: listings of telephony objects,
    emergency groups and users return these, and they are not part of the live org."""
    return isinstance(record, dict) and str(record.get("state") or "").lower() == "deleted"


def entries_of(doc: dict[str, Any], source: str) -> list[tuple[str | None, dict[str, Any]]]:
    """(parent id, record) for every record a key holds, deleted ones included.

    A collection holds a list (parent None); a per-parent listing (a path template with a
    parameter) holds ``{parent id: [records]}``, read in parent order; a single object counts
    as one record.
    """
    value = doc.get(source)
    if isinstance(value, list):
        return [(None, r) for r in value if isinstance(r, dict)]
    if isinstance(value, dict) and "{" in source:
        return [(str(pid), r) for pid in sorted(value) for r in value[pid] or []
                if isinstance(r, dict)]
    if isinstance(value, dict) and "id" in value:
        return [(None, value)]
    return []


def records_of(doc: dict[str, Any], source: str) -> list[dict[str, Any]]:
    """The live records a key holds (deleted ones left out)."""
    return [r for _, r in entries_of(doc, source) if not is_deleted(r)]


def build_graph(doc: dict[str, Any]) -> BuildResult:
    """Turn an org document into a DependencyGraph plus dangling and self references.

    Args:
        doc: one JSON object keyed by API path (the gcsim org-file format): collections map to
            lists of entities, sub-collections to ``{parentId: [entities]}``.
    """
    with no_gc():
        return _build(doc)


def _build(doc: dict[str, Any]) -> BuildResult:
    graph = DependencyGraph()
    crawled = frozenset(s.type for s in REGISTRY if s.source in doc)
    pending: list[tuple[str, RawRef]] = []
    deleted: set[str] = set()
    listed = _listed_members(doc)
    for spec in REGISTRY:
        for parent_id, rec in entries_of(doc, spec.source):
            if is_deleted(rec):
                if rec.get("id"):
                    deleted.add(node_key(spec.type, str(rec["id"])))
                continue
            node = to_node(spec, rec, listed.get(node_key(spec.type, str(rec.get("id")))))
            if node is not None and graph.add_node(node):
                pending.extend((node.key, r) for r in refs_of(spec, rec))
                if spec.parent and parent_id:
                    pending.append((node.key, RawRef(spec.parent[1], spec.parent[0], parent_id,
                                                     "", "reference", False, False, False)))
    for sub in SUBCOLLECTIONS:
        by_parent = doc.get(sub.source)
        if not isinstance(by_parent, dict):
            continue
        for parent_id in sorted(by_parent):
            src = node_key(sub.parent, parent_id)
            if src not in graph:
                continue
            items = by_parent[parent_id] or []
            for item in items:
                target = get_path(item, sub.item_path) if sub.item_path else item
                if isinstance(target, dict) and target.get("id"):
                    pending.append((src, RawRef(sub.field, sub.target, str(target["id"]),
                                                str(target.get("name") or ""), sub.kind,
                                                False, False, False)))
    return _resolve(graph, crawled, pending, doc.get(DT_CONSUMED), frozenset(deleted))


def _listed_members(doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Member counts of each parent whose member listing was read, by parent key: set on the
    parent's node when it is made (the listing outranks the parent's own counters)."""
    out: dict[str, dict[str, Any]] = {}
    for sub in SUBCOLLECTIONS:
        by_parent = doc.get(sub.source)
        if "joined" not in sub.extra or not isinstance(by_parent, dict):
            continue
        for parent_id, items in by_parent.items():
            items = items or []
            out[node_key(sub.parent, str(parent_id))] = {
                "joinedMembersListed": sum(1 for i in items if i.get("joined")),
                "membersListed": len(items)}
    return out


def _resolve(graph: DependencyGraph, crawled: frozenset[str],
             pending: list[tuple[str, RawRef]], consumed: Any,
             deleted: frozenset[str]) -> BuildResult:
    result = BuildResult(graph, crawled_types=crawled, deleted=deleted)
    index = graph.key_view()
    edges: list[Edge] = []
    inverse: list[Edge] = []
    seen = resolved = stubs = 0
    for src, r in pending:
        seen += 1
        dst = node_key(r.target_type, r.target_id)
        if dst not in index:
            if r.target_type in crawled:
                result.dangling.append(Dangling(src, r.field, r.target_type, r.target_id,
                                                deleted=dst in deleted))
                continue
            graph.add_node(Node(r.target_type, r.target_id, r.target_name, None,
                                {"stub": True}))
            stubs += 1
        else:
            resolved += 1
        if src == dst:
            if r.self_ok:
                continue
            edge = _edge((src, dst, r.field, r.kind, "field", r.deferrable))
            result.self_refs.append(edge)
            edges.append(edge)
        elif r.inverse:
            inverse.append(_edge((dst, src, r.field, r.kind, "field", r.deferrable)))
        else:
            edges.append(_edge((src, dst, r.field, r.kind, "field", r.deferrable)))
    if isinstance(consumed, dict):
        for flow_id in sorted(consumed):
            src = node_key("flow", flow_id)
            if src not in graph:
                continue
            for dep in consumed[flow_id] or []:
                seen += 1
                ttype = dependency_node_type(str(dep.get("type", "")))
                tid = str(dep.get("id") or "")
                dst = node_key(ttype, tid)
                if dep.get("deleted") or (dst not in graph and ttype in crawled):
                    result.dangling.append(Dangling(
                        src, "consumedResources", ttype, tid, "dependency-tracking",
                        bool(dep.get("deleted")) or dst in deleted))
                    continue
                if dst not in graph:
                    graph.add_node(Node(ttype, tid, str(dep.get("name") or ""), None,
                                        {"stub": True}))
                    stubs += 1
                else:
                    resolved += 1
                # A flow can be published in a second pass, so flow-to-flow is deferrable.
                edge = Edge(src, dst, "consumedResources", "reference", "dependency-tracking",
                            ttype == "flow")
                if src == dst:
                    result.self_refs.append(edge)
                edges.append(edge)
    graph.add_edges(edges)
    # A child listing (site.edges[]) only adds what the child does not already say itself.
    graph.add_edges(e for e in inverse if not graph.has_edge_between(e.src, e.dst))
    result.dangling.sort(key=lambda d: (d.src, d.field, d.target_type, d.target_id))
    result.self_refs.sort(key=Edge.sort_key)
    result.stats = {
        "referencesSeen": seen,
        "referencesResolved": resolved,
        "referencesToUncrawledTypes": stubs,
        "danglingReferences": len(result.dangling),
        "resolutionAccuracy": round(resolved / seen, 6) if seen else 1.0,
        "nodesByType": dict(sorted(Counter(n.type for n in graph.iter_nodes()).items())),
        "edges": graph.edge_count,
    }
    return result
