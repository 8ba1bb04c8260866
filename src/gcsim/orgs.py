"""Seeded generators of Genesys Cloud organizations in the gcsim org-file format.

An org is one dict keyed by real API path templates (see ``docs/gcsim.md``). Entities are in
the real API JSON shape. The same ``(size, seed, weaknesses)`` always gives the same org.
"""

from __future__ import annotations

from typing import Any

from gcsim.gen_outbound import MessagingGen, OutboundGen
from gcsim.gen_routing import RoutingGen
from gcsim.genbase import SIZES, Entity, OrgProfile
from gcsim.paths import (
    DATE,
    FLOW_DEP_TYPE,
    P_ACTIONS,
    P_CONSUMED,
    P_CREDENTIALS,
    P_DATATABLES,
    P_DIVISIONS,
    P_EMAIL_ROUTES,
    P_EMERGENCY,
    P_FLOWS,
    P_GROUPS,
    P_INTEGRATIONS,
    P_IVRS,
    P_LANGUAGES,
    P_LOCATIONS,
    P_ORG,
    P_PROMPTS,
    P_QUEUES,
    P_SCHEDULEGROUPS,
    P_SCHEDULES,
    P_SKILLGROUPS,
    P_SKILLS,
    P_TEAMS,
    P_USERS,
    P_WRAPUPS,
)
from gcsim.plants import Plant

__all__ = ["SIZES", "OrgProfile", "generate_org", "object_count", "plants_of"]


class _Gen(RoutingGen, OutboundGen, MessagingGen):
    """Builds one org. Methods run in dependency order; each fills ``self.org``."""

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
        self.unpublished_in_use()
        # Last, so that adding it left every other object of an org as it was.
        self.outbound()
        self.messaging()
        self.self_service()
        self.governance()
        self.task_management()
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
            # planted: nobody matches (the queues that name it are recorded with them)
            self.org[P_SKILLGROUPS][-1]["memberCount"] = 0

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
            self.plant("action-integration-deleted", self.key("data_action", actions[0]))
        for ig in self.org[P_INTEGRATIONS]:
            del ig["_host"]

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
            self.plant("ivr-no-closed-flow", self.key("ivr", ivrs[0]))
            del ivrs[2]["holidayHoursFlow"]
            self.plant("ivr-no-holiday-flow", self.key("ivr", ivrs[2]))
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
            self.plant("emergency-flow-missing", self.key("emergency_group", groups[0]))
        if self.weak and groups and last < len(ivrs):
            for v in ivrs[last:]:
                self.plant("ivr-no-emergency-group", self.key("ivr", v))
        self._plant_schedule_gaps(ivrs)
        self._plant_shared_single_queue(ivrs, published)

    def _plant_shared_single_queue(self, ivrs: list[Entity], published: list[Entity]) -> None:
        """Two IVRs open on one flow whose only route is one staffed queue with no fallback
        (no backup, no conditional group routing)."""
        if not self.weak or len(ivrs) < 5:
            return
        consumed = self.org[P_CONSUMED]
        queue = next((q for q in self.org[P_QUEUES][8:] if q.get("joinedMemberCount")
                      and "directRouting" not in q and "conditionalGroupRouting" not in q),
                     None)
        # A flow no other plant touches: not the transfer loop, not a deleted queue's user.
        taken = {d["id"] for f in consumed.values() for d in f if d.get("deleted")}
        flow = next((f for f in reversed(published[3:-1]) if f["id"] in consumed
                     and not {d["id"] for d in consumed[f["id"]]} & taken), None)
        if queue is None or flow is None:
            return
        consumed[flow["id"]] = [d for d in consumed[flow["id"]]
                                if d["type"] not in ("QUEUE", *FLOW_DEP_TYPE.values())] + [
            {"id": queue["id"], "name": queue["name"], "type": "QUEUE", "deleted": False,
             "updated": False, "stateUnknown": False}]
        for v in ivrs[3:5]:
            v["openHoursFlow"] = self.ref(flow, P_FLOWS)
        pair = [self.key("ivr", v) for v in ivrs[3:5]]
        self.plant("shared-single-queue", self.key("queue", queue), *pair, exact=False)
        self.plant("shared-single-queue", self.key("flow", flow), *pair, exact=False)

    def _plant_schedule_gaps(self, ivrs: list[Entity]) -> None:
        """Schedule groups left without schedules (planted by chance) that an IVR uses: the
        first IVR using one is the one it is reported with."""
        empty = {g["id"] for g in self.org[P_SCHEDULEGROUPS] if "openSchedules" not in g}
        for v in ivrs:
            sg = v["scheduleGroup"]["id"]
            if sg in empty:
                empty.discard(sg)
                self.plant("schedule-group-empty", self.key("ivr", v), f"schedule_group:{sg}")

    def unpublished_in_use(self) -> None:
        """Every IVR, queue and emergency group field that routes to a never-published flow
        (planted by chance, and on purpose for one IVR)."""
        unpublished = {f["id"] for f in self.org[P_FLOWS] if "publishedVersion" not in f}
        holders = [("ivr", P_IVRS, ("openHoursFlow", "closedHoursFlow", "holidayHoursFlow")),
                   ("queue", P_QUEUES, ("queueFlow", "emailInQueueFlow", "messageInQueueFlow"))]
        for node_type, path, fields in holders:
            for e in self.org[path]:
                if e.get("state") == "deleted":
                    continue
                for f in fields:  # once per field that names one
                    fid = (e.get(f) or {}).get("id")
                    if fid in unpublished:
                        self.plant("unpublished-flow-in-use", self.key(node_type, e),
                                   f"flow:{fid}")
        for g in self.org[P_EMERGENCY]:
            if g.get("state") == "deleted":
                continue
            named: set[str] = {str((c.get("emergencyFlow") or {}).get("id"))
                               for c in g.get("emergencyCallFlows") or []}
            for fid in sorted(named & unpublished):
                self.plant("unpublished-flow-in-use", self.key("emergency_group", g),
                           f"flow:{fid}")


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


def plants_of(size: str = "small", seed: int = 1) -> list[Plant]:
    """The weaknesses ``generate_org(size, seed)`` plants, each with the finding it must
    produce, sorted (``gcsim.plants.CATALOGUE`` names them)."""
    gen = _Gen(SIZES[size], seed, True)
    gen.run()
    return sorted(gen.plants)



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
