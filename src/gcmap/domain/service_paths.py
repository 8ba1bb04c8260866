"""Service paths: which entry points still reach someone who can serve them, when objects
fail (docs/service-paths.md).

Each evaluation costs two backward sweeps from the destinations and one pass over the
condensation of the service graph (reached destinations as bit sets), so it is linear in
the size of the service graph however many entry points there are. Single points of
failure come from one post-dominator tree over the whole service graph.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from gcmap.domain.graph import KeyDigraph
from gcmap.domain.service_model import Mode, ServiceModel

__all__ = ["Outcome", "Status", "by_object", "evaluate", "resilience", "whatif"]

Status = Literal["ok", "degraded", "down"]
RANK: dict[str, int] = {"ok": 0, "degraded": 1, "down": 2}
_SINK = "\x00sink"


@dataclass(frozen=True)
class Outcome:
    """How one entry point fares under one set of failures."""

    status: Status
    modes: dict[str, Status]
    path: list[str] | None
    reached: frozenset[str]


def _worst(statuses: Iterable[Status]) -> Status:
    return max(statuses, key=RANK.__getitem__, default="down")


def evaluate(model: ServiceModel, failed: Iterable[str] = ()) -> dict[str, Outcome]:
    """Every entry point's status, best path and reached destinations, with ``failed`` down.

    A failed queue stops serving but still passes its contacts on over its fallback edges;
    any other failed object carries nothing.
    """
    down = frozenset(failed)
    serving = model.serves - down
    lossy = {f for f, acts in model.calls.items() if any(a in down for a in acts)}
    blocked = (down - {k for k in down if k.startswith("queue:")}) | model.holes
    pred: dict[str, list[tuple[str, bool]]] = {}
    for src, targets in model.succ.items():
        if src not in blocked:
            for dst, fallback in targets:
                pred.setdefault(dst, []).append((src, fallback))
    ok = _sweep(serving - lossy, pred, lambda p, fb: not fb and p not in lossy)
    reach = _sweep(serving, pred, lambda p, fb: True)
    telephony = not model.carriers or any(not (set(c) & down) for c in model.carriers)
    order = sorted(model.serves)  # bit i of a reached set is order[i]
    bits = _reached(model, order, blocked, serving)
    out: dict[str, Outcome] = {}
    for ep in model.entry_points:
        modes: dict[str, Status] = {}
        reached = 0
        for m in ep.modes:
            live = m.start is not None and not (set(m.needs) & down) and (
                telephony or not ep.voice)
            if not live or m.start in blocked:
                modes[m.name] = "down"
                continue
            modes[m.name] = "ok" if m.start in ok else "degraded" if m.start in reach \
                else "down"
            if m.counted:
                reached |= bits.get(str(m.start), 0)
        status = _worst(modes[m.name] for m in ep.modes if m.counted)
        first = ep.modes[0]
        path = _path(model, first, modes[first.name], ok, reach, serving)
        out[ep.key] = Outcome(status, modes, path,
                              frozenset(k for i, k in enumerate(order) if reached >> i & 1))
    return out


def _sweep(targets: frozenset[str], pred: dict[str, list[tuple[str, bool]]],
           keep: Any) -> set[str]:
    """Every node with a path to a target over the edges ``keep(pred, fallback)`` accepts."""
    seen = set(targets)
    todo = deque(sorted(targets))
    while todo:
        cur = todo.popleft()
        for p, fb in pred.get(cur, ()):
            if p not in seen and keep(p, fb):
                seen.add(p)
                todo.append(p)
    return seen


def _path(model: ServiceModel, mode: Mode, status: Status, ok: set[str], reach: set[str],
          serving: frozenset[str]) -> list[str] | None:
    """The shortest surviving path of a mode (primary edges only when it is ok)."""
    if status == "down" or mode.start is None:
        return None
    allowed = ok if status == "ok" else reach
    parent: dict[str, str | None] = {mode.start: None}
    todo = deque([mode.start])
    while todo:
        cur = todo.popleft()
        if cur in serving:
            path = [cur]
            while (prev := parent[path[-1]]) is not None:
                path.append(prev)
            return [*mode.needs[:1], *reversed(path)]
        for nxt, fb in model.succ.get(cur, ()):
            if nxt in allowed and nxt not in parent and (status != "ok" or not fb):
                parent[nxt] = cur
                todo.append(nxt)
    return None


def _reached(model: ServiceModel, order: list[str], blocked: frozenset[str],
             serving: frozenset[str]) -> dict[str, int]:
    """For every node, the destinations it reaches, as a bit set over ``order``."""
    index = {k: i for i, k in enumerate(order)}
    g = KeyDigraph(sorted(set(model.succ) | model.serves))
    g.add_edges((a, b) for a, targets in model.succ.items() if a not in blocked
                for b, _ in targets if b not in blocked and b in g)
    bits: dict[str, int] = {}
    for comp in g.dependency_order():  # targets first, so successors are done
        mask = 0
        for k in comp:
            if k in serving:
                mask |= 1 << index[k]
            if k not in blocked:
                for nxt in g.successors(k):
                    mask |= bits.get(nxt, 0)
        for k in comp:
            bits[k] = 0 if k in blocked else mask
    return bits


def whatif(model: ServiceModel, failed: Iterable[str]) -> dict[str, Any]:
    """What changes when every key in ``failed`` fails at once (the ``whatif`` contract)."""
    keys = sorted(set(failed))
    before, after = evaluate(model), evaluate(model, keys)
    changed: list[dict[str, Any]] = []
    for ep in model.entry_points:
        b, a = before[ep.key], after[ep.key]
        if b.status == a.status and b.reached == a.reached:
            continue
        changed.append({"key": ep.key, "type": ep.type, "name": ep.name,
                        "numbers": list(ep.numbers), "before": b.status, "after": a.status,
                        "modes": a.modes, "path": a.path,
                        "lost": sorted(b.reached - a.reached)})
    changed.sort(key=lambda e: (-RANK[str(e["after"])], str(e["key"])))
    return {"failed": keys,
            "summary": {"entryPoints": len(model.entry_points),
                        "down": sum(e["after"] == "down" for e in changed),
                        "degraded": sum(e["after"] == "degraded" for e in changed),
                        "unchanged": len(model.entry_points) - len(changed)},
            "entryPoints": changed}


def resilience(model: ServiceModel) -> dict[str, list[str]]:
    """Each entry point's single points of failure: the objects (other than itself) whose
    failure alone makes it ``down``. Entry points already down have none."""
    serve_of = {q: f"{q}\x00serve" for q in model.serves if not q.startswith("flow:")}
    pairs = [(a, b) for a, targets in model.succ.items() if a not in model.holes
             for b, _ in targets if b not in model.holes]
    for d in sorted(model.serves):
        pairs += [(d, serve_of[d]), (serve_of[d], _SINK)] if d in serve_of else [(d, _SINK)]
    g = KeyDigraph(sorted({k for pair in pairs for k in pair} | {_SINK}))
    g.add_edges(pairs)
    idom = g.postdominators(_SINK)
    owner = {v: k for k, v in serve_of.items()}
    common = set.intersection(*map(set, model.carriers)) if model.carriers else set()
    before = evaluate(model)
    out: dict[str, list[str]] = {}
    for ep in model.entry_points:
        if before[ep.key].status == "down":
            out[ep.key] = []
            continue
        spof: set[str] = set(common) if ep.voice else set()
        for m in ep.modes:
            if not m.counted or m.start is None:
                continue
            spof |= set(m.needs)
            cur: str | None = m.start
            while cur is not None and cur != _SINK:
                if cur in owner:
                    spof.add(owner[cur])
                elif not cur.startswith("queue:"):
                    spof.add(cur)  # a failed queue still passes contacts on
                cur = idom.get(cur)
        spof.discard(ep.key)
        out[ep.key] = sorted(spof)
    return out


def by_object(single_points: dict[str, list[str]]) -> list[tuple[str, list[str]]]:
    """(object, entry points it alone takes down), most entry points first, then by key."""
    out: dict[str, list[str]] = {}
    for ep, keys in single_points.items():
        for k in keys:
            out.setdefault(k, []).append(ep)
    return sorted(((k, sorted(v)) for k, v in out.items()), key=lambda kv: (-len(kv[1]), kv[0]))
