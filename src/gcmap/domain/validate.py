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
from dataclasses import dataclass, field
from typing import Any

from gcmap.domain.advice import cycle_advice, defer_action, label
from gcmap.domain.build import BuildResult
from gcmap.domain.graph import KeyDigraph, no_gc
from gcmap.domain.model import Edge, Finding, Severity
from gcmap.domain.registry import NOT_DEPTH

__all__ = ["OrderStep", "ValidationReport", "counts_toward_depth", "validate"]

CYCLES_PER_COMPONENT = 10
CYCLES_TOTAL = 200
DEFERRED_LISTED = 50
GREEDY_LIMIT = 500
_NOT_DEPTH_FIELDS = frozenset(f for _, f in NOT_DEPTH)


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


def _component_order(members: list[str], intra: list[Edge],
                     ) -> tuple[list[str], list[Edge], bool]:
    """Order a component by its non-deferrable edges (targets first).

    Returns (order, deferred edges, undeferrable) where undeferrable means the component stays
    cyclic without its deferrable edges.
    """
    sub = KeyDigraph(members)
    sub.add_edges((e.src, e.dst) for e in intra if not e.deferrable)
    order = sub.topological_order()
    if order is None:
        return members, [], True
    # Keep every deferrable edge that does not close a loop, so only a minimal set is
    # deferred (greedy, in stable order; skipped on very large components for speed).
    candidates = sorted((e for e in intra if e.deferrable), key=Edge.sort_key)
    if len(members) <= GREEDY_LIMIT:
        deferred: list[Edge] = []
        for e in candidates:
            if sub.has_path(e.dst, e.src):
                deferred.append(e)
            else:
                sub.add_edge(e.src, e.dst)
        order = sub.topological_order() or order
    else:
        pos = {m: i for i, m in enumerate(order)}
        deferred = [e for e in candidates if pos[e.dst] > pos[e.src]]
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
    findings: list[Finding] = []
    cyclic = graph.cycles()
    cycles_listed = 0
    planned: dict[str, tuple[list[str], list[Edge]]] = {}  # by a component's first key
    for members in cyclic:
        paths = graph.cycle_paths(members, max(1, min(CYCLES_PER_COMPONENT,
                                                      CYCLES_TOTAL - cycles_listed)))
        cycles_listed += len(paths)
        payloads = graph.edges_within(members)
        if any(e.deferrable for e in payloads):
            order, deferred, undeferrable = _component_order(members, payloads)
        else:  # nothing can be set later: no tool can create this loop
            order, deferred, undeferrable = members, [], True
        planned[members[0]] = (order, deferred)
        severity, why = _severity(payloads, undeferrable)
        kind = ("runtime" if why.startswith("runtime") else
                "membership" if why.startswith("loop through memberships") else "config")
        hops = [{"from": a, "to": b, "field": graph.edge_between(a, b).field}
                for a, b in itertools.pairwise(paths[0])]
        findings.append(Finding(
            "cycle", severity, tuple(members),
            f"{len(members)} objects reference each other in a loop ({why}): "
            + " -> ".join(label(graph, k) for k in paths[0]),
            {"path": paths[0], "hops": hops, "cycles": paths,
             "size": len(members), "undeferrable": undeferrable,
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
    chain = graph.longest_chain(counts_toward_depth)
    depth = max(0, len(chain) - 1)
    if depth > max_depth:
        findings.append(Finding(
            "depth-exceeded", "warning", tuple(chain),
            f"a reference chain is {depth} levels deep (limit {max_depth}): "
            + " -> ".join(label(graph, k) for k in chain),
            {"chain": chain, "depth": depth, "maxDepth": max_depth}))
    steps = []
    for comp in graph.dependency_order():  # referenced objects first
        members, deferred = planned.get(comp[0], (comp, []))
        steps.append(OrderStep(tuple(members), tuple(deferred)))
    findings.sort(key=Finding.sort_key)
    return ValidationReport(findings, cyclic, depth, chain, steps,
                            {"stronglyConnectedComponents": len(cyclic),
                             "cyclesListed": cycles_listed, "depth": depth,
                             "maxDepth": max_depth})


def counts_toward_depth(e: Edge) -> bool:
    """Whether an edge is configuration that routing and IaC follow (docs/validation.md):
    not the org chart, not membership, not people, not divisions."""
    if e.dst.startswith("division:"):
        return False
    # Most fields are in no NOT_DEPTH pair; checking the field first skips the split.
    return e.field not in _NOT_DEPTH_FIELDS or (e.src.split(":", 1)[0], e.field) not in NOT_DEPTH


def _edge_dict(e: Edge) -> dict[str, str]:
    return {"from": e.src, "to": e.dst, "field": e.field}
