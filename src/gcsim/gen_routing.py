"""The routing part of a generated org: queues with members and failover, and what each
published flow consumes (dependency tracking)."""

from __future__ import annotations

import itertools

from gcsim import paths as o
from gcsim.gen_telephony import TelephonyGen
from gcsim.genbase import Entity

__all__ = ["RoutingGen"]


class RoutingGen(TelephonyGen):
    """Queues, their members, backups and conditional routing; flow dependencies."""

    def queues(self) -> None:
        rng = self.rng
        flows = self.org[o.P_FLOWS]
        inqueue = [f for f in flows if f["type"] == "INQUEUECALL"] or flows
        inqueue_email = [f for f in flows if f["type"] == "INQUEUEEMAIL"] or inqueue
        prompts, users = self.org[o.P_PROMPTS], self.org[o.P_USERS]
        groups, teams = self.org[o.P_GROUPS], self.org[o.P_TEAMS]
        sgroups, skills = self.org[o.P_SKILLGROUPS], self.org[o.P_SKILLS]
        wrapups = self.org[o.P_WRAPUPS]
        queues = self.many(o.P_QUEUES, self.p.queues, "Queue")
        members: dict[str, list[Entity]] = {}
        qwrap: dict[str, list[Entity]] = {}
        scripts = [self.base(o.P_SCRIPTS, f"Script {i + 1:04d}") for i in range(self.p.scripts)]
        for s in scripts:
            s.update({"versionId": self.uid(), "createdDate": o.DATE, "modifiedDate": o.DATE,
                      "publishedDate": o.DATE})
        self.org[o.P_SCRIPTS] = scripts
        per_queue = max(3, min(60, 3 * len(users) // max(1, len(queues))))
        active = [u for u in users if u["state"] == "active"]
        for qi, q in enumerate(queues):
            q.update({"description": "", "dateCreated": o.DATE, "dateModified": o.DATE,
                      "createdBy": "system", "modifiedBy": "system",
                      "skillEvaluationMethod": "ALL", "scoringMethod": "TimestampAndPriority",
                      "lastAgentRoutingMode": "Disabled", "autoAnswerOnly": False,
                      "enableTranscription": False, "enableAudioMonitoring": False,
                      "enableManualAssignment": False, "callingPartyName": q["name"],
                      "acwSettings": {"wrapupPrompt": "OPTIONAL", "timeoutMs": 30000},
                      "mediaSettings": {"call": {"alertingTimeoutSeconds": 8, "serviceLevel":
                                        {"percentage": 0.8, "durationMs": 20000}}}})
            q["queueFlow"] = self.ref(rng.choice(inqueue), o.P_FLOWS)
            if qi % 4 == 0:
                q["emailInQueueFlow"] = self.ref(rng.choice(inqueue_email), o.P_FLOWS)
            q["whisperPrompt"] = self.ref(rng.choice(prompts), o.P_PROMPTS)
            q["onHoldPrompt"] = self.ref(rng.choice(prompts), o.P_PROMPTS)
            if scripts:
                q["defaultScripts"] = {"CALL": self.ref(rng.choice(scripts), o.P_SCRIPTS)}
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
                 "actions": {"skillsToRemove": [self.ref(rng.choice(skills), o.P_SKILLS)]},
                 "memberGroups": mg[:1]},
                {"expansionCriteria": [], "actions": {"skillsToRemove": []}}]}
            q["_members"] = [u for u in rng.sample(active, min(len(active), per_queue))]
            qwrap[q["id"]] = [self.ref(w, o.P_WRAPUPS) | {"division": w["division"]}
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
                    {"queue": self.ref(q, o.P_QUEUES),
                     "metric": "EstimatedWaitTime", "operator": "GreaterThan",
                     "conditionValue": 60.0, "waitSeconds": 20,
                     "groups": [{"id": m["id"], "type": m["type"]}
                                for m in q.get("memberGroups", [])[:1]]},
                    {"queue": self.ref(backup, o.P_QUEUES), "metric": "ServiceLevel",
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
                           "selfUri": f"{o.P_USERS}/{u['id']}"})
            members[q["id"]] = ms
            q["memberCount"] = len(ms)
            q["userMemberCount"] = len(ms)
            q["joinedMemberCount"] = joined
        self.org[o.P_QUEUE_MEMBERS] = members
        self.org[o.P_QUEUE_WRAPUPS] = qwrap

    def _plant_queue_weaknesses(self, queues: list[Entity]) -> None:
        if not self.weak or len(queues) < 8:
            return
        q = [self.key("queue", x) for x in queues]
        queues[1]["directRouting"] = {"backupQueueId": queues[1]["id"], "waitForAgent": False}
        self.plant("backup-queue-self", q[1])
        queues[2]["directRouting"] = {"backupQueueId": self.uid(), "waitForAgent": False}
        self.plant("backup-queue-missing", q[2])
        queues[3]["_members"] = []  # a queue nobody can answer
        inactive = [u for u in self.org[o.P_USERS] if u["state"] == "inactive"]
        if inactive:  # a leaver still listed as a member (never joined)
            queues[2]["_members"].append(inactive[0])
            self.plant("leaver-in-queue", q[2], self.key("user", inactive[0]))
        queues[4]["directRouting"] = {"backupQueueId": queues[3]["id"], "waitForAgent": False}
        self.plant("backup-queue-empty", q[4], q[3])
        queues[5]["queueFlow"] = {"id": self.uid(), "name": "Deleted in-queue flow",
                                  "selfUri": f"{o.P_FLOWS}/deleted"}
        self.plant("queue-flow-deleted", q[5])
        empty = self.org[o.P_SKILLGROUPS][-1] if self.org[o.P_SKILLGROUPS] else None
        if empty:
            ring = queues[0]["bullseye"]["rings"][0]
            ring["memberGroups"] = [{"id": empty["id"], "name": empty["name"],
                                     "type": "SKILLGROUP", "memberCount": 0,
                                     "selfUri": empty["selfUri"]}]
            for x in queues:  # every queue that routes to it, once per mention
                named = [m for r in x.get("bullseye", {}).get("rings", [])
                         for m in r.get("memberGroups") or []]
                named += [g for r in (x.get("conditionalGroupRouting") or {}).get("rules", [])
                          for g in r.get("groups") or []]
                for _ in [m for m in named if m.get("id") == empty["id"]]:
                    self.plant("empty-skill-group", self.key("queue", x),
                               self.key("skill_group", empty))
        # planted: a backup chain ten queues long (a contact can fall through nine backups)
        if len(queues) >= 21:
            for a, b in itertools.pairwise(queues[11:21]):
                a["directRouting"] = {"backupQueueId": b["id"], "waitForAgent": False}
            # The finding names the deepest chain, which in a large org may be another one.
            self.plant("long-backup-chain", exact=False)
        # queues 6 and 7 back each other up: a call can bounce between them
        queues[6]["directRouting"] = {"backupQueueId": queues[7]["id"], "waitForAgent": False}
        queues[7]["directRouting"] = {"backupQueueId": queues[6]["id"], "waitForAgent": False}
        self.plant("backup-loop", q[6], q[7])

    def flow_dependencies(self) -> None:
        """Architect dependency tracking: what each published flow consumes."""
        rng = self.rng
        flows = self.org[o.P_FLOWS]
        queues, actions = self.org[o.P_QUEUES], self.org[o.P_ACTIONS]
        prompts, tables = self.org[o.P_PROMPTS], self.org[o.P_DATATABLES]
        sgroups = self.org[o.P_SCHEDULEGROUPS]
        common = [f for f in flows if f["type"] == "COMMONMODULE"]
        inbound = [f for f in flows if f["type"] == "INBOUNDCALL"]

        def dep(e: Entity, dtype: str, version: str | None = None) -> Entity:
            d = {"id": e["id"], "name": e["name"], "type": dtype, "deleted": False,
                 "updated": False, "stateUnknown": False}
            if version:
                d["version"] = version
            return d

        def fdep(f: Entity) -> Entity:
            return dep(f, o.FLOW_DEP_TYPE[f["type"]],
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
                # the finding also names every other flow that happens to route there
                self.plant("queue-no-agents", self.key("queue", queues[3]),
                           self.key("flow", target), exact=False)
        # Transfer loops between inbound flows (a runtime loop, not a creation blocker).
        loop = [f for f in inbound if "publishedVersion" in f][:3]
        if len(loop) == 3:
            for a, b in zip(loop, loop[1:] + loop[:1], strict=True):
                consumed[a["id"]].append(fdep(b))
        self.org[o.P_CONSUMED] = consumed
        status = "OPERATIONALNEEDSREBUILD" if self.weak else "OPERATIONAL"
        if self.weak:
            self.plant("dependency-index-stale")
        self.org[o.P_DT_BUILD] = {"id": "build", "buildId": self.uid(), "status": status,
                                "dateStarted": o.DATE, "dateCompleted": o.DATE,
                                "failedObjects": []}
        deleted: list[Entity] = []
        if self.weak and inbound:
            f = inbound[-1]
            gone = {"id": self.uid(), "name": "Deleted queue", "type": "QUEUE", "deleted": True,
                    "updated": False, "stateUnknown": False}
            deleted.append(fdep(f) | {"consumedResources": [gone]})
            if f["id"] in consumed:
                consumed[f["id"]].append(gone)
                self.plant("flow-uses-deleted-queue", self.key("flow", f))
        self.org[o.P_DT_DELETED] = deleted
        updated: list[Entity] = []
        if self.weak and inbound and actions:
            changed = dep(actions[-1], "DATAACTION") | {"updated": True}
            updated.append(fdep(inbound[0]) | {"consumedResources": [changed]})
        self.org[o.P_DT_UPDATED] = updated
