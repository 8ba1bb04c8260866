"""Canned payloads in the real API shape (field names from the SDK models)."""

from __future__ import annotations

from typing import Any

DIV = {"id": "d-home", "name": "Home", "selfUri": "/api/v2/authorization/divisions/d-home"}


def ref(rid: str, name: str = "") -> dict[str, Any]:
    return {"id": rid, "name": name or rid, "selfUri": f"/x/{rid}"}


QUEUE_SUPPORT: dict[str, Any] = {
    "id": "q-support", "name": "Support", "division": DIV,
    "memberCount": 12, "joinedMemberCount": 9, "userMemberCount": 12,
    "queueFlow": ref("f-inqueue", "Support in-queue"),
    "whisperPrompt": ref("p-whisper"), "onHoldPrompt": ref("p-hold"),
    "defaultScripts": {"CALL": ref("s-call")},
    "memberGroups": [{"id": "g-agents", "name": "Agents", "type": "GROUP", "memberCount": 4}],
    "bullseye": {"rings": [{"expansionCriteria": [{"type": "TIMEOUT_SECONDS",
                                                   "threshold": 10}],
                            "actions": {"skillsToRemove": [ref("sk-french")]},
                            "memberGroups": [{"id": "t-tier2", "type": "TEAM"}]}]},
    "conditionalGroupRouting": {"rules": [
        {"queue": ref("q-overflow"), "metric": "EstimatedWaitTime", "operator": "GreaterThan",
         "conditionValue": 60, "groups": [{"id": "sg-any", "type": "SKILLGROUP"}],
         "waitSeconds": 20}]},
    "directRouting": {"backupQueueId": "q-overflow", "waitForAgent": True},
    "selfUri": "/api/v2/routing/queues/q-support",
}

IVR_MAIN: dict[str, Any] = {
    "id": "ivr-main", "name": "Main line", "division": DIV, "dnis": ["+13175550100"],
    "openHoursFlow": ref("f-open"), "closedHoursFlow": ref("f-closed"),
    "holidayHoursFlow": ref("f-holiday"), "scheduleGroup": ref("sg-hours"),
}

SITE_A: dict[str, Any] = {
    "id": "site-a", "name": "Indy", "division": DIV, "location": ref("loc-1"),
    "primarySites": [ref("site-a")], "secondarySites": [ref("site-b")],
    "edges": [ref("edge-1")], "mediaModel": "Premises",
}

ROUTE_1: dict[str, Any] = {
    "id": "or-1", "name": "National", "division": DIV, "site": ref("site-a"),
    "externalTrunkBases": [ref("tb-1"), ref("tb-2")], "distribution": "SEQUENTIAL",
}

ACTION_1: dict[str, Any] = {
    "id": "custom_-_a1", "name": "Lookup", "integrationId": "int-1", "category": "CRM",
    "config": {"request": {"requestUrlTemplate": "https://crm.example.com/v1/${input.id}",
                           "requestType": "GET"}},
}

USER_1: dict[str, Any] = {
    "id": "u-1", "name": "Ann", "division": DIV, "manager": {"id": "u-2"},
    "skills": [{"id": "sk-french", "name": "French", "proficiency": 4.0}],
    "languages": [{"id": "lang-en", "name": "English", "proficiency": 5.0}],
    "groups": [ref("g-agents")],
    "locations": [{"id": "loc-1", "locationDefinition": ref("loc-1")}],
}


def flow(fid: str, ftype: str = "INBOUNDCALL", published: bool = True) -> dict[str, Any]:
    f: dict[str, Any] = {"id": fid, "name": f"Flow {fid}", "division": DIV, "type": ftype}
    if published:
        f["publishedVersion"] = {"id": "1.0", "type": "PUBLISH"}
    return f


def dep(did: str, dtype: str, deleted: bool = False) -> dict[str, Any]:
    return {"id": did, "name": did, "type": dtype, "deleted": deleted, "updated": False,
            "stateUnknown": False}


def campaign(cid: str, queue_id: str) -> dict[str, Any]:
    """An outbound campaign (SDK model Campaign) dialing for ``queue_id``."""
    return {"id": cid, "name": f"Campaign {cid}", "division": DIV, "dialingMode": "preview",
            "campaignStatus": "on", "queue": ref(queue_id), "contactList": ref("cl1")}


def worktype(wid: str, queue_id: str) -> dict[str, Any]:
    """A task-management work type (SDK model Worktype) routing to ``queue_id``."""
    return {"id": wid, "name": f"Work type {wid}", "division": DIV,
            "defaultWorkbin": ref("wb1"), "defaultQueue": ref(queue_id),
            "defaultSkills": [ref("s1")], "assignmentEnabled": True}


def recipient(rid: str, flow_id: str) -> dict[str, Any]:
    """A message recipient (SDK model Recipient): an SMS number's entry point."""
    return {"id": rid, "name": f"+1317555{rid[-4:]}", "messengerType": "sms",
            "flow": ref(flow_id)}
