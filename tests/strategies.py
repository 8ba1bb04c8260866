"""Hypothesis strategies: random typed digraphs, and helpers to build them."""

from __future__ import annotations

from hypothesis import strategies as st

from gcmap.domain.build import BuildResult
from gcmap.domain.graph import DependencyGraph
from gcmap.domain.model import Edge, Node


def make_result(n: int, edges: list[tuple[int, int, bool]]) -> BuildResult:
    """A BuildResult over nodes ``queue:000..`` with the given (src, dst, deferrable) edges."""
    g = DependencyGraph()
    for i in range(n):
        g.add_node(Node("queue", f"{i:03d}", f"Q{i}"))
    es = [Edge(f"queue:{a:03d}", f"queue:{b:03d}", f"f{a}_{b}", "reference", "field", d)
          for a, b, d in edges]
    self_refs = [e for e in es if e.src == e.dst]
    g.add_edges(es)
    return BuildResult(g, [], self_refs)


@st.composite
def digraphs(draw: st.DrawFn, max_nodes: int = 25) -> tuple[int, list[tuple[int, int, bool]]]:
    n = draw(st.integers(1, max_nodes))
    pairs = draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1),
                                    st.booleans()), max_size=n * 3,
                          unique_by=lambda t: (t[0], t[1])))
    return n, pairs
