"""Audit records grouped into what to read again."""

from __future__ import annotations

from typing import Any

import pytest

from gcmap.adapters.genesys.reread import plan_changes, reread
from gcmap.domain.errors import FullRemap


def rec(etype: str, action: str, eid: str = "x1") -> dict[str, Any]:
    return {"id": f"{etype}-{action}-{eid}", "entityType": etype, "action": action,
            "entity": {"id": eid, "name": "n"}}


def test_records_collapse_by_object_and_membership_asks_for_members() -> None:
    plan = plan_changes([rec("Queue", "Update", "q1"), rec("Queue", "MemberAdd", "q1"),
                         rec("Queue", "Update", "q1"), rec("Flow", "Publish", "f1"),
                         rec("Prompt", "Update", "p1")])
    assert dict(plan.ids) == {"queue": {"q1"}, "flow": {"f1"}, "prompt": {"p1"},
                              "system_prompt": {"p1"}}
    assert plan.members == {"q1"} and not plan.deletes and plan.records == 5


def test_reads_and_changes_that_cannot_touch_the_graph_are_ignored() -> None:
    plan = plan_changes([rec("Queue", "View"), rec("UserPresence", "Update"),
                         rec("Row", "Create")])
    assert not plan.ids and not plan.unmapped and plan.records == 0


def test_an_entity_type_gcmap_does_not_know_makes_a_full_re_map() -> None:
    class NoCalls:
        def get(self, *a: Any) -> Any:
            raise AssertionError("nothing is read for a change gcmap cannot place")

    with pytest.raises(FullRemap) as exc:
        reread(NoCalls(), {}, [rec("Queue", "Update"), rec("EmailDomain", "Update")])
    assert exc.value.reason == "unmapped-entity"
    assert "EmailDomain (1)" in str(exc.value)


def test_an_id_the_filter_does_not_return_is_gone_and_users_are_asked_in_any_state() -> None:
    asked: list[tuple[str, dict[str, Any]]] = []

    class Client:
        def get(self, path: str, query: Any = None, path_params: Any = None) -> Any:
            asked.append((path, dict(query or {})))
            return {"entities": [{"id": "u1", "name": "Back", "state": "inactive"}]}

    base = {"/api/v2/users": [{"id": "u1", "name": "Old"}, {"id": "u2", "name": "Gone"},
                              {"id": "u3", "name": "Kept"}]}
    doc, report = reread(Client(), base, [rec("User", "Update", "u1"),
                                          rec("User", "Delete", "u2")])
    assert [(u["id"], u["name"]) for u in doc["/api/v2/users"]] == [("u1", "Back"),
                                                                    ("u3", "Kept")]
    assert base["/api/v2/users"][0]["name"] == "Old"  # the base is not changed
    [(path, query)] = asked
    assert (path, query["id"], query["state"]) == ("/api/v2/users", "u1,u2", "any")
    assert report["apiCalls"] == 1


def test_only_services_that_audit_something_in_the_graph_are_polled() -> None:
    from gcmap.adapters.genesys.changes import services_to_poll

    mapping = {"services": [
        {"name": "Routing", "entities": [{"name": "Queue", "actions": ["Update"]}]},
        {"name": "WorkforceManagement", "entities": [{"name": "WorkPlan"}]},
        {"name": "Architect", "entities": [{"name": "DependencyTrackingBuild"}]},
        {"name": "Presence", "entities": [{"name": "UserPresence"}]}]}
    assert services_to_poll(mapping) == ("Architect", "Routing")
