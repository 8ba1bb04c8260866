"""Seeded generators of Genesys Cloud organizations in the gcsim org-file format.

An org is one dict keyed by real API path templates (see ``docs/gcsim.md``). Entities are in
the real API JSON shape. The same ``(size, seed, weaknesses)`` always gives the same org.
"""

from __future__ import annotations

import itertools
import random
import uuid
from dataclasses import dataclass
from typing import Any

__all__ = ["SIZES", "OrgProfile", "generate_org", "object_count"]

Entity = dict[str, Any]

# Root path templates used as keys of the org document.
P_ORG = "/api/v2/organizations/me"
P_DIVISIONS = "/api/v2/authorization/divisions"
P_QUEUES = "/api/v2/routing/queues"
P_QUEUE_MEMBERS = "/api/v2/routing/queues/{queueId}/members"
P_QUEUE_WRAPUPS = "/api/v2/routing/queues/{queueId}/wrapupcodes"
P_USERS = "/api/v2/users"
P_USERS_QUERY = "/api/v2/users/query"
P_GROUPS = "/api/v2/groups"
P_TEAMS = "/api/v2/teams"
P_SKILLS = "/api/v2/routing/skills"
P_LANGUAGES = "/api/v2/routing/languages"
P_WRAPUPS = "/api/v2/routing/wrapupcodes"
P_SKILLGROUPS = "/api/v2/routing/skillgroups"
P_FLOWS = "/api/v2/flows"
P_IVRS = "/api/v2/architect/ivrs"
P_SCHEDULES = "/api/v2/architect/schedules"
P_SCHEDULEGROUPS = "/api/v2/architect/schedulegroups"
P_EMERGENCY = "/api/v2/architect/emergencygroups"
P_PROMPTS = "/api/v2/architect/prompts"
P_DATATABLES = "/api/v2/flows/datatables"
P_INTEGRATIONS = "/api/v2/integrations"
P_ACTIONS = "/api/v2/integrations/actions"
P_CREDENTIALS = "/api/v2/integrations/credentials/listing"
_EDGES = "/api/v2/telephony/providers/edges"
P_SITES = _EDGES + "/sites"
P_SITE_ROUTES = _EDGES + "/sites/{siteId}/outboundroutes"
P_ROUTES = _EDGES + "/outboundroutes"
P_EDGES = _EDGES
P_EDGEGROUPS = _EDGES + "/edgegroups"
P_TRUNKBASES = _EDGES + "/trunkbasesettings"
P_TRUNKS = _EDGES + "/trunks"
P_PHONEBASES = _EDGES + "/phonebasesettings"
P_PHONES = _EDGES + "/phones"
P_DIDPOOLS = _EDGES + "/didpools"
P_DIDS = _EDGES + "/dids"
P_LOCATIONS = "/api/v2/locations"
P_SCRIPTS = "/api/v2/scripts"
P_EMAIL_DOMAINS = "/api/v2/routing/email/domains"
P_EMAIL_ROUTES = "/api/v2/routing/email/domains/{domainName}/routes"
P_WEBDEPLOYMENTS = "/api/v2/webdeployments/deployments"
P_CONSUMED = "/api/v2/architect/dependencytracking/consumedresources"
P_DT_BUILD = "/api/v2/architect/dependencytracking/build"
P_DT_DELETED = "/api/v2/architect/dependencytracking/deletedresourceconsumers"
P_DT_UPDATED = "/api/v2/architect/dependencytracking/updatedresourceconsumers"
P_LIMITS = "/api/v2/organizations/limits/namespaces/{namespaceName}"
P_LIMIT_DEFAULTS = "/api/v2/organizations/limits/namespaces/{namespaceName}/defaults"
P_LIMIT_DOCS = "/api/v2/organizations/limits/docs"

DATE = "2026-01-05T10:00:00.000Z"

# Flow.type -> dependency-tracking object type (CX as Code's table).
FLOW_DEP_TYPE = {
    "BOT": "BOTFLOW",
    "COMMONMODULE": "COMMONMODULEFLOW",
    "DIGITALBOT": "DIGITALBOTFLOW",
    "INBOUNDCALL": "INBOUNDCALLFLOW",
    "INBOUNDCHAT": "INBOUNDCHATFLOW",
    "INBOUNDEMAIL": "INBOUNDEMAILFLOW",
    "INBOUNDSHORTMESSAGE": "INBOUNDSHORTMESSAGEFLOW",
    "INQUEUECALL": "INQUEUECALLFLOW",
    "INQUEUEEMAIL": "INQUEUEEMAILFLOW",
    "INQUEUESHORTMESSAGE": "INQUEUESHORTMESSAGEFLOW",
    "OUTBOUNDCALL": "OUTBOUNDCALLFLOW",
    "SECURECALL": "SECURECALLFLOW",
    "SURVEYINVITE": "SURVEYINVITEFLOW",
    "VOICE": "VOICEFLOW",
    "VOICEMAIL": "VOICEMAILFLOW",
    "WORKFLOW": "WORKFLOW",
    "WORKITEM": "WORKITEMFLOW",
    # Not in the provider's table; the SDK 269 dependency object types name them.
    "EMAILSEND": "EMAILSENDFLOW",
    "VOICESURVEY": "VOICESURVEYFLOW",
    "BUSINESSPROCESS": "BUSINESSPROCESSFLOW",
}


@dataclass(frozen=True)
class OrgProfile:
    """How many objects of each kind a generated org holds."""

    divisions: int
    users: int
    queues: int
    flows: int
    skills: int
    languages: int
    wrapupcodes: int
    groups: int
    teams: int
    skillgroups: int
    schedules: int
    schedulegroups: int
    ivrs: int
    emergencygroups: int
    prompts: int
    datatables: int
    integrations: int
    actions: int
    locations: int
    sites: int
    edges_per_site: int
    trunkbases: int
    routes_per_site: int
    phonebases: int
    phones: int
    didpools: int
    dids: int
    scripts: int
    webdeployments: int


