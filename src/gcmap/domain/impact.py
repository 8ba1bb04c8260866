"""Impact (blast radius): what a node uses, or what uses it, to a depth."""

from __future__ import annotations

from collections import Counter, deque
from typing import Any

from gcmap.domain.graph import DependencyGraph, Direction

__all__ = ["granted_in_division", "impact"]

# The fields by which a user (AuthzSubject grants, with GCMAP_USER_GRANTS) or an OAuth client
# (roleDivisions) holds a role in a division.
GRANT_FIELDS = ("grants[].division", "roleDivisions[].divisionId")


def granted_in_division(graph: DependencyGraph, key: str) -> list[dict[str, str]]:
    """Who holds a role in the object's division: the users and OAuth clients that could
    change it, as far as grants go (what each role permits is not read)."""
    division = graph.node(key).division
    dkey = f"division:{division}" if division else ""
    if not dkey or dkey not in graph:
        return []
    holders = sorted({e.src for e in graph.in_edges(dkey) if e.field in GRANT_FIELDS})
    return [{"key": k, "type": graph.node(k).type, "name": graph.node(k).name}
            for k in holders]


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
            "nodes": nodes, "grantedInDivision": granted_in_division(graph, key)}
