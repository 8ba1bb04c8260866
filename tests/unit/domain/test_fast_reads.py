"""The indexes behind fast reads answer exactly what a plain scan answers: search against a
substring test per object, reach against networkx's shortest paths, sources by field and
grants against a walk over every edge."""

from __future__ import annotations

import networkx as nx
from hypothesis import given, settings
from hypothesis import strategies as st

from gcmap.domain.graph import DependencyGraph
from gcmap.domain.impact import GRANT_FIELDS, granted_in_division, reach
from gcmap.domain.model import Edge, Node
from gcmap.domain.search import search, search_index

NAMES = st.one_of(st.none(), st.text(alphabet="aAbBİß Q-_\n\x00é1", max_size=8))


@st.composite
def documents(draw: st.DrawFn) -> dict[str, object]:
    n = draw(st.integers(0, 30))
    nodes = [{"key": f"{t}:{ident}", "type": t, "id": ident, "name": draw(NAMES)}
             for i in range(n) for t in [draw(st.sampled_from(["queue", "flow", "user"]))]
             for ident in [f"{i:02d}{draw(st.text(alphabet='abcQé-0', max_size=6))}"]]
    return {"nodes": nodes}


@settings(max_examples=300, deadline=None)
@given(documents(), st.text(alphabet="aAbBİß Q-_\n\x00é1:0c", max_size=6),
       st.sampled_from([None, "queue", "user", "site"]))
def test_search_finds_what_a_scan_of_every_object_finds(doc: dict, q: str, t: str | None
                                                         ) -> None:
    needle = q.lower()
    expected = [n for n in doc["nodes"] if (t is None or n["type"] == t)
                and (needle in (n["name"] or "").lower() or needle in n["key"].lower())]
    assert search(search_index(doc), q, t) == expected


def test_search_reads_as_a_person_types() -> None:
    doc = {"nodes": [{"key": "queue:1", "type": "queue", "id": "1", "name": "Sales EU"},
                     {"key": "queue:2", "type": "queue", "id": "2", "name": "Support"},
                     {"key": "user:3", "type": "user", "id": "3", "name": "Sally"}]}
    index = search_index(doc)
    assert [h["name"] for h in search(index, "sal")] == ["Sales EU", "Sally"]
    assert [h["name"] for h in search(index, "SAL", "user")] == ["Sally"]
    assert [h["name"] for h in search(index, "queue:")] == ["Sales EU", "Support"]
    assert search(index, "nobody") == []


def test_a_pasted_piece_of_an_id_finds_its_object() -> None:
    ids = ["3f2a9c1e-0b7d-4e55-9a61-c0ffee000001", "3f2a9c1e-0b7d-4e55-9a61-c0ffee000002",
           "77aa0000-1111-2222-3333-444455556666", "default"]
    doc = {"nodes": [{"key": f"queue:{i}", "type": "queue", "id": i, "name": f"Q{n}"}
                     for n, i in enumerate(ids)]}
    index = search_index(doc)
    assert [h["name"] for h in search(index, "3F2A9C1E-0B7D")] == ["Q0", "Q1"]
    assert [h["name"] for h in search(index, "ee000002")] == ["Q1"]
    assert [h["name"] for h in search(index, "1111-2222")] == ["Q2"]
    assert [h["name"] for h in search(index, "fault")] == ["Q3"]
    assert [h["name"] for h in search(index, "queue:77aa")] == ["Q2"]
    assert search(index, "0000-9999") == []


@st.composite
def multigraphs(draw: st.DrawFn) -> tuple[int, list[tuple[int, int, str]]]:
    n = draw(st.integers(1, 20))
    edges = draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1),
                                    st.sampled_from(["a", "b", *GRANT_FIELDS])),
                          max_size=n * 4))
    return n, edges


def _graph(n: int, edges: list[tuple[int, int, str]]) -> DependencyGraph:
    """Every fifth node a division; each node in the division at or before it."""
    g = DependencyGraph()
    for i in range(n):
        g.add_node(Node("division" if i % 5 == 0 else "user", f"{i:02d}", f"N{i}",
                        division=f"{i - i % 5:02d}"))
    keys = [f"{'division' if i % 5 == 0 else 'user'}:{i:02d}" for i in range(n)]
    g.add_edges(Edge(keys[a], keys[b], f) for a, b, f in edges)
    return g


@settings(max_examples=200, deadline=None)
@given(multigraphs(), st.integers(0, 19), st.integers(1, 4),
       st.sampled_from(["uses", "usedby"]))
def test_reach_is_networkx_shortest_paths_within_depth(graph: tuple, start: int, depth: int,
                                                       direction: str) -> None:
    n, edges = graph
    g = _graph(n, edges)
    keys = sorted(g.key_view())
    key = keys[start % n]
    oracle = nx.MultiDiGraph()
    oracle.add_nodes_from(keys)
    oracle.add_edges_from((e.src, e.dst) for e in g.edges())
    if direction == "usedby":
        oracle = oracle.reverse()
    assert reach(g, key, depth, direction) == dict(
        nx.single_source_shortest_path_length(oracle, key, cutoff=depth))


@settings(max_examples=200, deadline=None)
@given(multigraphs())
def test_sources_by_field_and_grants_match_a_walk_over_every_edge(graph: tuple) -> None:
    n, edges = graph
    g = _graph(n, edges)
    for key in g.key_view():
        for field in ("a", *GRANT_FIELDS):
            assert sorted(g.sources_by_field(key, field)) == sorted(
                e.src for e in g.edges() if e.dst == key and e.field == field)
    for node in g.iter_nodes():
        division = f"division:{node.division}"
        expected = sorted({e.src for e in g.edges() if e.dst == division
                           and e.field in GRANT_FIELDS})
        assert [h["key"] for h in granted_in_division(g, node.key)] == expected
