"""Service paths on hand-built orgs: what goes down, what degrades, and what is untouched."""

from __future__ import annotations

from typing import Any

from gcmap.domain.service_model import model_from_document
from gcmap.domain.service_paths import evaluate, resilience, whatif

DT = "dependency-tracking"
PUBLISHED = {"publishedVersion": "1.0"}


def org(nodes: dict[str, dict[str, Any]], edges: list[tuple[str, str, str]],
        ) -> dict[str, Any]:
    """A mapping document: nodes by key with their attrs; edges (from, to, field); flow
    edges to flows, queues and data actions come from dependency tracking."""
    return {"nodes": [{"key": k, "type": k.split(":")[0], "id": k.split(":")[1],
                       "name": k.split(":")[1].title(), "attrs": a}
                      for k, a in sorted(nodes.items())],
            "edges": [{"from": a, "to": b, "field": f, "kind": "reference",
                       "source": DT if f == "consumedResources" else "field"}
                      for a, b, f in edges]}


STAFFED = {"joinedMembersListed": 3}
EMPTY = {"joinedMembersListed": 0}


def one_queue_ivr(backup: bool = False) -> dict[str, Any]:
    nodes = {"ivr:main": {}, "schedule_group:hours": {}, "flow:menu": PUBLISHED,
             "flow:after": PUBLISHED, "queue:sales": STAFFED,
             "ivr:other": {}, "flow:other": PUBLISHED, "queue:other": STAFFED}
    edges = [("ivr:main", "schedule_group:hours", "scheduleGroup"),
             ("ivr:main", "flow:menu", "openHoursFlow"),
             ("ivr:main", "flow:after", "closedHoursFlow"),
             ("ivr:main", "flow:menu", "holidayHoursFlow"),
             ("flow:menu", "queue:sales", "consumedResources"),
             ("flow:after", "queue:sales", "consumedResources"),
             ("ivr:other", "flow:other", "openHoursFlow"),
             ("ivr:other", "flow:other", "closedHoursFlow"),
             ("ivr:other", "flow:other", "holidayHoursFlow"),
             ("flow:other", "queue:other", "consumedResources")]
    if backup:
        nodes["queue:backup"] = STAFFED
        edges.append(("queue:sales", "queue:backup", "directRouting.backupQueueId"))
    return org(nodes, edges)


def test_an_ivr_behind_one_queue_is_down_when_the_queue_or_its_flow_fails() -> None:
    model = model_from_document(one_queue_ivr())
    assert evaluate(model)["ivr:main"].status == "ok"
    for key in ("queue:sales", "flow:menu"):
        got = whatif(model, [key])
        assert [(e["key"], e["before"], e["after"]) for e in got["entryPoints"]] == [
            ("ivr:main", "ok", "down")]
        assert got["summary"] == {"entryPoints": 2, "down": 1, "degraded": 0, "unchanged": 1}
    assert whatif(model, ["queue:sales"])["entryPoints"][0]["lost"] == ["queue:sales"]


def test_a_staffed_backup_queue_leaves_it_degraded_on_the_fallback_path() -> None:
    model = model_from_document(one_queue_ivr(backup=True))
    [ep] = whatif(model, ["queue:sales"])["entryPoints"]
    assert (ep["after"], ep["path"]) == ("degraded", ["ivr:main", "flow:menu", "queue:sales",
                                                      "queue:backup"])
    assert ep["lost"] == ["queue:sales"]
    assert evaluate(model)["ivr:main"].path == ["ivr:main", "flow:menu", "queue:sales"]


def test_an_unrelated_ivr_is_not_listed() -> None:
    got = whatif(model_from_document(one_queue_ivr()), ["queue:sales"])
    assert "ivr:other" not in [e["key"] for e in got["entryPoints"]]


def test_closed_hours_and_holiday_paths_are_judged_in_their_own_modes() -> None:
    model = model_from_document(one_queue_ivr())
    [ep] = whatif(model, ["flow:after"])["entryPoints"]
    assert ep["modes"] == {"open": "ok", "closed": "down", "holiday": "ok"}
    assert ep["after"] == "down"  # after-hours calls reach nobody
    assert ep["lost"] == []  # the open-hours path still reaches the same queue