SIZES: dict[str, OrgProfile] = {
    "tiny": OrgProfile(2, 20, 8, 10, 5, 2, 5, 3, 2, 2, 4, 2, 3, 1, 6, 2, 2, 4, 2, 3, 2, 4, 1, 1,
                       5, 1, 6, 2, 1),
    "small": OrgProfile(3, 300, 40, 50, 30, 5, 30, 15, 8, 5, 24, 8, 12, 2, 40, 6, 4, 25, 5, 4, 2,
                        8, 2, 3, 150, 3, 150, 10, 3),
    "medium": OrgProfile(6, 3000, 300, 400, 200, 12, 200, 100, 60, 30, 200, 60, 80, 6, 400, 40,
                         12, 200, 30, 20, 2, 30, 3, 8, 2500, 10, 2500, 80, 12),
    "large": OrgProfile(10, 5000, 800, 600, 400, 20, 400, 200, 120, 60, 400, 120, 200, 10, 900,
                        80, 20, 400, 60, 40, 3, 60, 3, 12, 5000, 20, 5000, 200, 20),
    "huge": OrgProfile(20, 30000, 3000, 3000, 1500, 30, 1500, 800, 500, 200, 2000, 600, 800, 20,
                       4000, 300, 60, 1500, 200, 150, 3, 200, 4, 30, 25000, 60, 25000, 800, 60),
}


