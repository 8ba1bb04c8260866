"""Every registry field becomes the right edge; build records dangling and self references."""

from __future__ import annotations

import re
from typing import Any

import pytest
from PureCloudPlatformClientV2 import models as sdk_models

from gcmap.domain.build import build_graph
from gcmap.domain.registry import DT_CONSUMED, REGISTRY, NodeSpec, Ref, dependency_node_type
from gcsim.endpoints import COLLECTIONS
from tests.data import payloads as p
from tests.integration.sdk_models import unknown_fields

ITEM_MODEL = {c.path: c.item for c in COLLECTIONS} | {
    "/api/v2/organizations/me": "Organization",
    "/api/v2/outbound/wrapupcodemappings": "WrapUpCodeMapping"}
SINGLE_OBJECTS = {"organization", "wrapup_code_mapping"}


def _leaf_type(model: str, path: str) -> str:
    """The SDK type name at a registry path (``a.b[].c``, ``*`` for a map value)."""
    type_name = model
    for step in path.split("."):
        m = re.fullmatch(r"(?:list\[|dict\(str, )(.*)[\])]", type_name)
        if step == "*" and m:
            type_name = m.group(1)
            continue
        inst = getattr(sdk_models, type_name)()
        by_json = {j: a for a, j in inst.attribute_map.items()}
        type_name = inst.swagger_types[by_json[step.removesuffix("[]")]]
        m = re.fullmatch(r"list\[(.*)\]", type_name)
        if step.endswith("[]") and m:
            type_name = m.group(1)
    return type_name


def _place(path: str, value: Any) -> dict[str, Any]:
    """A record holding ``value`` at ``path`` (lists of one, objects keyed 'CALL')."""
    steps = path.split(".")
    out: Any = value
    for step in reversed(steps):
        if step == "*":
            out = {"CALL": out}
        elif step.endswith("[]"):
            out = {step[:-2]: [out]}
        else:
            out = {step: out}
    return dict(out)


