"""How the real API serves an org, and what gcmap makes of it (docs/crawl.md has the evidence).

Payloads are written by hand in the SDK models' JSON names and checked against the models,
so a test cannot pass on a field the real API never sends.
"""

from __future__ import annotations

from typing import Any

import pytest

from gcmap.domain.build import build_graph
from gcmap.domain.failover import check_failover
from gcmap.domain.registry import DT_CONSUMED
from gcmap.domain.validate import validate
from tests.data import payloads as p
from tests.integration.sdk_models import unknown_fields

Q = "/api/v2/routing/queues"
MEMBERS = "/api/v2/routing/queues/{queueId}/members"
USERS = "/api/v2/users"
FLOWS = "/api/v2/flows"
SITES = "/api/v2/telephony/providers/edges/sites"
PHONES = "/api/v2/telephony/providers/edges/phones"
PHONEBASES = "/api/v2/telephony/providers/edges/phonebasesettings"
EGROUPS = "/api/v2/architect/emergencygroups"
IVRS = "/api/v2/architect/ivrs"
DOMAINS = "/api/v2/routing/email/domains"
ROUTES = "/api/v2/routing/email/domains/{domainName}/routes"
MODELS = {Q: "Queue", USERS: "User", FLOWS: "Flow", SITES: "Site", PHONES: "Phone",
          PHONEBASES: "PhoneBase", EGROUPS: "EmergencyGroup", IVRS: "IVR",
          DOMAINS: "InboundDomain", ROUTES: "InboundRoute", MEMBERS: "QueueMember"}


def _checked(doc: dict[str, Any]) -> dict[str, Any]:
    """The doc, after every record is checked against its SDK model."""
    for path, value in doc.items():
        if path not in MODELS:
            continue
        records = [r for rs in value.values() for r in rs] if isinstance(value, dict) else value
        for r in records:
            assert unknown_fields(r, MODELS[path]) == [], (path, r)
    return doc


def _user(uid: str, state: str, **extra: Any) -> dict[str, Any]:
    return {"id": uid, "name": f"User {uid}", "division": p.DIV, "state": state,
            "email": f"{uid}@example.com", **extra}


def _member(u: dict[str, Any], joined: bool) -> dict[str, Any]:
    return {"id": u["id"], "name": u["name"], "user": {"id": u["id"], "name": u["name"]},
            "joined": joined, "memberBy": "user", "ringNumber": 1}


def _queue(qid: str, **extra: Any) -> dict[str, Any]:
    return {"id": qid, "name": f"Queue {qid}", "division": p.DIV, "memberCount": 2,
            "joinedMemberCount": 1, **extra}


def _rules(findings: list[Any], rule: str) -> list[Any]:
    return [f for f in findings if f.rule == rule]


def test_an_inactive_member_is_a_node_not_a_dangling_reference_and_gets_its_own_finding(
        ) -> None:
    ann, bob = _user("u-ann", "active"), _user("u-bob", "inactive", manager={"id": "u-ann"})
    doc = _checked({USERS: [ann, bob], Q: [_queue("q1")],
                    MEMBERS: {"q1": [_member(ann, True), _member(bob, False)]}})
    build = build_graph(doc)
    assert build.graph.node("user:u-bob").attrs["state"] == "inactive"
    report = validate(build)
    assert _rules(report.findings, "dangling-reference") == []
    [f] = _rules(check_failover(build, doc), "failover.inactive-user")
    assert f.nodes == ("queue:q1", "user:u-bob")
    assert "'User u-bob'" in f.message and "remove them from the queue" in f.message
    # Managing someone is not routing: an inactive manager alone gives no finding.
    doc[MEMBERS] = {"q1": [_member(bob, True)]}
    doc[USERS] = [dict(ann, state="inactive"), dict(bob, state="active")]
    assert _rules(check_failover(build_graph(doc), doc), "failover.inactive-user") == []


