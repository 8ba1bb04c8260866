"""Service paths on random small orgs, against networkx and brute force."""

from __future__ import annotations

from typing import Any

import networkx as nx
from hypothesis import given, settings
from hypothesis import strategies as st

from gcmap.domain.service_model import ServiceModel, model_from_document
from gcmap.domain.service_paths import RANK, evaluate, resilience
from tests.unit.domain.test_service_paths import DT, PUBLISHED, org


@st.composite
def orgs(draw: Any) -> dict[str, Any]:
    flows = draw(st.integers(1, 6))
    queues = draw(st.integers(1, 5))
    nodes: dict[str, dict[str, Any]] = {}
    for i in range(flows):
        nodes[f"flow:f{i}"] = PUBLISHED if draw(st.booleans()) or i == 0 else {}
    for i in range(queues):
        nodes[f"queue:q{i}"] = {"joinedMembersListed": draw(st.integers(0, 2))}
    nodes["data_action:d0"] = {}
    nodes["trunk:t0"] = {"trunkType": "EXTERNAL"}
    nodes["trunk:t1"] = {"trunkType": "EXTERNAL"}
    nodes["site:s0"] = {}
    edges: list[tuple[str, str, str]] = [("trunk:t0", "site:s0", "edge"),
                                         ("trunk:t1", "site:s0", "edge")]
    targets = [f"flow:f{i}" for i in range(flows)] + [f"queue:q{i}" for i in range(queues)]
    for i in range(flows):
        for t in draw(st.lists(st.sampled_from(targets), max_size=3, unique=True)):
            edges.append((f"flow:f{i}", t, "consumedResources"))
        if draw(st.booleans()):
            edges.append((f"flow:f{i}", "data_action:d0", "consumedResources"))
    for i in range(queues):
        for j in draw(st.lists(st.integers(0, queues - 1), max_size=2, unique=True)):
            edges.append((f"queue:q{i}", f"queue:q{j}", "directRouting.backupQueueId"))
    flow_ids = st.sampled_from([f"flow:f{i}" for i in range(flows)])
    for n in range(draw(st.integers(1, 3))):
        nodes[f"ivr:i{n}"] = {}
        for mode in ("openHoursFlow", "closedHoursFlow", "holidayHoursFlow"):
            edges.append((f"ivr:i{n}", draw(flow_ids), mode))
    nodes["email_route:r0"] = {}
    edges.append(("email_route:r0", draw(st.sampled_from(targets)), "queue"
                  if draw(st.booleans()) else "flow"))
    # A trunk only counts through its edge: edges here point trunks at the site directly.
    doc = org(nodes, [(a, b, f) for a, b, f in edges])
    for e in doc["edges"]:
        if e["field"] == "consumedResources":
            e["source"] = DT
    return doc


def _oracle(model: ServiceModel, failed: set[str], start: str | None, primary: bool) -> bool:
    """Whether ``start`` reaches a live destination, by networkx over the same rules."""
    if start is None:
        return False
    g = nx.DiGraph()
    g.add_node("SINK")
    blocked = {k for k in failed if not k.startswith("queue:")} | set(model.holes)
    lossy = {f for f, acts in model.calls.items() if set(acts) & failed}
    for a, targets in model.succ.items():
        for b, fallback in targets:
            if a in blocked or b in blocked or (primary and (fallback or a in lossy
                                                              or b in lossy)):
                continue
            g.add_edge(a, b)
    for d in model.serves - failed - blocked:
        if not (primary and d in lossy):
            g.add_edge(d, "SINK")
    return start not in blocked and start in g and nx.has_path(g, start, "SINK")


@settings(max_examples=150, deadline=None)
@given(orgs(), st.data())
def test_status_matches_networkx_and_a_failure_never_helps(doc: dict[str, Any],
                                                           data: Any) -> None:
    model = model_from_document(doc)
    keys = model.candidates()
    failed = set(data.draw(st.lists(st.sampled_from(keys), max_size=3)))
    more = failed | {data.draw(st.sampled_from(keys))}
    got, worse = evaluate(model, failed), evaluate(model, more)
    telephony = any(not (set(c) & failed) for c in model.carriers)
    for ep in model.entry_points:
        for m in ep.modes:
            live = not (set(m.needs) & failed) and (telephony or not ep.voice)
            want = ("ok" if live and _oracle(model, failed, m.start, True) else
                    "degraded" if live and _oracle(model, failed, m.start, False) else "down")
            assert got[ep.key].modes[m.name] == want, (ep.key, m.name)
        assert RANK[worse[ep.key].status] >= RANK[got[ep.key].status]
        assert worse[ep.key].reached <= got[ep.key].reached


@settings(max_examples=150, deadline=None)
@given(orgs())
def test_single_points_of_failure_are_exactly_what_alone_takes_it_down(
        doc: dict[str, Any]) -> None:
    model = model_from_document(doc)
    before = evaluate(model)
    spof = resilience(model)
    for ep in model.entry_points:
        if before[ep.key].status == "down":
            assert spof[ep.key] == []
            continue
        brute = [k for k in model.candidates() if k != ep.key
                 and evaluate(model, [k])[ep.key].status == "down"]
        assert spof[ep.key] == brute, ep.key
