"""Validation: cycles with ordered paths, depth on the condensation, dangling references and a
create order for infrastructure-as-code tools.

Severity policy for cycles (documented in docs/validation.md):
* ``error``: no field in the loop can be set after creation, so no tool can create it.
* ``warning``: a runtime transfer loop between flows (a call can bounce forever), or a
  configuration loop that IaC can create only by deferring the named fields.
* ``info``: a loop made only of failover fields (sites that back each other up); expected,
  and created by deferring those fields.
"""

from __future__ import annotations

import itertools
from collections import deque
from dataclasses import dataclass, field
from typing import Any, cast

import rustworkx as rx

from gcmap.domain.advice import cycle_advice, defer_action, label
from gcmap.domain.build import BuildResult
from gcmap.domain.graph import DependencyGraph, no_gc
from gcmap.domain.model import Edge, Finding, Severity
from gcmap.domain.registry import NOT_DEPTH

__all__ = ["OrderStep", "ValidationReport", "shortest_cycle_through", "validate"]

CYCLES_PER_COMPONENT = 10
CYCLES_TOTAL = 200
DEFERRED_LISTED = 50
GREEDY_LIMIT = 500


@dataclass(frozen=True)
class OrderStep:
    """One step of the create order: the objects to create together and fields to set later."""

    nodes: tuple[str, ...]
    deferred: tuple[Edge, ...] = ()


@dataclass
class ValidationReport:
    """What validation found."""

    findings: list[Finding]
    components: list[list[str]]
    depth: int
    chain: list[str]
    order: list[OrderStep]
    stats: dict[str, Any] = field(default_factory=dict)


def _edge_between(graph: DependencyGraph, a: int, b: int) -> Edge:
    edges: list[Edge] = list(graph.rx_graph.get_all_edge_data(a, b))
    return min(edges, key=Edge.sort_key)


def shortest_cycle_through(graph: DependencyGraph, start: int, comp: list[int],
                           comp_id: int) -> list[int]:
    """Indices of a shortest cycle through ``start`` inside its component, start repeated last.

    Breadth-first from ``start`` until a node with an edge back to ``start`` is reached; ties
    are broken by node key so the answer is stable.
    """
    g = graph.rx_graph
    back = {p for p in g.predecessor_indices(start) if comp[p] == comp_id and p != start}
    parent: dict[int, int] = {start: -1}
    frontier = deque([start])
    while frontier:
        cur = frontier.popleft()
        nxt = sorted({n for n in g.successor_indices(cur)
                      if comp[n] == comp_id and n not in parent}, key=graph.keys.__getitem__)
        for n in nxt:
            parent[n] = cur
            if n in back:
                path = [n]
                while parent[path[-1]] != -1:
                    path.append(parent[path[-1]])
                path.reverse()
                return [*path, start]
            frontier.append(n)
    raise ValueError("start is not on a cycle in its component")


def _severity(edges: list[Edge], undeferrable: bool) -> tuple[Severity, str]:
    if not any(counts_toward_depth(e) for e in edges):
        return "info", ("loop through memberships, owners or the org chart only; IaC sets "
                        "these after the objects exist, and routing does not follow them")
    if undeferrable:
        return "error", "blocks creation order: no field in the loop can be set later"
    if all(e.source == "dependency-tracking" and e.src.startswith("flow:")
           and e.dst.startswith("flow:") for e in edges):
        return "warning", "runtime transfer loop between flows"
    if all(e.kind == "failover" for e in edges):
        return "info", "mutual failover loop; create the objects, then set the deferred fields"
    return "warning", "configuration loop; IaC must create it in two passes, deferring fields"


def _intra_edges(graph: DependencyGraph, members: list[int]) -> list[tuple[int, int, Edge]]:
    """Edges inside one component as (global source, global target, edge), no self loops.

    Extracting the subgraph in rustworkx is much faster than walking out-edges in Python.
    """
    sub = graph.rx_graph.subgraph(members)
    to_global = [graph.index(n.key) for n in sub.nodes()]
    return [(to_global[a], to_global[b], e) for a, b, e in sub.weighted_edge_list()
            if a != b]