def test_deleted_objects_are_not_nodes_and_a_reference_to_one_says_it_was_deleted() -> None:
    live_site = dict(p.SITE_A, state="active", edges=[], secondarySites=[p.ref("site-b")])
    dead_site = {"id": "site-b", "name": "Closed", "state": "deleted", "division": p.DIV,
                 "mediaModel": "Premises"}
    dead_base = {"id": "pb-old", "name": "Old model", "state": "deleted", "division": p.DIV}
    phone = {"id": "ph-1", "name": "Desk 1", "state": "active", "division": p.DIV,
             "site": p.ref("site-a"), "phoneBaseSettings": p.ref("pb-old")}
    dead_group = {"id": "eg-old", "name": "Old plan", "state": "deleted", "division": p.DIV,
                  "enabled": True, "emergencyCallFlows": [
                      {"emergencyFlow": p.ref("f-open"), "ivrs": [p.ref("ivr-main")]}]}
    live_group = {"id": "eg-now", "name": "Plan", "state": "active", "division": p.DIV,
                  "enabled": False, "emergencyCallFlows": []}
    doc = _checked({SITES: [live_site, dead_site], PHONEBASES: [dead_base], PHONES: [phone],
                    EGROUPS: [dead_group, live_group],
                    IVRS: [dict(p.IVR_MAIN, state="active")]})
    build = build_graph(doc)
    assert "site:site-b" not in build.graph and "phone_base:pb-old" not in build.graph
    assert "emergency_group:eg-old" not in build.graph
    findings = validate(build).findings + check_failover(build, doc)
    assert not any(k in f.nodes for f in findings for k in ("site:site-b", "eg-old"))
    dangling = {f.evidence["field"]: f for f in _rules(findings, "dangling-reference")}
    assert set(dangling) == {"phoneBaseSettings", "secondarySites[]"}
    assert dangling["phoneBaseSettings"].evidence["targetDeleted"] is True
    assert "was deleted" in dangling["phoneBaseSettings"].message
    # A deleted emergency group covers nothing.
    assert [f.nodes for f in _rules(findings, "failover.ivr-no-emergency-group")] == [
        ("ivr:ivr-main",)]


def test_the_first_conditional_routing_rule_names_its_own_queue_and_that_is_not_a_loop(
        ) -> None:
    rules = [{"queue": p.ref("q1"), "metric": "EstimatedWaitTime", "operator": "GreaterThan",
              "conditionValue": 30, "waitSeconds": 10, "groups": []},
             {"queue": p.ref("q2"), "metric": "ServiceLevel", "operator": "LessThan",
              "conditionValue": 0.5, "waitSeconds": 20, "groups": []}]
    doc = _checked({Q: [_queue("q1", conditionalGroupRouting={"rules": rules}), _queue("q2")]})
    build = build_graph(doc)
    findings = validate(build).findings + check_failover(build, doc)
    assert [f.rule for f in findings if f.rule in ("self-reference", "cycle",
                                                   "failover.backup-loop")] == []
    assert [(e.src, e.dst, e.field) for e in build.graph.edges()
            if e.field != "division"] == [
        ("queue:q1", "queue:q2", "conditionalGroupRouting.rules[].queue")]


def test_email_routes_are_read_per_domain_and_resolve_queue_references() -> None:
    domain = {"id": "support.example.com", "name": "support.example.com",
              "mxRecordStatus": "VALID", "subDomain": False}
    first = {"id": "r1", "name": "Sales", "pattern": "sales", "queue": p.ref("q1"),
             "skills": [p.ref("sk-1")], "spamFlow": p.ref("f-spam")}
    second = {"id": "r2", "name": "Help", "pattern": "help", "flow": p.ref("f-email"),
              "replyEmailAddress": {"domain": p.ref("support.example.com"),
                                    "route": p.ref("r1")}}
    queue = _queue("q1", outboundEmailAddress={"domain": p.ref("support.example.com"),
                                               "route": p.ref("r1")})
    doc = _checked({DOMAINS: [domain], ROUTES: {"support.example.com": [first, second]},
                    Q: [queue], FLOWS: [p.flow("f-email", "INBOUNDEMAIL"),
                                        p.flow("f-spam", "INBOUNDEMAIL")]})
    build = build_graph(doc)
    edges = {(e.src, e.field, e.dst) for e in build.graph.edges()}
    dom = "email_domain:support.example.com"
    assert {("email_route:r1", "domainName", dom), ("email_route:r2", "domainName", dom),
            ("email_route:r1", "queue", "queue:q1"), ("email_route:r2", "flow", "flow:f-email"),
            ("email_route:r2", "replyEmailAddress.route", "email_route:r1"),
            ("queue:q1", "outboundEmailAddress.route", "email_route:r1"),
            ("queue:q1", "outboundEmailAddress.domain", dom)} <= edges
    assert not any(build.graph.node(k).attrs.get("stub") for k in ("email_route:r1", dom))
    # A dependency-tracking EMAILROUTE resolves to the route, not to a stub.
    doc[FLOWS][0]["publishedVersion"] = {"id": "1.0"}
    doc[DT_CONSUMED] = {"f-email": [p.dep("r2", "EMAILROUTE")]}
    assert ("flow:f-email", "consumedResources", "email_route:r2") in {
        (e.src, e.field, e.dst) for e in build_graph(doc).graph.edges()}


