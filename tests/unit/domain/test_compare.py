"""Compare by identity: the same org with every id remapped matches; planted differences,
and only they, are reported."""

from __future__ import annotations

import copy
import re
import uuid
from typing import Any

from gcmap.domain.compare import compare_documents
from gcmap.services.mapping import map_org
from gcsim import generate_org

Q = "/api/v2/routing/queues"
SKILLS = "/api/v2/routing/skills"
FLOWS = "/api/v2/flows"


UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def _ids(value: Any, out: set[str]) -> None:
    """The object ids (uuids) of an org; type ids and domain names stay as they are."""
    if isinstance(value, dict):
        if isinstance(value.get("id"), str) and UUID.match(value["id"]):
            out.add(value["id"])
        for v in value.values():
            _ids(v, out)
    elif isinstance(value, list):
        for v in value:
            _ids(v, out)


def _remap(value: Any, new: dict[str, str]) -> Any:
    """Every id replaced, wherever it appears (values, sub-collection keys, id strings)."""
    if isinstance(value, dict):
        return {new.get(k, k): _remap(v, new) for k, v in value.items()}
    if isinstance(value, list):
        return [_remap(v, new) for v in value]
    if isinstance(value, str):
        return new.get(value, value)
    return value


def _map(org: dict[str, Any]) -> dict[str, Any]:
    return map_org(org, environment="mypurecloud.com",
                   generated_at="2026-01-01T00:00:00Z").document


def _queue(template: dict[str, Any], name: str) -> dict[str, Any]:
    q = {k: v for k, v in template.items() if k in ("division", "description")}
    return dict(q, id=str(uuid.uuid4()), name=name, memberCount=0)


def test_the_same_org_under_other_ids_is_the_same_and_planted_differences_are_found() -> None:
    dev = generate_org("small", 5)
    ids: set[str] = set()
    _ids(dev, ids)
    prod = _remap(copy.deepcopy(dev), {i: str(uuid.uuid4()) for i in ids})
    assert compare_documents(_map(dev), _map(prod))["different"] == []  # ids alone differ
    # Planted: a queue only in dev, one only in prod, a changed reference, a changed
    # attribute, and a name two skills share in prod.
    dev[Q].append(_queue(dev[Q][0], "Only in dev"))
    prod[Q].append(_queue(prod[Q][0], "Only in prod"))
    inqueue = [f for f in prod[FLOWS] if f["type"] == "INQUEUECALL"]
    target = next(q for q in prod[Q] if q["name"] == "Queue 00010")
    old_flow = target["queueFlow"]["id"]
    new_flow = next(f for f in inqueue if f["id"] != old_flow)
    target["queueFlow"] = {"id": new_flow["id"], "name": new_flow["name"]}
    changed = next(q for q in prod[Q] if q["name"] == "Queue 00011")
    changed["skillEvaluationMethod"] = "BEST"
    twin = dict(prod[SKILLS][0], id=str(uuid.uuid4()))
    prod[SKILLS].append(twin)
    a, b = _map(dev), _map(prod)
    result = compare_documents(a, b)
    assert [e["name"] for e in result["onlyInA"]] == ["Only in dev"]
    assert [e["name"] for e in result["onlyInB"]] == ["Only in prod"]
    old_name = next(f["name"] for f in prod[FLOWS] if f["id"] == old_flow)
    assert [(d["name"], d["attributes"], d["referencesAdded"], d["referencesRemoved"])
            for d in result["different"]] == [
        ("Queue 00010", {}, [{"field": "queueFlow", "type": "flow", "name": new_flow["name"]}],
         [{"field": "queueFlow", "type": "flow", "name": old_name}]),
        ("Queue 00011", {"skillEvaluationMethod": {"a": "ALL", "b": "BEST"}}, [], [])]
    assert [(e["type"], e["name"], len(e["a"]), len(e["b"]))
            for e in result["ambiguous"]] == [("skill", twin["name"], 1, 2)]
    assert result["matched"] == len(b["nodes"]) - 3  # all but the new queue and the twins


def test_an_org_against_itself_is_empty() -> None:
    doc = _map(generate_org("tiny", 2))
    result = compare_documents(doc, doc)
    assert (result["onlyInA"], result["onlyInB"], result["different"],
            result["ambiguous"]) == ([], [], [], [])
    assert result["matched"] == len(doc["nodes"])