def _component_order(graph: DependencyGraph, members: list[int],
                     intra: list[tuple[int, int, Edge]],
                     ) -> tuple[list[int], list[Edge], bool]:
    """Order a component by its non-deferrable edges (targets first).

    Returns (order, deferred edges, undeferrable) where undeferrable means the component stays
    cyclic without its deferrable edges.
    """
    keys = graph.keys
    sub = rx.PyDiGraph()
    local = {m: sub.add_node(m) for m in members}
    sub.add_edges_from_no_data([(local[a], local[b]) for a, b, e in intra
                                if not e.deferrable])
    try:
        topo = rx.topological_sort(sub)
    except rx.DAGHasCycle:
        return sorted(members, key=keys.__getitem__), [], True
    # Keep every deferrable edge that does not close a loop, so only a minimal set is
    # deferred (greedy, in stable order; skipped on very large components for speed).
    deferred: list[Edge] = []
    candidates = sorted((t for t in intra if t[2].deferrable), key=lambda t: t[2].sort_key())
    if len(members) <= GREEDY_LIMIT:
        for a, b, e in candidates:
            if rx.has_path(sub, local[b], local[a]):
                deferred.append(e)
            else:
                sub.add_edge(local[a], local[b], None)
        topo = rx.topological_sort(sub)
        order = [sub[i] for i in reversed(topo)]
    else:
        order = [sub[i] for i in reversed(topo)]
        pos = {m: i for i, m in enumerate(order)}
        deferred = [e for a, b, e in candidates if pos[b] > pos[a]]
    return order, sorted(deferred, key=Edge.sort_key), False


def validate(result: BuildResult, max_depth: int = 8) -> ValidationReport:
    """Validate a built graph.

    Args:
        result: the output of ``build_graph``.
        max_depth: the longest allowed reference chain, in edges; longer gives
            ``depth-exceeded``.
    """
    with no_gc():
        return _validate(result, max_depth)


def _validate(result: BuildResult, max_depth: int) -> ValidationReport:
    graph = result.graph
    g = graph.rx_graph
    keys = graph.keys
    key_of = keys.__getitem__
    findings: list[Finding] = []
    sccs = [sorted(c) if len(c) > 1 else list(c) for c in rx.strongly_connected_components(g)]
    comp = [0] * (max(g.node_indices(), default=-1) + 1)
    for i, c in enumerate(sccs):
        for n in c:
            comp[n] = i
    cyclic = sorted((c for c in sccs if len(c) > 1), key=lambda c: min(map(key_of, c)))
    cycles_listed = 0
    deferred_by_comp: dict[int, list[Edge]] = {}
    order_by_comp: dict[int, list[int]] = {}
    for c in cyclic:
        cid = comp[c[0]]
        keys_sorted = sorted(c, key=key_of)
        paths: list[list[int]] = []
        covered: set[int] = set()
        for start in keys_sorted:
            if start in covered:
                continue
            if paths and (len(paths) >= CYCLES_PER_COMPONENT or cycles_listed >= CYCLES_TOTAL):
                break
            path = shortest_cycle_through(graph, start, comp, cid)
            paths.append(path)
            covered.update(path)
            cycles_listed += 1
        payloads = [e for e in g.subgraph(c).edges() if e[0] != e[1]]
        if any(e.deferrable for e in payloads):
            order, deferred, undeferrable = _component_order(graph, c, _intra_edges(graph, c))
        else:  # nothing can be set later: no tool can create this loop
            order, deferred, undeferrable = sorted(c, key=key_of), [], True
        deferred_by_comp[cid] = deferred
        order_by_comp[cid] = order
        severity, why = _severity(payloads, undeferrable)
        kind = ("runtime" if why.startswith("runtime") else
                "membership" if why.startswith("loop through memberships") else "config")
        hops = [[{"from": graph.key_at(a), "to": graph.key_at(b),
                  "field": _edge_between(graph, a, b).field} for a, b in itertools.pairwise(p)]
                for p in paths]
        first = [graph.key_at(i) for i in paths[0]]
        findings.append(Finding(
            "cycle", severity, tuple(graph.key_at(i) for i in keys_sorted),
            f"{len(c)} objects reference each other in a loop ({why}): "
            + " -> ".join(label(graph, k) for k in first),
            {"path": first, "hops": hops[0], "cycles": [[graph.key_at(i) for i in p]
                                                      for p in paths],
             "size": len(c), "undeferrable": undeferrable,
             "deferEdges": [_edge_dict(e) | {"action": defer_action(graph, e)}
                            for e in deferred[:DEFERRED_LISTED]],
             "deferEdgeCount": len(deferred),
             "loopKind": kind, "advice": cycle_advice(graph, payloads, kind)}))
    for e in result.self_refs:
        findings.append(Finding(
            "self-reference", "warning", (e.src,),
            f"{label(graph, e.src)} references itself in {e.field}",
            {"field": e.field, "kind": e.kind}))
    for d in result.dangling:
        why = ("which was deleted; remove the reference or point it at a live object"
               if d.deleted else
               "which does not exist (deleted, or not visible to these credentials)")
        findings.append(Finding(
            "dangling-reference", "error", (d.src,),
            f"{label(graph, d.src)} references {d.target_type}:{d.target_id} in {d.field}, "
            f"{why}",
            {"field": d.field, "targetType": d.target_type, "targetId": d.target_id,
             "source": d.source, "targetDeleted": d.deleted}))
    # The stub types sccs as list[int]; the function takes a list of components.
    cond = rx.digraph_condensation(g, sccs=cast(Any, [list(c) for c in sccs]))
    node_map = cond.attrs["node_map"]
    chain = _config_chain(graph)
    depth = max(0, len(chain) - 1)
    if depth > max_depth:
        findings.append(Finding(
            "depth-exceeded", "warning", tuple(chain),
            f"a reference chain is {depth} levels deep (limit {max_depth}): "
            + " -> ".join(label(graph, k) for k in chain),
            {"chain": chain, "depth": depth, "maxDepth": max_depth}))
    steps = _create_order(graph, cond, node_map, comp, sccs, order_by_comp, deferred_by_comp)
    findings.sort(key=Finding.sort_key)
    return ValidationReport(findings, [[key_of(i) for i in sorted(c, key=key_of)]
                                       for c in cyclic], depth, chain, steps,
                            {"stronglyConnectedComponents": len(cyclic),
                             "cyclesListed": cycles_listed, "depth": depth,
                             "maxDepth": max_depth})


