"""Impact (blast radius): what a node uses, or what uses it, to a depth."""

from __future__ import annotations

from collections import Counter, deque
from typing import Any

from gcmap.domain.graph import DependencyGraph, Direction

__all__ = ["impact"]


def impact(graph: DependencyGraph, key: str, depth: int = 3,
           direction: Direction = "usedby") -> dict[str, Any]:
    """Breadth-first from ``key``; each reached node with its distance.

    Raises:
        KeyError: the key is not in the graph.
        ValueError: depth below 1 or an unknown direction.
    """
    if key not in graph:
        raise KeyError(key)
    if depth < 1:
        raise ValueError("depth must be at least 1")
    if direction not in ("uses", "usedby"):
        raise ValueError("direction must be 'uses' or 'usedby'")
    dist = {key: 0}
    queue = deque([key])
    while queue:
        cur = queue.popleft()
        if dist[cur] == depth:
            continue
        for nxt in graph.neighbours(cur, direction):
            if nxt not in dist:
                dist[nxt] = dist[cur] + 1
                queue.append(nxt)
    reached = sorted((k for k in dist if k != key), key=lambda k: (dist[k], k))
    nodes = [{"key": k, "type": graph.node(k).type, "name": graph.node(k).name,
              "distance": dist[k]} for k in reached]
    return {"node": key, "direction": direction, "depth": depth, "count": len(nodes),
            "byType": dict(sorted(Counter(n["type"] for n in nodes).items())),
            "nodes": nodes}
