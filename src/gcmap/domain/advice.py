"""What a person can do about a loop: the field to set, or the flow action to change.

Dependency tracking says only that one flow *consumes* another ("consumedResources"); that is a
relation, not a field anyone can set. What makes it is an action in the consuming flow's
published version (Transfer to Flow, Call Common Module, ...), so the advice names that flow
and its target by name.
"""

from __future__ import annotations

from gcmap.domain.graph import DependencyGraph
from gcmap.domain.model import Edge

__all__ = ["cycle_advice", "defer_action", "label"]


def named(key: str, name: str | None) -> str:
    """``type 'name'`` for a person to read (the key when the object has no name)."""
    return f"{key.split(':', 1)[0].replace('_', ' ')} {name!r}" if name else key


def label(graph: DependencyGraph, key: str) -> str:
    """``named`` for an object of a graph."""
    return named(key, graph.node(key).name if key in graph else None)


def _flow_to_flow(e: Edge) -> bool:
    return (e.source == "dependency-tracking" and e.src.startswith("flow:")
            and e.dst.startswith("flow:"))


def defer_action(graph: DependencyGraph, e: Edge) -> str:
    """One deferred edge as an instruction, with names: what to set (or publish) last."""
    if _flow_to_flow(e):
        return (f"publish {label(graph, e.dst)} first, then publish {label(graph, e.src)}: "
                "its Transfer to Flow or Call Common Module action names it")
    return (f"create both, then set {e.field} on {label(graph, e.src)} "
            f"to {label(graph, e.dst)}")


def cycle_advice(graph: DependencyGraph, edges: list[Edge], kind: str) -> str:
    """The loop as a whole, by kind: ``runtime`` (flows transferring to each other) needs a
    flow changed, not an IaC step; ``membership`` (owners, members, managers) needs nothing
    for routing; ``config`` is created in two passes."""
    if kind == "runtime":
        hops = sorted({(e.src, e.dst) for e in edges if _flow_to_flow(e)})
        src, dst = hops[0]
        return (f"a call can bounce between these flows at runtime; change the transfer in "
                f"{label(graph, src)} (to {label(graph, dst)}) or add an exit condition. No "
                "IaC ordering action is needed: each flow's target exists once published")
    if kind == "membership":
        return ("memberships, owners and managers only: routing does not follow them, and IaC "
                "sets them once the people and groups exist; nothing to change")
    return "create the objects, then set the fields listed in deferEdges (each has an action)"