def counts_toward_depth(e: Edge) -> bool:
    """Whether an edge is configuration that routing and IaC follow (docs/validation.md):
    not the org chart, not membership, not people, not divisions."""
    if e.dst.startswith("division:"):
        return False
    return (e.src.split(":", 1)[0], e.field) not in NOT_DEPTH


def _config_chain(graph: DependencyGraph) -> list[str]:
    """The longest chain over configuration edges only, a cycle counting once; one key (the
    smallest) per strongly connected component."""
    g = graph.rx_graph
    h = rx.PyDiGraph()
    local = {gi: hi for hi, gi in zip(h.add_nodes_from(list(g.node_indices())),
                                      g.node_indices(), strict=True)}
    h.add_edges_from_no_data([(local[a], local[b]) for a, b, e in g.weighted_edge_list()
                              if a != b and counts_toward_depth(e)])
    sccs = [list(c) for c in rx.strongly_connected_components(h)]
    cond = rx.digraph_condensation(h, sccs=cast(Any, sccs))
    if not len(cond):
        return []
    node_map = cond.attrs["node_map"]
    key_at = graph.key_at
    rep = {int(node_map[c[0]]): min(key_at(h[i]) for i in c) for c in sccs}
    return [rep[int(ci)] for ci in rx.dag_longest_path(cond)]


def _edge_dict(e: Edge) -> dict[str, str]:
    return {"from": e.src, "to": e.dst, "field": e.field}


def _create_order(graph: DependencyGraph, cond: rx.PyDiGraph, node_map: Any, comp: list[int],
                  sccs: list[list[int]], order_by_comp: dict[int, list[int]],
                  deferred_by_comp: dict[int, list[Edge]]) -> list[OrderStep]:
    """Condensation in topological order, referenced objects first."""
    cond_to_comp = {int(node_map[c[0]]): i for i, c in enumerate(sccs)}
    steps = []
    for ci in reversed(rx.topological_sort(cond)):
        cid = cond_to_comp[int(ci)]
        members = order_by_comp.get(cid, sccs[cid])
        steps.append(OrderStep(tuple(graph.key_at(i) for i in members),
                               tuple(deferred_by_comp.get(cid, ()))))
    return steps
