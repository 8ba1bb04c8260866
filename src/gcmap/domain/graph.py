"""DependencyGraph: a small façade over rustworkx that speaks node keys, never indices."""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Literal

import rustworkx as rx

from gcmap.domain.model import Edge, Node

__all__ = ["DependencyGraph", "Direction", "no_gc"]

Direction = Literal["uses", "usedby"]


@contextmanager
def no_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while building a graph.

    A build allocates millions of small objects that all stay alive; the collector would
    rescan them again and again for nothing (it costs about half the build time).
    """
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


class DependencyGraph:
    """A directed multigraph of configuration objects; an edge points at what is referenced."""

    def __init__(self) -> None:
        self._g: rx.PyDiGraph = rx.PyDiGraph(multigraph=True)
        self._idx: dict[str, int] = {}
        self._keys: list[str] = []

    # -- building ------------------------------------------------------------------------
    def add_node(self, node: Node) -> bool:
        """Add a node; False when its key is already present (the first one wins)."""
        if node.key in self._idx:
            return False
        self._idx[node.key] = self._g.add_node(node)
        self._keys.append(node.key)
        return True

    def add_edges(self, edges: Iterable[Edge]) -> int:
        """Add edges between existing nodes, dropping exact duplicates; returns how many.

        Raises:
            KeyError: an edge names a node that was not added.
        """
        idx = self._idx
        with no_gc():
            # dict.fromkeys drops duplicates in C while keeping order; a per-edge Python
            # loop costs several times more on orgs with hundreds of thousands of references.
            unique = dict.fromkeys(edges)
            batch = [(idx[e[0]], idx[e[1]], e) for e in unique]
            self._g.add_edges_from(batch)
        return len(batch)

    def has_edge_between(self, src: str, dst: str) -> bool:
        a, b = self._idx.get(src), self._idx.get(dst)
        return a is not None and b is not None and self._g.has_edge(a, b)

    # -- reading -------------------------------------------------------------------------
    def __contains__(self, key: object) -> bool:
        return key in self._idx

    def __len__(self) -> int:
        return len(self._idx)

    @property
    def edge_count(self) -> int:
        return int(self._g.num_edges())

    def node(self, key: str) -> Node:
        """The node with this key (KeyError when absent)."""
        node: Node = self._g[self._idx[key]]
        return node

    def nodes(self) -> list[Node]:
        """All nodes, sorted by key."""
        return sorted(self._g.nodes(), key=lambda n: n.key)

    def edges(self) -> list[Edge]:
        """All edges, sorted by (from, to, field)."""
        return sorted(self._g.edges(), key=Edge.sort_key)

    def out_edges(self, key: str) -> list[Edge]:
        return sorted((e for _, _, e in self._g.out_edges(self._idx[key])), key=Edge.sort_key)

    def in_edges(self, key: str) -> list[Edge]:
        return sorted((e for _, _, e in self._g.in_edges(self._idx[key])), key=Edge.sort_key)

    def neighbours(self, key: str, direction: Direction) -> Iterator[str]:
        if direction == "uses":
            return (e.dst for e in self.out_edges(key))
        return (e.src for e in self.in_edges(key))

    # -- for the algorithms in this package ----------------------------------------------
    @property
    def rx_graph(self) -> rx.PyDiGraph:
        """The underlying rustworkx graph (node payload: Node, edge payload: Edge)."""
        return self._g

    def index(self, key: str) -> int:
        return self._idx[key]

    def key_at(self, index: int) -> str:
        return self._keys[index]

    @property
    def index_map(self) -> dict[str, int]:
        """Key -> index (read-only by convention), for hot membership tests."""
        return self._idx

    @property
    def keys(self) -> list[str]:
        """Node keys by index (read-only by convention; indices never change)."""
        return self._keys

    def iter_nodes(self) -> list[Node]:
        """All nodes in insertion order (no sorting, for counting)."""
        return list(self._g.nodes())
