"""Validation against networkx as the oracle, on random graphs."""

from __future__ import annotations

import itertools

import networkx as nx
from hypothesis import given, settings

from gcmap.domain.validate import validate
from tests.strategies import digraphs, make_result


def _nx(n: int, edges: list[tuple[int, int, bool]]) -> nx.DiGraph:
    g = nx.DiGraph()
    g.add_nodes_from(f"queue:{i:03d}" for i in range(n))
    g.add_edges_from((f"queue:{a:03d}", f"queue:{b:03d}") for a, b, _ in edges)
    return g


@settings(max_examples=300, deadline=None)
@given(digraphs())
def test_components_depth_and_cycles_match_networkx(graph: tuple[int, list]) -> None:
    n, edges = graph
    result = make_result(n, edges)
    report = validate(result, max_depth=3)
    oracle = _nx(n, edges)
    want = sorted(sorted(c) for c in nx.strongly_connected_components(oracle) if len(c) > 1)
    assert sorted(report.components) == want
    loops = oracle.copy()
    loops.remove_edges_from(nx.selfloop_edges(loops))
    cond = nx.condensation(loops)
    assert report.depth == nx.dag_longest_path_length(cond)
    assert len(report.chain) == report.depth + 1
    # The reported chain is a real path through the condensation.
    comp_of = cond.graph["mapping"]
    for a, b in zip(report.chain, report.chain[1:], strict=False):
        assert cond.has_edge(comp_of[a], comp_of[b])
    cycles = [f for f in report.findings if f.rule == "cycle"]
    assert len(cycles) == len(want)
    for f in cycles:
        for path in f.evidence["cycles"]:
            assert path[0] == path[-1] and len(path) >= 3
            for a, b in itertools.pairwise(path):
                assert oracle.has_edge(a, b), f"{a}->{b} is not an edge"
            assert len(set(path[:-1])) == len(path) - 1  # simple cycle
        # Shortest: no cycle through the first node is shorter.
        first = f.evidence["path"]
        start = first[0]
        shortest = min(len(nx.shortest_path(loops, s, start)) for s in loops.successors(start)
                       if nx.has_path(loops, s, start))
        assert len(first) - 1 == shortest
    assert any(f.rule == "depth-exceeded" for f in report.findings) == (report.depth > 3)


@settings(max_examples=200, deadline=None)
@given(digraphs())
def test_create_order_puts_every_target_first_except_deferred(graph: tuple[int, list]) -> None:
    n, edges = graph
    report = validate(make_result(n, edges))
    pos: dict[str, int] = {}
    deferred = set()
    for i, step in enumerate(report.order):
        for k in step.nodes:
            pos[k] = i
        deferred.update((e.src, e.dst, e.field) for e in step.deferred)
    assert len(pos) == n  # every node appears once
    assert sum(len(s.nodes) for s in report.order) == n
    for a, b, _d in edges:
        sa, sb = f"queue:{a:03d}", f"queue:{b:03d}"
        if sa == sb:
            continue
        if pos[sa] != pos[sb]:
            assert pos[sb] < pos[sa], "a referenced object is created after its holder"
    undeferrable = [f for f in report.findings if f.rule == "cycle"
                    and f.evidence["undeferrable"]]
    stuck = {k for f in undeferrable for k in f.nodes}
    assert all(f.severity == "error" for f in undeferrable)
    # Within a step that can be created, every edge not deferred points at an earlier node,
    # and only deferrable edges are deferred.
    for step in report.order:
        if set(step.nodes) <= stuck:
            continue
        idx = {k: i for i, k in enumerate(step.nodes)}
        for a, b, d in edges:
            sa, sb = f"queue:{a:03d}", f"queue:{b:03d}"
            if sa in idx and sb in idx and sa != sb:
                if (sa, sb, f"f{a}_{b}") in deferred:
                    assert d, "a field that cannot be set later was deferred"
                else:
                    assert idx[sb] < idx[sa]


@settings(max_examples=200, deadline=None)
@given(digraphs())
def test_dags_and_diamonds_never_produce_cycle_findings(graph: tuple[int, list]) -> None:
    n, edges = graph
    dag = [(a, b, d) for a, b, d in edges if a < b]  # edges only go forward: acyclic
    report = validate(make_result(n, dag))
    assert not [f for f in report.findings if f.rule in ("cycle", "self-reference")]
    assert nx.is_directed_acyclic_graph(_nx(n, dag))