def test_a_failed_schedule_group_stops_every_mode() -> None:
    [ep] = whatif(model_from_document(one_queue_ivr()), ["schedule_group:hours"])["entryPoints"]
    assert ep["modes"] == {"open": "down", "closed": "down", "holiday": "down"}


def test_a_cycle_between_flows_does_not_loop_the_search() -> None:
    doc = org({"ivr:a": {}, "flow:x": PUBLISHED, "flow:y": PUBLISHED, "queue:q": EMPTY},
              [("ivr:a", "flow:x", "openHoursFlow"), ("flow:x", "flow:y", "consumedResources"),
               ("flow:y", "flow:x", "consumedResources"), ("flow:y", "queue:q",
                                                          "consumedResources")])
    out = evaluate(model_from_document(doc))["ivr:a"]
    assert out.modes["open"] == "down" and out.path is None


def test_losing_a_data_action_degrades_and_an_unpublished_flow_is_a_hole() -> None:
    doc = one_queue_ivr()
    doc["nodes"].append({"key": "data_action:crm", "type": "data_action", "id": "crm",
                         "name": "CRM", "attrs": {}})
    doc["edges"].append({"from": "flow:menu", "to": "data_action:crm",
                         "field": "consumedResources", "kind": "reference", "source": DT})
    model = model_from_document(doc)
    [ep] = whatif(model, ["data_action:crm"])["entryPoints"]
    assert (ep["before"], ep["after"], ep["lost"]) == ("ok", "degraded", [])
    for n in doc["nodes"]:
        if n["key"] == "flow:menu":
            n["attrs"] = {}
    assert evaluate(model_from_document(doc))["ivr:main"].modes["open"] == "down"


def test_voice_entry_points_need_a_trunk_and_the_only_trunk_is_a_single_point() -> None:
    doc = one_queue_ivr()
    extra = {"trunk:t1": {"trunkType": "EXTERNAL"}, "edge:e1": {}, "site:s1": {},
             "trunk_base:carrier": {}, "web_deployment:chat": {}, "flow:bot": PUBLISHED}
    doc["nodes"] += org(extra, [])["nodes"]
    doc["edges"] += org({}, [("trunk:t1", "edge:e1", "edge"), ("edge:e1", "site:s1", "site"),
                             ("trunk:t1", "trunk_base:carrier", "trunkBase"),
                             ("web_deployment:chat", "flow:bot", "flow")])["edges"]
    model = model_from_document(doc)
    got = whatif(model, ["site:s1"])
    assert sorted(e["key"] for e in got["entryPoints"]) == ["ivr:main", "ivr:other"]
    spof = resilience(model)
    assert spof["ivr:other"] == ["edge:e1", "flow:other", "queue:other", "site:s1",
                                 "trunk:t1", "trunk_base:carrier"]
    assert spof["web_deployment:chat"] == ["flow:bot"]  # a bot that ends the chat itself


def test_resilience_lists_what_alone_takes_an_entry_point_down() -> None:
    assert resilience(model_from_document(one_queue_ivr()))["ivr:main"] == [
        "flow:after", "flow:menu", "queue:sales", "schedule_group:hours"]
    # With a staffed backup the queue is no longer a single point of failure.
    assert resilience(model_from_document(one_queue_ivr(backup=True)))["ivr:main"] == [
        "flow:after", "flow:menu", "schedule_group:hours"]


def test_a_message_recipient_is_an_entry_point_through_its_flow() -> None:
    doc = one_queue_ivr()
    doc["nodes"] += org({"message_recipient:sms": {}}, [])["nodes"]
    doc["edges"] += org({}, [("message_recipient:sms", "flow:menu", "flow")])["edges"]
    model = model_from_document(doc)
    assert evaluate(model)["message_recipient:sms"].status == "ok"
    got = {e["key"]: e["after"] for e in whatif(model, ["flow:menu"])["entryPoints"]}
    assert got["message_recipient:sms"] == "down"
