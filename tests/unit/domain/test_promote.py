"""Promotion plans between two orgs whose ids all differ: what to create (in waves, loops
closed in a second pass), what to change, what only the target has."""

from __future__ import annotations

import copy
import uuid
from typing import Any

from gcmap.domain.promote import promote_plan
from gcsim import generate_org
from tests.unit.domain.test_compare import FLOWS, Q, _ids, _map, _queue, _remap


def _pair() -> tuple[dict[str, Any], dict[str, Any]]:
    dev = generate_org("small", 5)
    ids: set[str] = set()
    _ids(dev, ids)
    return dev, _remap(copy.deepcopy(dev), {i: str(uuid.uuid4()) for i in ids})


def test_the_same_org_under_other_ids_needs_nothing() -> None:
    dev, prod = _pair()
    plan = promote_plan(_map(dev), _map(prod))
    assert (plan["create"], plan["change"], plan["onlyInB"], plan["ambiguous"]) == (
        {"count": 0, "waves": []}, [], [], [])


def test_new_objects_come_in_waves_with_the_loop_closed_afterwards() -> None:
    dev, prod = _pair()
    # Only in dev: a published in-queue flow, and two queues that back each other up, one
    # of which plays that flow; a queue only in prod; an attribute prod changed.
    flow = dict(next(f for f in dev[FLOWS] if f["type"] == "INQUEUECALL"
                     and "publishedVersion" in f), id=str(uuid.uuid4()), name="New hold flow")
    dev[FLOWS].append(flow)
    first, second = _queue(dev[Q][0], "New sales"), _queue(dev[Q][0], "New overflow")
    first["queueFlow"] = {"id": flow["id"], "name": flow["name"]}
    first["directRouting"] = {"backupQueueId": second["id"]}
    second["directRouting"] = {"backupQueueId": first["id"]}
    dev[Q] += [first, second]
    prod[Q].append(_queue(prod[Q][0], "Only in prod"))
    next(q for q in prod[Q] if q["name"] == "Queue 00011")["skillEvaluationMethod"] = "BEST"
    a, b = _map(dev), _map(prod)
    plan = promote_plan(a, b)
    assert plan["create"]["count"] == 3
    waves = [[(c["type"], c["name"]) for c in w["create"]] for w in plan["create"]["waves"]]
    assert waves == [[("flow", "New hold flow")],
                     [("queue", "New overflow"), ("queue", "New sales")]]
    [later] = plan["create"]["waves"][1]["setAfter"]
    assert later["field"] == "directRouting.backupQueueId"
    assert {later["object"]["name"], later["target"]["name"]} == {"New sales", "New overflow"}
    # References to what prod already has name it by prod's key.
    division = next(d for d in prod["/api/v2/authorization/divisions"]
                    if d["id"] == prod[Q][0]["division"]["id"])
    sales = next(c for c in plan["create"]["waves"][1]["create"] if c["name"] == "New sales")
    assert {"field": "division", "type": "division", "name": division["name"],
            "bKey": f"division:{division['id']}"} in sales["references"]
    assert [(c["name"], c["set"]) for c in plan["change"]] == [
        ("Queue 00011", {"skillEvaluationMethod": "ALL"})]
    assert [e["name"] for e in plan["onlyInB"]] == ["Only in prod"]