class _Gen:
    """Builds one org. Methods run in dependency order; each fills ``self.org``."""

    def __init__(self, profile: OrgProfile, seed: int, weaknesses: bool) -> None:
        self.p = profile
        self.rng = random.Random(seed)
        self.weak = weaknesses
        self.org: dict[str, Any] = {}
        self.serial = 0

    # -- helpers -------------------------------------------------------------------------
    def uid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def chance(self, p: float) -> bool:
        """A planted weakness happens with probability ``p`` only in a weak org."""
        return self.weak and self.rng.random() < p

    @staticmethod
    def ref(e: Entity, path: str) -> Entity:
        return {"id": e["id"], "name": e["name"], "selfUri": f"{path}/{e['id']}"}

    def div(self) -> Entity:
        d = self.rng.choice(self.org[P_DIVISIONS])
        return self.ref(d, P_DIVISIONS)

    def base(self, path: str, name: str, division: bool = True) -> Entity:
        e: Entity = {"id": self.uid(), "name": name}
        if division:
            e["division"] = self.div()
        e["selfUri"] = f"{path}/{e['id']}"
        return e

    def many(self, path: str, n: int, prefix: str, division: bool = True) -> list[Entity]:
        items = [self.base(path, f"{prefix} {i + 1:05d}", division) for i in range(n)]
        self.org[path] = items
        return items

    # -- generation ----------------------------------------------------------------------
    def run(self) -> dict[str, Any]:
        self.organization()
        self.directory()
        self.routing_basics()
        self.users()
        self.architect()
        self.integrations()
        self.queues()
        self.flow_dependencies()
        self.ivrs()
        self.telephony()
        self.misc()
        self.email()
        self.limits()
        self.deleted()
        return self.org

    def organization(self) -> None:
        oid = self.uid()
        self.org[P_ORG] = {
            "id": oid, "name": "gcsim org", "defaultLanguage": "en-us",
            "defaultCountryCode": "US", "domain": "gcsim", "version": 1, "state": "active",
            "voicemailEnabled": True, "productPlatform": "GenesysCloud",
            "features": {"realtimeCIC": False, "purecloud": True},
            "selfUri": "/api/v2/organizations/me",
        }
        divs = self.org[P_DIVISIONS] = []
        for i in range(self.p.divisions):
            d = {"id": self.uid(), "name": "Home" if i == 0 else f"Division {i:03d}",
                 "description": "", "homeDivision": i == 0}
            d["selfUri"] = f"{P_DIVISIONS}/{d['id']}"
            divs.append(d)

    def directory(self) -> None:
        for loc in self.many(P_LOCATIONS, self.p.locations, "Location", division=False):
            loc.update({"state": "active", "version": 1, "path": [],
                        "address": {"city": "Indianapolis", "country": "US", "street1": "1 Main",
                                    "zipcode": "46204"},
                        "emergencyNumber": {"e164": "+13175550100", "number": "3175550100",
                                            "type": "default"}})
        for g in self.many(P_GROUPS, self.p.groups, "Group", division=False):
            g.update({"description": "", "dateModified": DATE, "memberCount": 0,
                      "state": "active", "version": 1, "type": "official",
                      "rulesVisible": True, "visibility": "public"})
        for t in self.many(P_TEAMS, self.p.teams, "Team"):
            t.update({"description": "", "memberCount": self.rng.randint(3, 25),
                      "dateCreated": DATE, "dateModified": DATE})

    def routing_basics(self) -> None:
        for s in self.many(P_SKILLS, self.p.skills, "Skill"):
            s.update({"state": "active", "version": "1", "dateModified": DATE})
        for lang in self.many(P_LANGUAGES, self.p.languages, "Language", division=False):
            lang.update({"state": "active", "version": "1", "dateModified": DATE})
        for w in self.many(P_WRAPUPS, self.p.wrapupcodes, "Wrapup"):
            w.update({"description": "", "dateCreated": DATE, "createdBy": "system"})
        for sg in self.many(P_SKILLGROUPS, self.p.skillgroups, "Skill group"):
            sg.update({"description": "", "memberCount": self.rng.randint(3, 40),
                       "dateModified": DATE, "dateCreated": DATE})
        if self.weak and self.org[P_SKILLGROUPS]:
            self.org[P_SKILLGROUPS][-1]["memberCount"] = 0  # planted: nobody matches

    def users(self) -> None:
        users = self.many(P_USERS, self.p.users, "Agent")
        skills, langs = self.org[P_SKILLS], self.org[P_LANGUAGES]
        groups, locs = self.org[P_GROUPS], self.org[P_LOCATIONS]
        rng = self.rng
        teams = self.org[P_TEAMS]
        for i, u in enumerate(users):
            # About one user in sixteen has left but is still referenced (queue member,
            # manager, group owner, phone user): the real listing hides them by default.
            state = "inactive" if i % 16 == 5 else "active"
            u.update({"email": f"agent{i + 1:05d}@example.com", "state": state,
                      "title": "Agent", "department": "Contact Center", "version": 1})
            if teams and i % 5 < 2:
                u["team"] = self.ref(rng.choice(teams), P_TEAMS)
            if i > 0:
                mgr = users[rng.randrange(0, max(1, i // 10 + 1))]
                if mgr is not u:
                    u["manager"] = {"id": mgr["id"], "selfUri": mgr["selfUri"]}
            u["skills"] = [
                {"id": s["id"], "name": s["name"], "proficiency": float(rng.randint(1, 5)),
                 "state": "active", "skillUri": s["selfUri"],
                 "selfUri": f"{u['selfUri']}/routingskills/{s['id']}"}
                for s in rng.sample(skills, min(len(skills), rng.randint(1, 4)))]
            lang = rng.choice(langs)
            u["languages"] = [{"id": lang["id"], "name": lang["name"], "proficiency": 4.0,
                               "state": "active", "languageUri": lang["selfUri"],
                               "selfUri": f"{u['selfUri']}/routinglanguages/{lang['id']}"}]
            grp = rng.choice(groups)
            grp["memberCount"] += 1
            u["groups"] = [self.ref(grp, P_GROUPS)]
            loc = rng.choice(locs)
            u["locations"] = [{"id": loc["id"], "locationDefinition": self.ref(loc, P_LOCATIONS)}]
        for gi, grp in enumerate(groups):
            grp["owners"] = [self.ref(users[(gi * 16 + 5) % len(users)], P_USERS)]

    def architect(self) -> None:
        rng = self.rng
        for s in self.many(P_SCHEDULES, self.p.schedules, "Schedule"):
            s.update({"start": "2026-01-01T08:00:00.000", "end": "2026-01-01T17:00:00.000",
                      "rrule": "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", "state": "active",
                      "version": 1})
        scheds = self.org[P_SCHEDULES]
        for g in self.many(P_SCHEDULEGROUPS, self.p.schedulegroups, "Schedule group"):
            g.update({"timeZone": "America/New_York", "state": "active", "version": 1})
            if self.chance(0.1):
                continue  # planted: a schedule group with no schedules
            g["openSchedules"] = [self.ref(s, P_SCHEDULES) for s in rng.sample(scheds, 2)]
            g["closedSchedules"] = [self.ref(rng.choice(scheds), P_SCHEDULES)]
            g["holidaySchedules"] = [self.ref(rng.choice(scheds), P_SCHEDULES)]
        for pr in self.many(P_PROMPTS, self.p.prompts, "Prompt"):
            pr.update({"description": "", "resources": [
                {"id": "en-us", "language": "en-us", "text": pr["name"],
                 "ttsString": pr["name"], "uploadStatus": "transcoded",
                 "durationSeconds": 4.5}]})
        kinds = ["INBOUNDCALL"] * 30 + ["INQUEUECALL"] * 25 + ["COMMONMODULE"] * 10 + \
            ["INBOUNDCHAT"] * 8 + ["INBOUNDEMAIL"] * 5 + ["INQUEUEEMAIL"] * 5 + \
            ["INBOUNDSHORTMESSAGE"] * 5 + ["INQUEUESHORTMESSAGE"] * 4 + ["WORKFLOW"] * 5 + \
            ["BOT"] * 3
        # Flow types the provider's table leaves out, but dependency tracking knows.
        rare = {31: "EMAILSEND", 32: "VOICESURVEY", 33: "BUSINESSPROCESS"} \
            if self.p.flows >= 40 else {}
        for i, f in enumerate(self.many(P_FLOWS, self.p.flows, "Flow")):
            ftype = rare.get(i) or kinds[i % len(kinds)]
            f.update({"description": "", "type": ftype, "active": True, "system": False,
                      "deleted": False})
            f["name"] = f"{ftype.title()} flow {i + 1:05d}"
            version = {"id": f"{rng.randint(1, 40)}.0", "name": f["name"], "commitVersion":
                       "1.0", "configurationVersion": "1.0", "type": "PUBLISH",
                       "secure": False, "datePublished": DATE}
            f["checkedInVersion"] = dict(version, type="CHECKIN")
            if not self.chance(0.06):  # planted: never published
                f["publishedVersion"] = version
        for t in self.many(P_DATATABLES, self.p.datatables, "Data table"):
            t.update({"description": "", "schema": {"$schema":
                      "http://json-schema.org/draft-04/schema#", "type": "object",
                      "properties": {"key": {"title": "Key", "type": "string"}}}})

    def integrations(self) -> None:
        rng = self.rng
        creds = self.org[P_CREDENTIALS] = []
        for i in range(self.p.integrations):
            c = {"id": self.uid(), "name": f"Credential {i + 1:03d}", "createdDate": DATE,
                 "modifiedDate": DATE, "type": {"name": "userDefinedOAuth"}}
            c["selfUri"] = f"/api/v2/integrations/credentials/{c['id']}"
            creds.append(c)
        hosts = ["crm.example.com", "api.example.org", "billing.example.net",
                 "lookup.example.com", "orders.execute-api.us-east-1.amazonaws.com",
                 "tickets.execute-api.eu-west-1.amazonaws.com"]
        for i, ig in enumerate(self.many(P_INTEGRATIONS, self.p.integrations, "Integration",
                                         division=False)):
            ig.update({"integrationType": {"id": "custom-rest-actions",
                                           "name": "Web Services Data Actions"},
                       "notes": "", "intendedState": "ENABLED",
                       "reportedState": {"code": "ACTIVE", "effective": "Active",
                                         "lastUpdated": DATE}, "attributes": {}})
            ig["config"] = {"current": {
                "name": ig["name"], "version": 1, "properties": {}, "advanced": {}, "notes": "",
                "credentials": {"basicAuth": {"id": creds[i]["id"], "name": creds[i]["name"]}}}}
            ig["_host"] = hosts[i % len(hosts)]
        actions = self.org[P_ACTIONS] = []
        for i in range(self.p.actions):
            ig = self.org[P_INTEGRATIONS][i % len(self.org[P_INTEGRATIONS])]
            a: Entity = {"id": f"custom_-_{self.uid()}", "name": f"Action {i + 1:05d}",
                         "integrationId": ig["id"], "category": ig["name"], "version": 1,
                         "secure": False}
            a["selfUri"] = f"{P_ACTIONS}/{a['id']}"
            a["contract"] = {"input": {"inputSchema": {"type": "object"}},
                             "output": {"successSchema": {"type": "object"}}}
            a["config"] = {"request": {
                "requestUrlTemplate": f"https://{ig['_host']}/v1/items/${{input.id}}",
                "requestType": rng.choice(["GET", "POST"]), "headers": {},
                "requestTemplate": "${input.rawRequest}"},
                "response": {"translationMap": {}, "successTemplate": "${rawResult}"},
                "timeoutSeconds": 10}
            actions.append(a)
        if self.weak and actions:
            actions[0]["integrationId"] = self.uid()  # planted: integration deleted
        for ig in self.org[P_INTEGRATIONS]:
            del ig["_host"]

    def queues(self) -> None:
        rng = self.rng
        flows = self.org[P_FLOWS]
        inqueue = [f for f in flows if f["type"] == "INQUEUECALL"] or flows
        inqueue_email = [f for f in flows if f["type"] == "INQUEUEEMAIL"] or inqueue
        prompts, users = self.org[P_PROMPTS], self.org[P_USERS]
        groups, teams = self.org[P_GROUPS], self.org[P_TEAMS]
        sgroups, skills = self.org[P_SKILLGROUPS], self.org[P_SKILLS]
        wrapups = self.org[P_WRAPUPS]
        queues = self.many(P_QUEUES, self.p.queues, "Queue")
        members: dict[str, list[Entity]] = {}
        qwrap: dict[str, list[Entity]] = {}
        scripts = [self.base(P_SCRIPTS, f"Script {i + 1:04d}") for i in range(self.p.scripts)]
        for s in scripts:
            s.update({"versionId": self.uid(), "createdDate": DATE, "modifiedDate": DATE,
                      "publishedDate": DATE})
        self.org[P_SCRIPTS] = scripts
        per_queue = max(3, min(60, 3 * len(users) // max(1, len(queues))))
        active = [u for u in users if u["state"] == "active"]
        for qi, q in enumerate(queues):
            q.update({"description": "", "dateCreated": DATE, "dateModified": DATE,
                      "createdBy": "system", "modifiedBy": "system",
                      "skillEvaluationMethod": "ALL", "scoringMethod": "TimestampAndPriority",
                      "lastAgentRoutingMode": "Disabled", "autoAnswerOnly": False,
                      "enableTranscription": False, "enableAudioMonitoring": False,
                      "enableManualAssignment": False, "callingPartyName": q["name"],
                      "acwSettings": {"wrapupPrompt": "OPTIONAL", "timeoutMs": 30000},
                      "mediaSettings": {"call": {"alertingTimeoutSeconds": 8, "serviceLevel":
                                        {"percentage": 0.8, "durationMs": 20000}}}})
            q["queueFlow"] = self.ref(rng.choice(inqueue), P_FLOWS)
            if qi % 4 == 0:
                q["emailInQueueFlow"] = self.ref(rng.choice(inqueue_email), P_FLOWS)
            q["whisperPrompt"] = self.ref(rng.choice(prompts), P_PROMPTS)
            q["onHoldPrompt"] = self.ref(rng.choice(prompts), P_PROMPTS)
            if scripts:
                q["defaultScripts"] = {"CALL": self.ref(rng.choice(scripts), P_SCRIPTS)}
            mg = []
            if qi % 3 == 0:
                g = rng.choice(groups)
                mg.append({"id": g["id"], "name": g["name"], "type": "GROUP",
                           "memberCount": g["memberCount"], "selfUri": g["selfUri"]})
            if qi % 5 == 1 and teams:
                t = rng.choice(teams)
                mg.append({"id": t["id"], "name": t["name"], "type": "TEAM",
                           "memberCount": t["memberCount"], "selfUri": t["selfUri"]})
            if qi % 7 == 2 and sgroups:
                s = rng.choice(sgroups)
                mg.append({"id": s["id"], "name": s["name"], "type": "SKILLGROUP",
                           "memberCount": s["memberCount"], "selfUri": s["selfUri"]})
            if mg:
                q["memberGroups"] = mg
            q["bullseye"] = {"rings": [
                {"expansionCriteria": [{"type": "TIMEOUT_SECONDS", "threshold": 15.0}],
                 "actions": {"skillsToRemove": [self.ref(rng.choice(skills), P_SKILLS)]},
                 "memberGroups": mg[:1]},
                {"expansionCriteria": [], "actions": {"skillsToRemove": []}}]}
            q["_members"] = [u for u in rng.sample(active, min(len(active), per_queue))]
            qwrap[q["id"]] = [self.ref(w, P_WRAPUPS) | {"division": w["division"]}
                              for w in rng.sample(wrapups, min(3, len(wrapups)))]
        # Failover structure needs every queue to exist first.
        for qi, q in enumerate(queues):
            backup = queues[(qi + 1) % len(queues)]
            if qi % 4 == 0:
                q["directRouting"] = {"backupQueueId": backup["id"], "waitForAgent": True,
                                      "agentWaitSeconds": 60,
                                      "callMediaSettings": {"useAgentAddressOutbound": True}}
            if qi % 6 == 0:
                # The first rule applies to the holding queue and names it.
                q["conditionalGroupRouting"] = {"rules": [
                    {"queue": self.ref(q, P_QUEUES),
                     "metric": "EstimatedWaitTime", "operator": "GreaterThan",
                     "conditionValue": 60.0, "waitSeconds": 20,
                     "groups": [{"id": m["id"], "type": m["type"]}
                                for m in q.get("memberGroups", [])[:1]]},
                    {"queue": self.ref(backup, P_QUEUES), "metric": "ServiceLevel",
                     "operator": "LessThan", "conditionValue": 0.5, "waitSeconds": 30,
                     "groups": []}]}
        self._plant_queue_weaknesses(queues)
        for q in queues:
            joined = 0
            ms = []
            # Inactive users stay members, listed last and never joined.
            listed = sorted(q.pop("_members"), key=lambda u: u["state"] != "active")
            for mi, u in enumerate(listed):
                is_joined = u["state"] == "active" and (mi == 0 or rng.random() < 0.85)
                joined += is_joined
                ms.append({"id": u["id"], "name": u["name"],
                           "user": {"id": u["id"], "name": u["name"], "selfUri": u["selfUri"]},
                           "ringNumber": 1, "joined": is_joined, "memberBy": "user",
                           "routingStatus": {"status": "IDLE"},
                           "selfUri": f"{P_USERS}/{u['id']}"})
            members[q["id"]] = ms
            q["memberCount"] = len(ms)
            q["userMemberCount"] = len(ms)
            q["joinedMemberCount"] = joined
        self.org[P_QUEUE_MEMBERS] = members
        self.org[P_QUEUE_WRAPUPS] = qwrap

    def _plant_queue_weaknesses(self, queues: list[Entity]) -> None:
        if not self.weak or len(queues) < 8:
            return
        queues[1]["directRouting"] = {"backupQueueId": queues[1]["id"], "waitForAgent": False}
        queues[2]["directRouting"] = {"backupQueueId": self.uid(), "waitForAgent": False}
        queues[3]["_members"] = []  # a queue nobody can answer
        inactive = [u for u in self.org[P_USERS] if u["state"] == "inactive"]
        if inactive:  # a leaver still listed as a member (never joined)
            queues[2]["_members"].append(inactive[0])
        queues[4]["directRouting"] = {"backupQueueId": queues[3]["id"], "waitForAgent": False}
        queues[5]["queueFlow"] = {"id": self.uid(), "name": "Deleted in-queue flow",
                                  "selfUri": f"{P_FLOWS}/deleted"}
        empty = self.org[P_SKILLGROUPS][-1] if self.org[P_SKILLGROUPS] else None
        if empty:
            ring = queues[0]["bullseye"]["rings"][0]
            ring["memberGroups"] = [{"id": empty["id"], "name": empty["name"],
                                     "type": "SKILLGROUP", "memberCount": 0,
                                     "selfUri": empty["selfUri"]}]
        # planted: a backup chain ten queues long (a contact can fall through nine backups)
        if len(queues) >= 21:
            for a, b in itertools.pairwise(queues[11:21]):
                a["directRouting"] = {"backupQueueId": b["id"], "waitForAgent": False}
        # queues 6 and 7 back each other up: a call can bounce between them
        queues[6]["directRouting"] = {"backupQueueId": queues[7]["id"], "waitForAgent": False}
        queues[7]["directRouting"] = {"backupQueueId": queues[6]["id"], "waitForAgent": False}

    def flow_dependencies(self) -> None:
        """Architect dependency tracking: what each published flow consumes."""
        rng = self.rng
        flows = self.org[P_FLOWS]
        queues, actions = self.org[P_QUEUES], self.org[P_ACTIONS]
        prompts, tables = self.org[P_PROMPTS], self.org[P_DATATABLES]
        sgroups = self.org[P_SCHEDULEGROUPS]
        common = [f for f in flows if f["type"] == "COMMONMODULE"]
        inbound = [f for f in flows if f["type"] == "INBOUNDCALL"]

        def dep(e: Entity, dtype: str, version: str | None = None) -> Entity:
            d = {"id": e["id"], "name": e["name"], "type": dtype, "deleted": False,
                 "updated": False, "stateUnknown": False}
            if version:
                d["version"] = version
            return d

        def fdep(f: Entity) -> Entity:
            return dep(f, FLOW_DEP_TYPE[f["type"]],
                       f.get("publishedVersion", {}).get("id", "1.0"))

        consumed: dict[str, list[Entity]] = {}
        for f in flows:
            if "publishedVersion" not in f:
                continue
            items: list[Entity] = []
            if f["type"] in ("INBOUNDCALL", "INBOUNDCHAT", "INBOUNDEMAIL",
                             "INBOUNDSHORTMESSAGE", "BOT"):
                for q in rng.sample(queues, min(len(queues), rng.randint(1, 3))):
                    items.append(dep(q, "QUEUE"))
                if sgroups and f["type"] == "INBOUNDCALL":
                    items.append(dep(rng.choice(sgroups), "SCHEDULEGROUP"))
            if actions and rng.random() < 0.5:
                items.append(dep(rng.choice(actions), "DATAACTION"))
            if tables and rng.random() < 0.2:
                items.append(dep(rng.choice(tables), "DATATABLE"))
            items.append(dep(rng.choice(prompts), "USERPROMPT"))
            if common and f["type"] != "COMMONMODULE" and rng.random() < 0.4:
                items.append(fdep(rng.choice(common)))
            consumed[f["id"]] = sorted(items, key=lambda d: (d["type"], d["id"]))
        if self.weak and len(queues) > 3:
            target = next((f for f in flows if f["id"] in consumed
                           and f["type"] == "INBOUNDCALL"), None)
            if target:
                consumed[target["id"]].append(dep(queues[3], "QUEUE"))
        # Transfer loops between inbound flows (a runtime loop, not a creation blocker).
        loop = [f for f in inbound if "publishedVersion" in f][:3]
        if len(loop) == 3:
            for a, b in zip(loop, loop[1:] + loop[:1], strict=True):
                consumed[a["id"]].append(fdep(b))
        self.org[P_CONSUMED] = consumed
        status = "OPERATIONALNEEDSREBUILD" if self.weak else "OPERATIONAL"
        self.org[P_DT_BUILD] = {"id": "build", "buildId": self.uid(), "status": status,
                                "dateStarted": DATE, "dateCompleted": DATE,
                                "failedObjects": []}
        deleted: list[Entity] = []
        if self.weak and inbound:
            f = inbound[-1]
            gone = {"id": self.uid(), "name": "Deleted queue", "type": "QUEUE", "deleted": True,
                    "updated": False, "stateUnknown": False}
            deleted.append(fdep(f) | {"consumedResources": [gone]})
            if f["id"] in consumed:
                consumed[f["id"]].append(gone)
        self.org[P_DT_DELETED] = deleted
        updated: list[Entity] = []
        if self.weak and inbound and actions:
            changed = dep(actions[-1], "DATAACTION") | {"updated": True}
            updated.append(fdep(inbound[0]) | {"consumedResources": [changed]})
        self.org[P_DT_UPDATED] = updated

    def ivrs(self) -> None:
        rng = self.rng
        inbound = [f for f in self.org[P_FLOWS] if f["type"] == "INBOUNDCALL"]
        published = [f for f in inbound if "publishedVersion" in f] or inbound
        sgroups = self.org[P_SCHEDULEGROUPS]
        ivrs = self.many(P_IVRS, self.p.ivrs, "Call route")
        for i, ivr in enumerate(ivrs):
            ivr.update({"state": "active", "version": 1,
                        "dnis": [f"+1317555{1000 + i:04d}"]})
            ivr["openHoursFlow"] = self.ref(rng.choice(published), P_FLOWS)
            ivr["closedHoursFlow"] = self.ref(rng.choice(published), P_FLOWS)
            ivr["holidayHoursFlow"] = self.ref(rng.choice(published), P_FLOWS)
            ivr["scheduleGroup"] = self.ref(rng.choice(sgroups), P_SCHEDULEGROUPS)
        if self.weak and len(ivrs) >= 3:
            del ivrs[0]["closedHoursFlow"]
            del ivrs[2]["holidayHoursFlow"]
            unpublished = [f for f in inbound if "publishedVersion" not in f]
            if unpublished:
                ivrs[1]["openHoursFlow"] = self.ref(unpublished[0], P_FLOWS)
        groups = self.many(P_EMERGENCY, self.p.emergencygroups, "Emergency group")
        per = max(1, len(ivrs) // max(1, len(groups)))
        last = len(ivrs) - 1 if self.weak else len(ivrs)  # planted: one IVR uncovered
        for gi, g in enumerate(groups):
            end = last if gi == len(groups) - 1 else min(last, (gi + 1) * per)
            covered = ivrs[gi * per:end]
            g.update({"state": "active", "version": 1, "enabled": False, "description": "",
                      "emergencyCallFlows": [{
                          "emergencyFlow": self.ref(rng.choice(published), P_FLOWS),
                          "ivrs": [self.ref(v, P_IVRS) for v in covered]}]})
        if self.weak and groups:
            groups[0]["emergencyCallFlows"][0].pop("emergencyFlow")

    def telephony(self) -> None:
        rng = self.rng
        locs = self.org[P_LOCATIONS]
        sites = self.many(P_SITES, self.p.sites, "Site")
        egs = self.many(P_EDGEGROUPS, max(1, self.p.sites), "Edge group")
        tbs = self.many(P_TRUNKBASES, self.p.trunkbases, "Trunk base")
        for tb in tbs:
            tb.update({"state": "active", "version": 1, "trunkType": "EXTERNAL",
                       "managed": False, "trunkMetabase": {
                           "id": "external_sip_pcv_byoc_carrier.json", "name": "BYOC Carrier"}})
        for eg in egs:
            eg.update({"state": "active", "version": 1, "managed": False, "hybrid": False,
                       "edgeTrunkBaseAssignment": {"trunkBase": self.ref(rng.choice(tbs),
                                                                         P_TRUNKBASES)},
                       "phoneTrunkBases": []})
        edges: list[Entity] = []
        trunks: list[Entity] = []
        for si, s in enumerate(sites):
            s.update({"description": "", "state": "active", "version": 1, "managed": False,
                      "coreSite": False, "mediaModel": "Premises",
                      "mediaRegions": ["us-east-1", "us-west-2"],
                      "location": self.ref(locs[si % len(locs)], P_LOCATIONS)})
            n_edges = self.p.edges_per_site
            if self.weak and si == 0:
                n_edges = 1  # planted: no edge redundancy
            site_edges = []
            for ei in range(n_edges):
                e = self.base(P_EDGES, f"Edge {si + 1:03d}-{ei + 1}")
                e.update({"description": "", "state": "active", "version": 1,
                          "onlineStatus": "ONLINE", "statusCode": "ACTIVE",
                          "edgeDeploymentType": "HARDWARE", "managed": False,
                          "site": self.ref(s, P_SITES),
                          "edgeGroup": self.ref(egs[si % len(egs)], P_EDGEGROUPS)})
                site_edges.append(e)
                edges.append(e)
                tb = egs[si % len(egs)]["edgeTrunkBaseAssignment"]["trunkBase"]
                tr = self.base(P_TRUNKS, f"{e['name']} trunk")
                tr.update({"state": "active", "trunkType": "EXTERNAL", "inService": True,
                           "enabled": True, "edge": self.ref(e, P_EDGES),
                           "trunkBase": dict(tb), "edgeGroup": self.ref(egs[si % len(egs)],
                                                                        P_EDGEGROUPS),
                           "connectedStatus": {"connected": True, "connectedStateTime": DATE}})
                trunks.append(tr)
            s["edges"] = [self.ref(e, P_EDGES) for e in site_edges]
            s["primaryEdges"] = [self.ref(e, P_EDGES) for e in site_edges[:1]]
            s["secondaryEdges"] = [self.ref(e, P_EDGES) for e in site_edges[1:2]]
        for si, s in enumerate(sites):
            # Sites back each other up in pairs, as BYOC Premises deployments usually do.
            other = sites[si ^ 1] if (si ^ 1) < len(sites) else sites[0]
            s["primarySites"] = [self.ref(s, P_SITES)]
            if self.weak and si == 1:
                s["secondarySites"] = [self.ref(s, P_SITES)]  # planted: secondary == primary
            elif not (self.weak and si == 2) and other is not s:
                s["secondarySites"] = [self.ref(other, P_SITES)]
        self.org[P_EDGES] = edges
        self.org[P_TRUNKS] = trunks
        routes: list[Entity] = []
        by_site: dict[str, list[Entity]] = {}
        for si, s in enumerate(sites):
            by_site[s["id"]] = []
            for ri in range(self.p.routes_per_site):
                r = self.base(P_ROUTES, f"{s['name']} route {ri + 1}")
                n_tb = 1 if (self.weak and si == 0 and ri == 0) else 2
                r.update({"state": "active", "version": 1, "enabled": True,
                          "classificationTypes": ["National", "International"][: ri % 2 + 1],
                          "distribution": "SEQUENTIAL", "managed": False,
                          "externalTrunkBases": [self.ref(t, P_TRUNKBASES)
                                                 for t in rng.sample(tbs, min(n_tb, len(tbs)))]})
                if self.weak and si == 1 and ri == 0:
                    r["externalTrunkBases"].append({"id": self.uid(), "name": "Retired carrier",
                                                    "selfUri": f"{P_TRUNKBASES}/retired"})
                base = {k: v for k, v in r.items() if k != "managed"}
                by_site[s["id"]].append(base)
                routes.append(dict(r, site=self.ref(s, P_SITES)))
        self.org[P_ROUTES] = routes
        self.org[P_SITE_ROUTES] = by_site
        for pb in self.many(P_PHONEBASES, self.p.phonebases, "Phone base"):
            pb.update({"state": "active", "version": 1,
                       "phoneMetaBase": {"id": "generic_sip.json", "name": "Generic SIP Phone"},
                       "lines": [{"id": self.uid(), "name": "line 1",
                                  "lineMetaBase": {"id": "generic_sip_line.json"}}]})
        users = self.org[P_USERS]
        for i, ph in enumerate(self.many(P_PHONES, self.p.phones, "Phone")):
            pb = self.org[P_PHONEBASES][i % len(self.org[P_PHONEBASES])]
            ph.update({"state": "active", "site": self.ref(sites[i % len(sites)], P_SITES),
                       "phoneBaseSettings": self.ref(pb, P_PHONEBASES),
                       "webRtcUser": self.ref(users[i % len(users)], P_USERS)})
        pools = self.many(P_DIDPOOLS, self.p.didpools, "DID pool")
        for i, pool in enumerate(pools):
            pool.update({"state": "active", "version": 1, "provider": "PURE_CLOUD",
                         "startPhoneNumber": f"+1317{i:03d}0000",
                         "endPhoneNumber": f"+1317{i:03d}9999"})
        ivrs = self.org[P_IVRS]
        owners = [u for u in users if u["state"] == "active"]
        inactive = [u for u in users if u["state"] == "inactive"]
        for i, d in enumerate(self.many(P_DIDS, self.p.dids, "DID", division=False)):
            pool = pools[i % len(pools)]
            d["name"] = d["phoneNumber"] = f"+1317{i % len(pools):03d}{i:04d}"
            d.update({"state": "active", "didPool": self.ref(pool, P_DIDPOOLS)})
            if i < len(ivrs):
                d.update({"owner": {"id": ivrs[i]["id"], "name": ivrs[i]["name"]},
                          "ownerType": "IVR_CONFIG"})
            else:
                u = owners[i % len(owners)]
                if self.weak and inactive and i == self.p.dids - 1:
                    u = inactive[0]  # planted: a number still assigned to a leaver
                d.update({"owner": {"id": u["id"], "name": u["name"]}, "ownerType": "USER"})

    def misc(self) -> None:
        rng = self.rng
        chat = [f for f in self.org[P_FLOWS] if f["type"] == "INBOUNDSHORTMESSAGE"] or \
            self.org[P_FLOWS]
        for w in self.many(P_WEBDEPLOYMENTS, self.p.webdeployments, "Web deployment",
                           division=False):
            w.update({"description": "", "allowAllDomains": True, "status": "Active",
                      "flow": self.ref(rng.choice(chat), P_FLOWS),
                      "configuration": {"id": self.uid(), "version": "1"}})

    def email(self) -> None:
        """Inbound email domains and their routes (read per domain, as the real API serves
        them), and the queues that reply through them."""
        rng = self.rng
        flows = self.org[P_FLOWS]
        inbound = [f for f in flows if f["type"] == "INBOUNDEMAIL"] or flows
        queues, skills = self.org[P_QUEUES], self.org[P_SKILLS]
        langs = self.org[P_LANGUAGES]
        domains: list[Entity] = []
        for i in range(max(1, self.p.webdeployments // 4)):
            name = f"support{i + 1}.gcsim.mypurecloud.com"
            domains.append({"id": name, "name": name, "mxRecordStatus": "VALID",
                            "subDomain": True, "selfUri": f"{P_EMAIL_DOMAINS}/{name}"})
        self.org[P_EMAIL_DOMAINS] = domains
        routes: dict[str, list[Entity]] = {}
        for di, d in enumerate(domains):
            items: list[Entity] = []
            for ri in range(3):
                r: Entity = {"id": self.uid(), "name": f"Route {di + 1}-{ri + 1}",
                             "pattern": f"team{ri + 1}", "priority": 5,
                             "fromName": "Support", "fromEmail": f"team{ri + 1}@{d['id']}",
                             "historyInclusion": "Optional", "allowMultipleActions": False}
                r["selfUri"] = f"/api/v2/routing/email/domains/{d['id']}/routes/{r['id']}"
                if ri == 2:
                    r["flow"] = self.ref(rng.choice(inbound), P_FLOWS)
                else:
                    r["queue"] = self.ref(rng.choice(queues), P_QUEUES)
                    r["skills"] = [self.ref(rng.choice(skills), P_SKILLS)]
                    r["language"] = self.ref(rng.choice(langs), P_LANGUAGES)
                r["spamFlow"] = self.ref(rng.choice(inbound), P_FLOWS)
                items.append(r)
            items[1]["replyEmailAddress"] = {
                "domain": {"id": d["id"], "name": d["name"]},
                "route": {"id": items[0]["id"], "name": items[0]["name"]}}
            routes[d["id"]] = items
        self.org[P_EMAIL_ROUTES] = routes
        first = [(d, routes[d["id"]][0]) for d in domains]
        for qi, q in enumerate(queues):
            if qi % 4 == 0:
                d, r = first[(qi // 4) % len(first)]
                q["outboundEmailAddress"] = {"domain": {"id": d["id"], "name": d["name"]},
                                             "route": {"id": r["id"], "name": r["name"]}}

    def deleted(self) -> None:
        """Deleted objects the real listings still return (``state: deleted``)."""
        def gone(path: str, name: str, **fields: Any) -> Entity:
            e = self.base(path, name)
            e.update({"state": "deleted", "version": 3, **fields})
            self.org[path].append(e)
            return e

        for k in range(max(1, self.p.users // 100)):
            gone(P_USERS, f"Former agent {k + 1:04d}", email=f"former{k + 1:04d}@example.com")
        gone(P_SITES, "Closed site", mediaModel="Premises", managed=False)
        gone(P_EDGEGROUPS, "Retired edge group", managed=False, hybrid=False)
        tb = gone(P_TRUNKBASES, "Old carrier", trunkType="EXTERNAL", managed=False)
        pb = gone(P_PHONEBASES, "Old phone model")
        gone(P_DIDPOOLS, "Released numbers", startPhoneNumber="+13179990000",
             endPhoneNumber="+13179990099")
        ivr = self.org[P_IVRS][0]
        flow = self.org[P_FLOWS][0]
        gone(P_EMERGENCY, "Old emergency plan", enabled=True, emergencyCallFlows=[
            {"emergencyFlow": self.ref(flow, P_FLOWS), "ivrs": [self.ref(ivr, P_IVRS)]}])
        gone(P_PHONES, "Returned phone")
        if self.weak:
            # planted: a live route and a live phone still name deleted objects
            route = self.org[P_ROUTES][-1]
            route["externalTrunkBases"].append(self.ref(tb, P_TRUNKBASES))
            self.org[P_PHONES][0]["phoneBaseSettings"] = self.ref(pb, P_PHONEBASES)

    def limits(self) -> None:
        p = self.p
        table = {
            "routing": [("queues.max", 5000, "Maximum queues in an org"),
                        ("wrapup.codes.max", 2000, "Maximum wrap-up codes"),
                        ("queue.members.max", 5000, "Maximum members of one queue")],
            "skills": [("skill.count.max", 5000, "Maximum ACD skills"),
                       ("language.count.max", 250, "Maximum languages")],
            "groups": [("group.count.max", 5000, "Maximum groups"),
                       ("teams.max", 1000, "Maximum teams")],
            "architect": [("flows.max", max(3000, p.flows * 2), "Maximum flows")],
            "dataactions": [("actions.total.max", 2000, "Maximum data actions")],
            "platform.api": [("client.credentials.token.rate.per.minute", 300,
                              "Requests per client-credentials token per minute")],
        }
        effective: dict[str, list[Entity]] = {}
        defaults: dict[str, list[Entity]] = {}
        docs = []
        for ns, keys in table.items():
            effective[ns] = [{"key": k, "namespace": ns, "value": v} for k, v, _ in keys]
            defaults[ns] = [{"key": k, "namespace": ns, "value": v} for k, v, _ in keys]
            docs.append({"name": ns, "friendlyName": ns.replace(".", " ").title(),
                         "limits": [{"key": k, "defaultValue": v, "description": d,
                                     "resource": ns, "configurable": True, "trackable": True}
                                    for k, v, d in keys]})
        effective["routing"][0]["value"] = 6000  # raised by a support case
        self.org[P_LIMITS] = effective
        self.org[P_LIMIT_DEFAULTS] = defaults
        self.org[P_LIMIT_DOCS] = {"url": "https://developer.genesys.cloud/organization/"
                                         "organization/limits", "namespaces": docs}


def generate_org(size: str = "small", seed: int = 1, weaknesses: bool = True) -> dict[str, Any]:
    """Generate an org of a named size.

    Args:
        size: one of ``SIZES`` (tiny, small, medium, large, huge).
        seed: the random seed; the same seed gives the same org.
        weaknesses: plant the dangling references, cycles and failover weaknesses that gcmap
            should find. ``False`` gives a healthy org.
    """
    if size not in SIZES:
        raise ValueError(f"unknown org size {size!r}; choose one of {', '.join(SIZES)}")
    return _Gen(SIZES[size], seed, weaknesses).run()


def object_count(org: dict[str, Any]) -> int:
    """Count configuration objects: the entities of top-level collections.

    Sub-collections (queue members, per-site routes, dependency records) are relations or
    other views of objects already counted, so they are left out, and so are deleted
    objects; email routes (listed per domain) are counted.
    """
    def live(items: list[Entity]) -> int:
        return sum(1 for e in items if not (isinstance(e, dict) and e.get("state") == "deleted"))

    lists = sum(live(v) for k, v in org.items() if isinstance(v, list)
                and not k.startswith("/api/v2/architect/dependencytracking"))
    routes = org.get(P_EMAIL_ROUTES)
    per_domain = sum(live(v) for v in routes.values()) if isinstance(routes, dict) else 0
    return lists + per_domain + (1 if P_ORG in org else 0)
