"""Impact answers who could change an object: the users and OAuth clients holding a role in
its division."""

from __future__ import annotations

from gcmap.domain.build import build_graph
from gcmap.domain.impact import impact
from tests.data import payloads as p


def test_users_and_clients_with_a_role_in_the_queues_division_are_named() -> None:
    other = {"id": "d-other", "name": "Other"}
    doc = {
        "/api/v2/authorization/divisions": [dict(p.DIV), other],
        "/api/v2/authorization/roles": [{"id": "r-admin", "name": "Admin"}],
        "/api/v2/routing/queues": [dict(p.QUEUE_SUPPORT, id="q1", division=p.DIV)],
        "/api/v2/users": [{"id": "u1", "name": "Ann", "state": "active"},
                          {"id": "u2", "name": "Bob", "state": "active"}],
        "/api/v2/authorization/subjects/{subjectId}": {
            "u1": [{"role": {"id": "r-admin"}, "division": {"id": p.DIV["id"]}}],
            "u2": [{"role": {"id": "r-admin"}, "division": {"id": "d-other"}}]},
        "/api/v2/oauth/clients": [{"id": "c1", "name": "Pipeline", "roleDivisions": [
            {"roleId": "r-admin", "divisionId": p.DIV["id"]}]}],
    }
    result = impact(build_graph(doc).graph, "queue:q1")
    assert [(g["key"], g["name"]) for g in result["grantedInDivision"]] == [
        ("oauth_client:c1", "Pipeline"), ("user:u1", "Ann")]  # Bob's role is elsewhere
