"""Failover rules: every weakness planted in a gcsim org is found; a healthy org is clean."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from gcmap.domain.build import build_graph
from gcmap.domain.failover import GRAPH_RULES, check_failover
from gcsim import generate_org
from tests.data import payloads as p


@pytest.mark.parametrize("size", ["small", "medium"])
def test_every_rule_fires_on_a_weak_org(size: str) -> None:
    org = generate_org(size, 1, weaknesses=True)
    found = Counter(f.rule for f in check_failover(build_graph(org), org))
    assert set(found) == set(GRAPH_RULES)


@pytest.mark.parametrize(("size", "seed"), [("tiny", 1), ("small", 2), ("medium", 3),
                                            ("large", 4)])
def test_healthy_org_has_no_failover_findings(size: str, seed: int) -> None:
    # Single points of failure are structural (IVRs share a flow); everything else is clean.
    org = generate_org(size, seed, weaknesses=False)
    assert [f for f in check_failover(build_graph(org), org)
            if f.rule != "failover.single-point-of-failure"] == []


def _run(doc: dict[str, Any]) -> list[tuple[str, tuple[str, ...]]]:
    return [(f.rule, f.nodes) for f in check_failover(build_graph(doc), doc)]


def test_backup_queue_rules_on_canned_queues() -> None:
    base = {k: v for k, v in p.QUEUE_SUPPORT.items()
            if k not in ("conditionalGroupRouting", "bullseye")}
    self_backup = dict(base, id="q1", directRouting={"backupQueueId": "q1"})
    missing = dict(base, id="q2", directRouting={"backupQueueId": "q-none"})
    to_empty = dict(base, id="q3", directRouting={"backupQueueId": "q4"})
    empty = dict(base, id="q4", joinedMemberCount=0)
    got = _run({"/api/v2/routing/queues": [self_backup, missing, to_empty, empty]})
    assert ("failover.backup-queue-self", ("queue:q1",)) in got
    assert ("failover.backup-queue-missing", ("queue:q2",)) in got
    assert ("failover.backup-queue-empty", ("queue:q3", "queue:q4")) in got


def test_listed_members_override_the_queue_counter() -> None:
    q = dict(p.QUEUE_SUPPORT, id="q4", joinedMemberCount=5)
    q.pop("conditionalGroupRouting")
    backup = dict(p.QUEUE_SUPPORT, id="q5", directRouting={"backupQueueId": "q4"})
    backup.pop("conditionalGroupRouting")
    doc = {"/api/v2/routing/queues": [q, backup],
           "/api/v2/routing/queues/{queueId}/members": {
               "q4": [{"id": "u1", "user": {"id": "u1"}, "joined": False}]}}
    assert ("failover.backup-queue-empty", ("queue:q4", "queue:q5")) in _run(doc)


def test_outbound_route_with_one_trunk_and_a_missing_trunk() -> None:
    one = dict(p.ROUTE_1, externalTrunkBases=[p.ref("tb-1")])
    two = dict(p.ROUTE_1, id="or-2", externalTrunkBases=[p.ref("tb-1"), p.ref("tb-gone")])
    doc = {"/api/v2/telephony/providers/edges/outboundroutes": [one, two],
           "/api/v2/telephony/providers/edges/trunkbasesettings": [{"id": "tb-1",
                                                                    "name": "Carrier"}]}
    got = _run(doc)
    assert ("failover.single-trunk", ("outbound_route:or-1",)) in got
    assert ("failover.trunk-base-missing", ("outbound_route:or-2",)) in got
    assert ("failover.single-trunk", ("outbound_route:or-2",)) not in got


def test_cloud_sites_are_not_asked_for_edges_or_secondaries() -> None:
    cloud = dict(p.SITE_A, mediaModel="Cloud", secondarySites=[], edges=[])
    assert _run({"/api/v2/telephony/providers/edges/sites": [cloud],
                 "/api/v2/telephony/providers/edges": []}) == []


def test_ivr_rules() -> None:
    ivr = dict(p.IVR_MAIN)
    ivr.pop("closedHoursFlow")
    doc = {"/api/v2/architect/ivrs": [ivr],
           "/api/v2/architect/schedulegroups": [{"id": "sg-hours", "name": "Hours"}],
           "/api/v2/flows": [p.flow("f-open", published=False), p.flow("f-holiday")]}
    got = dict(_run(doc))
    assert got["failover.ivr-no-closed-flow"] == ("ivr:ivr-main",)
    assert got["failover.schedule-group-empty"] == ("ivr:ivr-main", "schedule_group:sg-hours")
    assert got["failover.unpublished-flow"] == ("flow:f-open", "ivr:ivr-main")


def test_campaigns_and_work_types_whose_queue_is_gone_or_unstaffed() -> None:
    staffed = dict(p.QUEUE_SUPPORT, id="q-ok")
    empty = dict(p.QUEUE_SUPPORT, id="q-empty", memberCount=0, joinedMemberCount=0,
                 userMemberCount=0)
    doc = {"/api/v2/routing/queues": [staffed, empty],
           "/api/v2/outbound/campaigns": [p.campaign("c-ok", "q-ok"),
                                          p.campaign("c-empty", "q-empty"),
                                          p.campaign("c-gone", "q-gone")],
           "/api/v2/taskmanagement/worktypes": [p.worktype("w-ok", "q-ok"),
                                                p.worktype("w-empty", "q-empty"),
                                                p.worktype("w-gone", "q-gone")]}
    found = [f for f in _run(doc) if "campaign" in f[0] or "worktype" in f[0]]
    assert sorted(found) == [
        ("failover.campaign-queue-missing", ("campaign:c-gone",)),
        ("failover.campaign-queue-no-agents", ("campaign:c-empty", "queue:q-empty")),
        ("failover.worktype-queue-missing", ("work_type:w-gone",)),
        ("failover.worktype-queue-no-agents", ("queue:q-empty", "work_type:w-empty"))]


def test_a_message_recipient_whose_flow_is_gone_or_unpublished() -> None:
    doc = {"/api/v2/flows": [p.flow("f-ok"), p.flow("f-draft", published=False)],
           "/api/v2/routing/message/recipients": [p.recipient("r-ok1", "f-ok"),
                                                  p.recipient("r-gone", "f-gone"),
                                                  p.recipient("r-draft", "f-draft")]}
    assert sorted(r for r in _run(doc) if any("recipient" in n for n in r[1])) == [
        ("failover.recipient-flow-missing", ("message_recipient:r-gone",)),
        ("failover.unpublished-flow", ("flow:f-draft", "message_recipient:r-draft"))]


def test_without_the_queue_listing_a_campaign_queue_is_not_called_missing() -> None:
    doc = {"/api/v2/outbound/campaigns": [p.campaign("c1", "q-unknown")]}
    assert [r for r in _run(doc) if "campaign" in r[0]] == []
