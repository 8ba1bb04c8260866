"""DependencyGraph: a small façade over rustworkx that speaks node keys, never indices."""

from __future__ import annotations

import gc
from collections import deque
from collections.abc import Callable, Iterable, Iterator, KeysView
from contextlib import contextmanager
from typing import Any, Literal, cast

import rustworkx as rx

from gcmap.domain.model import Edge, Node

__all__ = ["DependencyGraph", "Direction", "KeyDigraph", "no_gc"]

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
        # field -> target key -> source keys: built on first use, once the graph is whole.
        self._by_field: dict[str, dict[str, list[str]]] = {}

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
        self._by_field.clear()
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

    def neighbours(self, key: str, direction: Direction) -> list[str]:
        """The distinct keys ``key`` references (``uses``) or that reference it (``usedby``),
        in no particular order: a breadth-first walk needs no sorted edges, and a hub such
        as a division has one in-edge per object in it."""
        i = self._idx[key]
        found = self._g.successor_indices(i) if direction == "uses" \
            else self._g.predecessor_indices(i)
        keys = self._keys
        return [keys[j] for j in found]

    def sources_by_field(self, key: str, field: str) -> list[str]:
        """The keys whose ``field`` names ``key`` (insertion order; repeated when one object
        names it twice). An index per field is built on first use and then shared."""
        index = self._by_field.get(field)
        if index is None:
            index = {}
            for e in self._g.edges():
                if e.field == field:
                    index.setdefault(e.dst, []).append(e.src)
            self._by_field[field] = index  # built twice at worst by racing readers
        return index.get(key, [])

    def key_view(self) -> KeysView[str]:
        """A read-only view of every key, for fast membership tests in hot loops."""
        return self._idx.keys()

    def iter_nodes(self) -> list[Node]:
        """All nodes in insertion order (no sorting, for counting)."""
        return list(self._g.nodes())

    def iter_edges(self) -> list[Edge]:
        """All edges in insertion order (no sorting, for a pass that orders what it needs)."""
        return list(self._g.edges())

    # -- algorithms, in keys ---------------------------------------------------------------
    def edge_between(self, src: str, dst: str) -> Edge:
        """The first edge (by field) from ``src`` to ``dst`` (ValueError when none)."""
        edges: list[Edge] = list(self._g.get_all_edge_data(self._idx[src], self._idx[dst]))
        return min(edges, key=Edge.sort_key)

    def edges_within(self, keys: Iterable[str]) -> list[Edge]:
        """The edges between these nodes, self references left out.

        Extracting a subgraph in rustworkx is much faster than walking out-edges in Python.
        """
        sub = self._g.subgraph([self._idx[k] for k in keys])
        return [e for e in sub.edges() if e[0] != e[1]]

    def cycles(self) -> list[list[str]]:
        """Every strongly connected component of two or more nodes, each sorted by key, the
        list sorted by first key."""
        keys = self._keys
        comps = (sorted(keys[i] for i in c)
                 for c in rx.strongly_connected_components(self._g) if len(c) > 1)
        return sorted(comps, key=lambda c: c[0])

    def cycle_paths(self, members: list[str], limit: int) -> list[list[str]]:
        """Up to ``limit`` shortest cycles inside one strongly connected component: one
        through each member in key order, skipping members already on a listed cycle. Each
        path repeats its first key last; ties are broken by key so the answer is stable."""
        idx = self._idx
        inside = {idx[k] for k in members}
        covered: set[int] = set()
        paths: list[list[str]] = []
        for start in sorted(inside, key=self._keys.__getitem__):
            if len(paths) >= limit:
                break
            if start not in covered:
                path = self._shortest_cycle(start, inside)
                covered.update(path)
                paths.append([self._keys[i] for i in path])
        return paths

    def _shortest_cycle(self, start: int, inside: set[int]) -> list[int]:
        g, keys = self._g, self._keys
        back = {p for p in g.predecessor_indices(start) if p in inside and p != start}
        parent: dict[int, int] = {start: -1}
        frontier = deque([start])
        while frontier:
            cur = frontier.popleft()
            nxt = sorted({n for n in g.successor_indices(cur) if n in inside and n not in parent},
                         key=keys.__getitem__)
            for n in nxt:
                parent[n] = cur
                if n in back:
                    path = [n]
                    while parent[path[-1]] != -1:
                        path.append(parent[path[-1]])
                    return [*reversed(path), start]
                frontier.append(n)
        raise ValueError(f"{keys[start]} is on no cycle inside its component")

    def dependency_order(self) -> list[list[str]]:
        """Strongly connected components, referenced ones first (a create order); each
        component's keys sorted."""
        return _dependency_order(self._g, self._keys.__getitem__)

    def longest_chain(self, follow: Callable[[Edge], bool]) -> list[str]:
        """The longest path over the edges ``follow`` accepts, a loop counting once: one key
        (the smallest) per strongly connected component on the path."""
        g = self._g
        h = rx.PyDiGraph()
        h.add_nodes_from(range(len(self._keys)))  # indices never change, so they line up
        h.add_edges_from_no_data([(a, b) for a, b, e in g.weighted_edge_list()
                                  if a != b and follow(e)])
        sccs = [list(c) for c in rx.strongly_connected_components(h)]
        cond = rx.digraph_condensation(h, sccs=cast(Any, sccs))
        if not len(cond):
            return []
        node_map = cond.attrs["node_map"]
        keys = self._keys
        rep = {int(node_map[c[0]]): min(keys[i] for i in c) for c in sccs}
        return [rep[int(ci)] for ci in rx.dag_longest_path(cond)]


