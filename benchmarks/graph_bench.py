"""Graph benchmark: build + validate with gcmap (rustworkx) against the same steps in networkx.

Inputs, each measured in its own process (so peak RSS belongs to one side only):
* random: 100,000 nodes and 500,000 edges, seeded;
* org: the graph of gcsim's huge org (103,037 objects, 537,285 references), layered like a
  real org, given to both sides as node and edge lists;
* records (gcmap only): the same org from its API records, reference extraction included.

Steps timed on both sides: graph construction, strongly connected components, a shortest
cycle through each cyclic component, condensation, longest path (depth) and topological order.
Usage: python benchmarks/graph_bench.py
"""

from __future__ import annotations

import json
import pickle
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections import deque
from pathlib import Path
from typing import Any

N, M = 100_000, 500_000


def random_edges(seed: int = 1) -> list[tuple[int, int]]:
    rng = random.Random(seed)
    return [(rng.randrange(N), rng.randrange(N)) for _ in range(M)]


def gcmap_random() -> dict[str, Any]:
    from gcmap.domain.build import BuildResult
    from gcmap.domain.graph import DependencyGraph, no_gc
    from gcmap.domain.model import Edge, Node
    from gcmap.domain.validate import validate

    pairs = random_edges()
    t0 = time.perf_counter()
    with no_gc():  # as build_graph does
        g = DependencyGraph()
        nodes = [Node("queue", f"{i:06d}", f"Q{i}") for i in range(N)]
        for n in nodes:
            g.add_node(n)
        keys = [n.key for n in nodes]
        make = Edge._make
        g.add_edges([make((keys[a], keys[b], "f", "reference", "field", False))
                     for a, b in pairs])
    t1 = time.perf_counter()
    report = validate(BuildResult(g))
    t2 = time.perf_counter()
    return {"build_s": t1 - t0, "validate_s": t2 - t1, "total_s": t2 - t0,
            "components": report.stats["stronglyConnectedComponents"], "depth": report.depth}


def _nx_validate(g: Any) -> tuple[int, int]:
    import networkx as nx

    comps = [c for c in nx.strongly_connected_components(g) if len(c) > 1]
    for c in comps:  # one shortest cycle through the smallest key, as gcmap does
        start = min(c)
        back = {p for p in g.pred[start] if p in c}
        parent = {start: None}
        q = deque([start])
        found = False
        while q and not found:
            cur = q.popleft()
            for n in sorted(g.succ[cur]):
                if n in c and n not in parent:
                    parent[n] = cur
                    if n in back:
                        found = True
                        break
                    q.append(n)
    h = g.copy()
    h.remove_edges_from(nx.selfloop_edges(h))
    cond = nx.condensation(h, scc=nx.strongly_connected_components(h))
    depth = nx.dag_longest_path_length(cond)
    list(nx.topological_sort(cond))
    return len(comps), depth


def networkx_random() -> dict[str, Any]:
    import networkx as nx

    pairs = random_edges()
    t0 = time.perf_counter()
    g = nx.MultiDiGraph()
    keys = [f"queue:{i:06d}" for i in range(N)]
    g.add_nodes_from(keys)
    g.add_edges_from((keys[a], keys[b], {"field": "f"}) for a, b in pairs)
    g = nx.DiGraph(g)
    t1 = time.perf_counter()
    comps, depth = _nx_validate(g)
    t2 = time.perf_counter()
    return {"build_s": t1 - t0, "validate_s": t2 - t1, "total_s": t2 - t0,
            "components": comps, "depth": depth}


ORG_LISTS = Path(tempfile.gettempdir()) / "gcmap-bench-org-lists.pickle"


def _write_org_lists() -> None:
    """Extract the huge org's graph once, in the parent, so the measured processes load only
    node and edge lists (the records would dominate their peak memory)."""
    from gcmap.domain.build import build_graph
    from gcsim import generate_org

    result = build_graph(generate_org("huge", 1))
    nodes = [(n.type, n.id, n.name, n.division) for n in result.graph.nodes()]
    edges = [tuple(e) for e in result.graph.edges()]
    ORG_LISTS.write_bytes(pickle.dumps((nodes, edges)))


def _org_lists() -> tuple[list[Any], list[Any]]:
    from gcmap.domain.model import Edge, Node

    nodes, edges = pickle.loads(ORG_LISTS.read_bytes())
    return [Node(*n) for n in nodes], [Edge._make(e) for e in edges]


def gcmap_org() -> dict[str, Any]:
    from gcmap.domain.build import BuildResult
    from gcmap.domain.graph import DependencyGraph, no_gc
    from gcmap.domain.validate import validate

    nodes, edges = _org_lists()
    t0 = time.perf_counter()
    with no_gc():
        g = DependencyGraph()
        for n in nodes:
            g.add_node(n)
        g.add_edges(edges)
    t1 = time.perf_counter()
    report = validate(BuildResult(g))
    t2 = time.perf_counter()
    return {"build_s": t1 - t0, "validate_s": t2 - t1, "total_s": t2 - t0,
            "nodes": len(g), "edges": g.edge_count,
            "components": report.stats["stronglyConnectedComponents"], "depth": report.depth}


def gcmap_records() -> dict[str, Any]:
    from gcmap.domain.build import build_graph
    from gcmap.domain.validate import validate
    from gcsim import generate_org

    org = generate_org("huge", 1)
    t0 = time.perf_counter()
    result = build_graph(org)
    t1 = time.perf_counter()
    report = validate(result)
    t2 = time.perf_counter()
    return {"build_s": t1 - t0, "validate_s": t2 - t1, "total_s": t2 - t0,
            "nodes": len(result.graph), "edges": result.graph.edge_count,
            "components": report.stats["stronglyConnectedComponents"], "depth": report.depth}


def networkx_org() -> dict[str, Any]:
    import networkx as nx

    node_list, edge_list = _org_lists()
    nodes = [n.key for n in node_list]
    edges = [(e.src, e.dst, {"field": e.field}) for e in edge_list]
    del node_list, edge_list
    t0 = time.perf_counter()
    g = nx.MultiDiGraph()
    g.add_nodes_from(nodes)
    g.add_edges_from(edges)
    g = nx.DiGraph(g)
    t1 = time.perf_counter()
    comps, depth = _nx_validate(g)
    t2 = time.perf_counter()
    return {"build_s": t1 - t0, "validate_s": t2 - t1, "total_s": t2 - t0,
            "nodes": g.number_of_nodes(), "edges": len(edges), "components": comps,
            "depth": depth}


def _peak_rss_mb() -> float:
    """VmHWM: this process's own high-water mark (ru_maxrss is inherited across fork)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


CASES = {"gcmap-random": gcmap_random, "networkx-random": networkx_random,
         "gcmap-org": gcmap_org, "networkx-org": networkx_org,
         "gcmap-records": gcmap_records}


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--one":
        out = CASES[sys.argv[2]]()
        out["peak_rss_mb"] = _peak_rss_mb()
        print(json.dumps(out))
        return
    _write_org_lists()
    results = {}
    for name in CASES:
        proc = subprocess.run([sys.executable, __file__, "--one", name], capture_output=True,
                              text=True, check=True)
        results[name] = {k: round(v, 3) if isinstance(v, float) else v
                         for k, v in json.loads(proc.stdout).items()}
    for kind in ("random", "org"):
        a, b = results[f"gcmap-{kind}"], results[f"networkx-{kind}"]
        results[f"speedup-{kind}"] = round(b["total_s"] / a["total_s"], 1)
    print(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
