"""Impact (blast radius): what a node uses, or what uses it, to a depth."""

from __future__ import annotations

from collections import Counter, deque
from typing import Any

from gcmap.domain.graph import DependencyGraph, Direction

__all__ = ["granted_in_division", "impact", "reach"]

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
    holders = sorted({k for field in GRANT_FIELDS for k in graph.sources_by_field(dkey, field)})
    return [{"key": k, "type": graph.node(k).type, "name": graph.node(k).name}
            for k in holders]


def reach(graph: DependencyGraph, key: str, depth: int,
          direction: Direction) -> dict[str, int]:
    """Breadth-first from ``key`` (at distance 0): every node within ``depth`` hops with its
    distance (unique, so the order of the walk does not matter)."""
    dist = {key: 0}
    queue = deque([key])
    while queue:
        cur = queue.popleft()
        d = dist[cur] + 1
        if d > depth:
            continue
        for nxt in graph.neighbours(cur, direction):
            if nxt not in dist:
                dist[nxt] = d
                queue.append(nxt)
    return dist


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
    dist = reach(graph, key, depth, direction)
    reached = sorted((k for k in dist if k != key), key=lambda k: (dist[k], k))
    nodes = [{"key": k, "type": graph.node(k).type, "name": graph.node(k).name,
              "distance": dist[k]} for k in reached]
    return {"node": key, "direction": direction, "depth": depth, "count": len(nodes),
            "byType": dict(sorted(Counter(n["type"] for n in nodes).items())),
            "nodes": nodes, "grantedInDivision": granted_in_division(graph, key)}
