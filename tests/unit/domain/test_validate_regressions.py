"""Named regressions: the cases the usual DFS approaches get wrong."""

from __future__ import annotations

from typing import Any

from gcmap.domain.build import build_graph
from gcmap.domain.registry import DT_CONSUMED
from gcmap.domain.validate import validate
from tests.data import payloads as p
from tests.strategies import make_result


def test_three_flow_cycle_is_found_with_its_ordered_path() -> None:
    doc: dict[str, Any] = {
        "/api/v2/flows": [p.flow("a"), p.flow("b"), p.flow("c"), p.flow("d")],
        DT_CONSUMED: {"a": [p.dep("b", "INBOUNDCALLFLOW")],
                      "b": [p.dep("c", "INBOUNDCALLFLOW")],
                      "c": [p.dep("a", "INBOUNDCALLFLOW"), p.dep("d", "INBOUNDCALLFLOW")]}}
    report = validate(build_graph(doc))
    cycles = [f for f in report.findings if f.rule == "cycle"]
    assert len(cycles) == 1
    f = cycles[0]
    assert f.evidence["path"] == ["flow:a", "flow:b", "flow:c", "flow:a"]
    assert [h["field"] for h in f.evidence["hops"]] == ["consumedResources"] * 3
    assert f.severity == "warning" and "runtime transfer loop" in f.message
    assert f.nodes == ("flow:a", "flow:b", "flow:c")
    # Deferring one flow-to-flow edge is enough to create the flows.
    assert f.evidence["deferEdgeCount"] == 1


def test_diamond_is_not_a_cycle() -> None:
    # a -> b -> d and a -> c -> d: two paths to one object.
    report = validate(make_result(4, [(0, 1, False), (0, 2, False), (1, 3, False),
                                      (2, 3, False)]))
    assert [f for f in report.findings if f.rule == "cycle"] == []
    assert report.depth == 2


def test_seven_edge_chain_exceeds_depth_five_and_is_reported() -> None:
    report = validate(make_result(8, [(i, i + 1, False) for i in range(7)]), max_depth=5)
    hits = [f for f in report.findings if f.rule == "depth-exceeded"]
    assert len(hits) == 1
    ev = hits[0].evidence
    assert ev["depth"] == 7 and ev["maxDepth"] == 5
    assert ev["chain"] == [f"queue:{i:03d}" for i in range(8)]


def test_cycle_counts_once_in_depth() -> None:
    # 0 -> 1 <-> 2 -> 3: the 1/2 loop is one level.
    report = validate(make_result(4, [(0, 1, False), (1, 2, True), (2, 1, False),
                                      (2, 3, False)]))
    assert report.depth == 2


def test_undeferrable_cycle_is_an_error_and_deferrable_one_names_the_field() -> None:
    hard = validate(make_result(2, [(0, 1, False), (1, 0, False)]))
    assert [f.severity for f in hard.findings if f.rule == "cycle"] == ["error"]
    soft = validate(make_result(2, [(0, 1, True), (1, 0, False)]))
    f = next(f for f in soft.findings if f.rule == "cycle")
    assert f.severity == "warning"
    assert [(d["from"], d["to"], d["field"]) for d in f.evidence["deferEdges"]] == [
        ("queue:000", "queue:001", "f0_1")]
    # queue:000 is created first; its field is set once queue:001 exists.
    assert soft.order[0].nodes == ("queue:000", "queue:001")


def test_queue_and_in_queue_flow_loop_defers_the_queue_flow_field() -> None:
    q = dict(p.QUEUE_SUPPORT, id="q1", queueFlow=p.ref("f1"))
    for k in ("conditionalGroupRouting", "directRouting"):
        q.pop(k)
    doc = {"/api/v2/routing/queues": [q], "/api/v2/flows": [p.flow("f1", "INQUEUECALL")],
           DT_CONSUMED: {"f1": [p.dep("q1", "QUEUE")]}}
    f = next(f for f in validate(build_graph(doc)).findings if f.rule == "cycle")
    assert f.evidence["deferEdges"] == [{
        "from": "queue:q1", "to": "flow:f1", "field": "queueFlow",
        "action": "create both, then set queueFlow on queue 'Support' to flow 'Flow f1'"}]


def test_mutual_failover_sites_are_info() -> None:
    a = dict(p.SITE_A, edges=[])
    b = dict(p.SITE_A, id="site-b", primarySites=[p.ref("site-b")],
             secondarySites=[p.ref("site-a")], edges=[])
    report = validate(build_graph({"/api/v2/telephony/providers/edges/sites": [a, b]}))
    assert [f.severity for f in report.findings if f.rule == "cycle"] == ["info"]


def test_findings_are_sorted_and_deterministic() -> None:
    from gcsim import generate_org

    org = generate_org("small", 3)
    one = [f.to_dict() for f in validate(build_graph(org)).findings]
    two = [f.to_dict() for f in validate(build_graph(org)).findings]
    assert one == two
    assert [(f["rule"], f["nodes"]) for f in one] == sorted((f["rule"], f["nodes"])
                                                             for f in one)
