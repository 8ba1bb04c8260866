"""The create order of a mapping document, as steps and as waves (``gcmap order``,
``gcmap promote``)."""

from __future__ import annotations

from typing import Any

from gcmap.domain.build import BuildResult
from gcmap.domain.document import graph_from_document
from gcmap.domain.validate import OrderStep, validate

__all__ = ["create_steps", "steps_of", "waves_of"]


def steps_of(order: list[OrderStep]) -> list[dict[str, Any]]:
    """Validation's create order as JSON steps: objects made together, fields set after."""
    return [{"nodes": list(s.nodes), "deferred": [
        {"from": e.src, "to": e.dst, "field": e.field} for e in s.deferred]} for s in order]


def create_steps(doc: dict[str, Any]) -> list[dict[str, Any]]:
    """The create order of every object in a mapping document, referenced ones first."""
    return steps_of(validate(BuildResult(graph_from_document(doc))).order)


def waves_of(steps: list[dict[str, Any]], doc: dict[str, Any]) -> list[int]:
    """Each step's wave: one more than the latest wave of what its objects reference
    (deferred fields do not count: they are set afterwards)."""
    where = {k: i for i, s in enumerate(steps) for k in s["nodes"]}
    later = {(d["from"], d["to"], d["field"]) for s in steps for d in s["deferred"]}
    needs: dict[int, set[int]] = {}
    for e in doc["edges"]:
        a, b = where.get(e["from"]), where.get(e["to"])
        if a is not None and b is not None and a != b \
                and (e["from"], e["to"], e["field"]) not in later:
            needs.setdefault(a, set()).add(b)
    wave: list[int] = []
    for i in range(len(steps)):  # steps come referenced-first, so needs are already placed
        wave.append(1 + max((wave[j] for j in needs.get(i, ()) if j < i), default=-1))
    return wave