def _merge(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    return {**a, **b}


CASES = [(spec, ref) for spec in REGISTRY for ref in spec.refs]


@pytest.mark.parametrize(("spec", "ref"), CASES, ids=lambda x: getattr(x, "type", None)
                         or getattr(x, "path", None))
def test_each_registry_field_becomes_its_edge(spec: NodeSpec, ref: Ref) -> None:
    target_type = ref.target
    value: dict[str, Any] = {ref.id_field: "target-1", "name": "T"}
    if ref.by:
        disc, mapping, on_record = ref.by
        raw, target_type = next(iter(mapping.items()))
        if not on_record:
            value[disc] = raw
    holder = _merge({"id": "src-1", spec.name_path: "S"}, _place(ref.path, value))
    if ref.key:  # the ids are the map's keys: {"target-1": [...]}
        holder = _merge({"id": "src-1", spec.name_path: "S"},
                        _place(ref.path.removesuffix(".*"), {"target-1": ["x"]}))
    if ref.by and ref.by[2]:
        holder[ref.by[0]] = next(iter(ref.by[1]))
    if not ref.key and _leaf_type(ITEM_MODEL[spec.source], ref.path) == "str":
        holder = _merge({"id": "src-1", spec.name_path: "S"}, _place(ref.path, "target-1"))
    target_spec = next(s for s in REGISTRY if s.type == target_type)
    doc: dict[str, Any] = {spec.source: [holder] if spec.type not in SINGLE_OBJECTS
                           else holder}
    target = {"id": "target-1", "name": "T"}
    if target_spec.source == spec.source:
        doc[spec.source] = [holder, target]
    else:
        doc[target_spec.source] = [target]
    result = build_graph(doc)
    edges = result.graph.edges()
    src, dst = f"{spec.type}:src-1", f"{target_type}:target-1"
    if ref.inverse:
        assert [(e.src, e.dst, e.kind) for e in edges] == [(dst, src, ref.kind)]
    else:
        assert [(e.src, e.dst, e.kind) for e in edges] == [(src, dst, ref.kind)]
    assert edges[0].field == (ref.path.removesuffix(".*") if ref.key
                              else ref.path.replace("*", "CALL"))
    assert result.dangling == []


@pytest.mark.parametrize(("spec", "ref"), CASES, ids=lambda x: getattr(x, "type", None)
                         or getattr(x, "path", None))
def test_each_registry_field_is_a_field_of_the_sdk_model(spec: NodeSpec, ref: Ref) -> None:
    # The record the test above builds from the registry's path, checked against the SDK's
    # model of that listing's entities: a path the real API does not have fails here.
    model = ITEM_MODEL.get(spec.source)
    assert model is not None, f"{spec.source} has no SDK model in gcsim's endpoint table"
    # An id string where the SDK declares one (backupQueueId), else a reference object.
    leaf = _leaf_type(model, ref.path)
    value: Any = ["x"] if ref.key else "target-1" if leaf == "str" else {
        ref.id_field: "target-1"}
    holder = _merge({"id": "src-1", spec.name_path: "S"}, _place(ref.path, value))
    if ref.by:
        disc, mapping, on_record = ref.by
        if on_record:
            holder[disc] = next(iter(mapping))
        elif isinstance(value, dict):
            value[disc] = next(iter(mapping))
    assert unknown_fields(holder, model) == []


def test_real_queue_payload_gives_every_reference() -> None:
    doc = {"/api/v2/routing/queues": [p.QUEUE_SUPPORT]}
    g = build_graph(doc).graph
    got = {(e.field, e.dst, e.kind) for e in g.out_edges("queue:q-support")}
    assert got == {
        ("division", "division:d-home", "reference"),
        ("queueFlow", "flow:f-inqueue", "reference"),
        ("whisperPrompt", "prompt:p-whisper", "reference"),
        ("onHoldPrompt", "prompt:p-hold", "reference"),
        ("defaultScripts.CALL", "script:s-call", "reference"),
        ("memberGroups[]", "group:g-agents", "reference"),
        ("bullseye.rings[].memberGroups[]", "team:t-tier2", "failover"),
        ("bullseye.rings[].actions.skillsToRemove[]", "skill:sk-french", "reference"),
        ("conditionalGroupRouting.rules[].groups[]", "skill_group:sg-any", "failover"),
    }
    # Referenced types that were not read become stubs, not dangling references.
    assert g.node("flow:f-inqueue").attrs == {"stub": True}
    # The queue's own type was read, so the missing overflow queue is dangling.
    dangling = build_graph(doc).dangling
    assert {(d.field, d.target_id) for d in dangling} == {
        ("conditionalGroupRouting.rules[].queue", "q-overflow"),
        ("directRouting.backupQueueId", "q-overflow")}


def test_dangling_in_queue_flow_is_reported_with_field_queueflow() -> None:
    doc = {"/api/v2/routing/queues": [p.QUEUE_SUPPORT], "/api/v2/flows": [p.flow("f-other")]}
    result = build_graph(doc)
    hit = [d for d in result.dangling if d.field == "queueFlow"]
    assert [(d.src, d.target_type, d.target_id) for d in hit] == [
        ("queue:q-support", "flow", "f-inqueue")]
    assert result.stats["danglingReferences"] == 3
    seen, ok = result.stats["referencesSeen"], result.stats["referencesResolved"]
    assert result.stats["resolutionAccuracy"] == round(ok / seen, 6)
    assert 0 < result.stats["resolutionAccuracy"] < 1


def test_site_self_primary_is_not_a_self_reference_but_secondary_self_is() -> None:
    site = dict(p.SITE_A, secondarySites=[p.ref("site-a")])
    result = build_graph({"/api/v2/telephony/providers/edges/sites": [site]})
    assert [(e.src, e.field) for e in result.self_refs] == [("site:site-a", "secondarySites[]")]


def test_child_listing_does_not_invent_a_loop() -> None:
    edge = {"id": "edge-1", "name": "E1", "site": p.ref("site-a")}
    result = build_graph({"/api/v2/telephony/providers/edges/sites": [p.SITE_A],
                          "/api/v2/telephony/providers/edges": [edge]})
    pairs = [(e.src, e.dst) for e in result.graph.edges()]
    assert ("edge:edge-1", "site:site-a") in pairs
    assert ("site:site-a", "edge:edge-1") not in pairs
    assert pairs.count(("edge:edge-1", "site:site-a")) == 1


def test_dependency_tracking_edges_and_deleted_resources() -> None:
    doc = {"/api/v2/flows": [p.flow("f1"), p.flow("f2")],
           "/api/v2/routing/queues": [dict(p.QUEUE_SUPPORT, id="q1")],
           DT_CONSUMED: {"f1": [p.dep("q1", "QUEUE"), p.dep("f2", "INBOUNDCALLFLOW"),
                                p.dep("sys-1", "SYSTEMPROMPT"), p.dep("q-gone", "QUEUE", True)]}}
    result = build_graph(doc)
    out = {(e.dst, e.source) for e in result.graph.out_edges("flow:f1")}
    assert ("queue:q1", "dependency-tracking") in out
    assert ("flow:f2", "dependency-tracking") in out
    assert ("systemprompt:sys-1", "dependency-tracking") in out  # uncrawled type keeps name
    assert [(d.target_id, d.source) for d in result.dangling
            if d.src == "flow:f1"] == [("q-gone", "dependency-tracking")]


def test_did_owner_type_comes_from_the_record() -> None:
    did = {"id": "did-1", "name": "+1", "owner": {"id": "ivr-main"}, "ownerType": "IVR_CONFIG"}
    g = build_graph({"/api/v2/telephony/providers/edges/dids": [did],
                     "/api/v2/architect/ivrs": [p.IVR_MAIN]}).graph
    assert [e.dst for e in g.out_edges("did:did-1")] == ["ivr:ivr-main"]


def test_queue_members_become_edges_and_counts() -> None:
    members = {"q-support": [{"id": "u-1", "user": {"id": "u-1"}, "joined": True},
                             {"id": "u-2", "user": {"id": "u-2"}, "joined": False}]}
    doc = {"/api/v2/routing/queues": [p.QUEUE_SUPPORT],
           "/api/v2/users": [p.USER_1, dict(p.USER_1, id="u-2", manager=None)],
           "/api/v2/routing/queues/{queueId}/members": members}
    g = build_graph(doc).graph
    assert {e.dst for e in g.out_edges("queue:q-support") if e.field == "members[].user"} == {
        "user:u-1", "user:u-2"}
    assert g.node("queue:q-support").attrs["joinedMembersListed"] == 1


@pytest.mark.parametrize(("dtype", "node_type"), [
    ("INQUEUECALLFLOW", "flow"), ("WORKFLOW", "flow"), ("DATAACTION", "data_action"),
    ("USERPROMPT", "prompt"), ("IVRCONFIGURATION", "ivr"), ("GRAMMAR", "grammar")])
def test_dependency_types_map_to_node_types(dtype: str, node_type: str) -> None:
    assert dependency_node_type(dtype) == node_type


def test_only_a_transfer_flow_reaction_names_a_flow() -> None:
    # SDK Reaction.data: "For transfer_flow, this would be the outbound flow id."
    rs = {"id": "rs-1", "name": "Call analysis", "responses": {
        "disposition.classification.callable.machine": {"reactionType": "transfer_flow",
                                                         "data": "f-out", "name": "Out"},
        "disposition.classification.callable.person": {"reactionType": "transfer",
                                                        "data": "not-an-object"}}}
    result = build_graph({"/api/v2/outbound/callanalysisresponsesets": [rs],
                          "/api/v2/flows": [p.flow("f-out")]})
    assert [(e.src, e.dst, e.field) for e in result.graph.out_edges("response_set:rs-1")] == [
        ("response_set:rs-1", "flow:f-out",
         "responses.disposition.classification.callable.machine")]
    assert result.dangling == []
    assert not [n for n in result.graph.nodes() if n.type == "transfer"]  # no stub made