def test_depth_follows_configuration_not_the_org_chart_or_membership() -> None:
    users = [_user(f"u{i:02d}", "active", manager={"id": f"u{i - 1:02d}"} if i else None,
                   skills=[{"id": "sk-1", "name": "S", "proficiency": 3.0}])
             for i in range(12)]
    for u in users:
        if u["manager"] is None:
            del u["manager"]
    ivr = dict(p.IVR_MAIN, closedHoursFlow=None, holidayHoursFlow=None, scheduleGroup=None)
    for k in ("closedHoursFlow", "holidayHoursFlow", "scheduleGroup"):
        ivr.pop(k)
    queue = _queue("q1", queueFlow=p.ref("f-inq"))
    doc = _checked({USERS: users, IVRS: [ivr], Q: [queue],
                    FLOWS: [p.flow("f-open"), p.flow("f-inq", "INQUEUECALL")],
                    MEMBERS: {"q1": [_member(users[-1], True)]},
                    "/api/v2/routing/skills": [{"id": "sk-1", "name": "S", "division": p.DIV}],
                    DT_CONSUMED: {"f-open": [p.dep("q1", "QUEUE")]}})
    report = validate(build_graph(doc), max_depth=2)
    # ivr -> flow -> queue -> in-queue flow; the 11-deep manager chain does not count.
    assert report.chain == ["ivr:ivr-main", "flow:f-open", "queue:q1", "flow:f-inq"]
    assert report.depth == 3
    [f] = _rules(report.findings, "depth-exceeded")
    assert f.evidence["chain"] == report.chain


def test_a_runtime_transfer_loop_names_the_flow_and_transfer_to_change() -> None:
    doc = {FLOWS: [p.flow("fa"), p.flow("fb")],
           DT_CONSUMED: {"fa": [p.dep("fb", "INBOUNDCALLFLOW")],
                         "fb": [p.dep("fa", "INBOUNDCALLFLOW")]}}
    [f] = _rules(validate(build_graph(doc)).findings, "cycle")
    assert f.severity == "warning"
    assert "change the transfer in flow 'Flow fa' (to flow 'Flow fb')" in f.evidence["advice"]
    assert "consumedResources" not in f.evidence["advice"]
    [d] = f.evidence["deferEdges"]
    src, dst = (f"flow 'Flow {k.split(':')[1]}'" for k in (d["from"], d["to"]))
    assert d["action"] == (f"publish {dst} first, then publish {src}: its Transfer to Flow "
                           "or Call Common Module action names it")


@pytest.mark.parametrize(("flow_type", "object_type"), [
    ("EMAILSEND", "EMAILSENDFLOW"), ("VOICESURVEY", "VOICESURVEYFLOW"),
    ("BUSINESSPROCESS", "BUSINESSPROCESSFLOW")])
def test_newer_flow_types_have_their_dependency_tracking_object_type(
        flow_type: str, object_type: str) -> None:
    from PureCloudPlatformClientV2.models import Dependency

    from gcmap.domain.registry import FLOW_TYPE_OBJECT_TYPES, dependency_node_type

    dep = Dependency()
    dep.type = object_type  # the SDK model's setter refuses values outside its enum
    assert dep.type == object_type
    assert FLOW_TYPE_OBJECT_TYPES[flow_type] == object_type
    assert dependency_node_type(object_type) == "flow"