class KeyDigraph:
    """A plain directed graph over keys, for algorithms on a part of an org (no payloads)."""

    def __init__(self, keys: Iterable[str] = ()) -> None:
        self._g: rx.PyDiGraph = rx.PyDiGraph()
        unique = list(dict.fromkeys(keys))
        self._idx: dict[str, int] = dict(zip(unique, self._g.add_nodes_from(unique),
                                             strict=True))

    def add_node(self, key: str) -> None:
        """Add a key (a second add of the same key does nothing)."""
        if key not in self._idx:
            self._idx[key] = self._g.add_node(key)

    def __contains__(self, key: object) -> bool:
        return key in self._idx

    def add_edge(self, src: str, dst: str) -> None:
        """An edge from ``src`` to ``dst``, adding either key when new."""
        self.add_node(src)
        self.add_node(dst)
        self._g.add_edge(self._idx[src], self._idx[dst], None)

    def add_edges(self, pairs: Iterable[tuple[str, str]]) -> None:
        """Edges between keys already added (KeyError otherwise), in one batch."""
        idx = self._idx
        self._g.add_edges_from_no_data([(idx[a], idx[b]) for a, b in pairs])

    def has_path(self, src: str, dst: str) -> bool:
        return bool(rx.has_path(self._g, self._idx[src], self._idx[dst]))

    def topological_order(self) -> list[str] | None:
        """Every key, targets before the keys that point at them; None when there is a loop."""
        try:
            topo = rx.topological_sort(self._g)
        except rx.DAGHasCycle:
            return None
        return [self._g[i] for i in reversed(topo)]

    def cycles(self) -> list[list[str]]:
        """Strongly connected components of two or more keys, each sorted, sorted by first."""
        g = self._g
        return sorted((sorted(g[i] for i in c) for c in rx.strongly_connected_components(g)
                       if len(c) > 1), key=lambda c: c[0])

    def dependency_order(self) -> list[list[str]]:
        """Strongly connected components, targets first; each component's keys sorted."""
        return _dependency_order(self._g, self._g.__getitem__)

    def successors(self, key: str) -> list[str]:
        """The keys this key has an edge to, sorted, without repeats."""
        g = self._g
        return sorted({g[i] for i in g.successor_indices(self._idx[key])})

    def postdominators(self, sink: str) -> dict[str, str]:
        """For every key with a path to ``sink``, the next key that every such path passes
        through (its immediate post-dominator); ``sink`` itself is left out.

        Walking the answer from a key up to ``sink`` lists exactly the keys whose removal
        alone cuts that key off from ``sink``.
        """
        rev = self._g.copy()
        rev.reverse()
        idom = rx.immediate_dominators(rev, self._idx[sink])
        g = self._g
        return {g[a]: g[b] for a, b in idom.items() if a != b}


def _dependency_order(g: rx.PyDiGraph, key_of: Callable[[int], str]) -> list[list[str]]:
    sccs = [list(c) for c in rx.strongly_connected_components(g)]
    # The stub types sccs as list[int]; the function takes a list of components.
    cond = rx.digraph_condensation(g, sccs=cast(Any, sccs))
    node_map = cond.attrs["node_map"]
    comp_at = {int(node_map[c[0]]): c for c in sccs}
    return [sorted(key_of(i) for i in comp_at[int(ci)])
            for ci in reversed(rx.topological_sort(cond))]
