"""The telephony, messaging, email and leftover parts of a generated org, its limits, and the
deleted objects real listings still return."""

from __future__ import annotations

from typing import Any

from gcsim import paths as o
from gcsim.genbase import Entity, GenBase

__all__ = ["TelephonyGen"]


class TelephonyGen(GenBase):
    """Sites, Edges, trunks, routes, phones, numbers, deployments, email, limits."""

    def telephony(self) -> None:
        rng = self.rng
        locs = self.org[o.P_LOCATIONS]
        sites = self.many(o.P_SITES, self.p.sites, "Site")
        egs = self.many(o.P_EDGEGROUPS, max(1, self.p.sites), "Edge group")
        tbs = self.many(o.P_TRUNKBASES, self.p.trunkbases, "Trunk base")
        for tb in tbs:
            tb.update({"state": "active", "version": 1, "trunkType": "EXTERNAL",
                       "managed": False, "trunkMetabase": {
                           "id": "external_sip_pcv_byoc_carrier.json", "name": "BYOC Carrier"}})
        for eg in egs:
            eg.update({"state": "active", "version": 1, "managed": False, "hybrid": False,
                       "edgeTrunkBaseAssignment": {"trunkBase": self.ref(rng.choice(tbs),
                                                                         o.P_TRUNKBASES)},
                       "phoneTrunkBases": []})
        edges: list[Entity] = []
        trunks: list[Entity] = []
        for si, s in enumerate(sites):
            s.update({"description": "", "state": "active", "version": 1, "managed": False,
                      "coreSite": False, "mediaModel": "Premises",
                      "mediaRegions": ["us-east-1", "us-west-2"],
                      "location": self.ref(locs[si % len(locs)], o.P_LOCATIONS)})
            n_edges = self.p.edges_per_site
            if self.weak and si == 0:
                n_edges = 1  # planted: no edge redundancy
                self.plant("site-single-edge", self.key("site", s))
            site_edges = []
            for ei in range(n_edges):
                e = self.base(o.P_EDGES, f"Edge {si + 1:03d}-{ei + 1}")
                e.update({"description": "", "state": "active", "version": 1,
                          "onlineStatus": "ONLINE", "statusCode": "ACTIVE",
                          "edgeDeploymentType": "HARDWARE", "managed": False,
                          "site": self.ref(s, o.P_SITES),
                          "edgeGroup": self.ref(egs[si % len(egs)], o.P_EDGEGROUPS)})
                site_edges.append(e)
                edges.append(e)
                tb = egs[si % len(egs)]["edgeTrunkBaseAssignment"]["trunkBase"]
                tr = self.base(o.P_TRUNKS, f"{e['name']} trunk")
                tr.update({"state": "active", "trunkType": "EXTERNAL", "inService": True,
                           "enabled": True, "edge": self.ref(e, o.P_EDGES),
                           "trunkBase": dict(tb), "edgeGroup": self.ref(egs[si % len(egs)],
                                                                        o.P_EDGEGROUPS),
                           "connectedStatus": {"connected": True, "connectedStateTime": o.DATE}})
                trunks.append(tr)
            s["edges"] = [self.ref(e, o.P_EDGES) for e in site_edges]
            s["primaryEdges"] = [self.ref(e, o.P_EDGES) for e in site_edges[:1]]
            s["secondaryEdges"] = [self.ref(e, o.P_EDGES) for e in site_edges[1:2]]
        for si, s in enumerate(sites):
            # Sites back each other up in pairs, as BYOC Premises deployments usually do.
            other = sites[si ^ 1] if (si ^ 1) < len(sites) else sites[0]
            s["primarySites"] = [self.ref(s, o.P_SITES)]
            if self.weak and si == 1:
                s["secondarySites"] = [self.ref(s, o.P_SITES)]  # planted: secondary == primary
                self.plant("site-secondary-self", self.key("site", s))
            elif self.weak and si == 2:
                self.plant("site-no-secondary", self.key("site", s))
            elif other is not s:
                s["secondarySites"] = [self.ref(other, o.P_SITES)]
        self.org[o.P_EDGES] = edges
        self.org[o.P_TRUNKS] = trunks
        routes: list[Entity] = []
        by_site: dict[str, list[Entity]] = {}
        for si, s in enumerate(sites):
            by_site[s["id"]] = []
            for ri in range(self.p.routes_per_site):
                r = self.base(o.P_ROUTES, f"{s['name']} route {ri + 1}")
                n_tb = 1 if (self.weak and si == 0 and ri == 0) else 2
                r.update({"state": "active", "version": 1, "enabled": True,
                          "classificationTypes": ["National", "International"][: ri % 2 + 1],
                          "distribution": "SEQUENTIAL", "managed": False,
                          "externalTrunkBases": [self.ref(t, o.P_TRUNKBASES)
                                                 for t in rng.sample(tbs, min(n_tb, len(tbs)))]})
                if n_tb == 1:
                    self.plant("single-trunk", self.key("outbound_route", r))
                if self.weak and si == 1 and ri == 0:
                    r["externalTrunkBases"].append({"id": self.uid(), "name": "Retired carrier",
                                                    "selfUri": f"{o.P_TRUNKBASES}/retired"})
                    self.plant("route-trunk-base-missing", self.key("outbound_route", r))
                base = {k: v for k, v in r.items() if k != "managed"}
                by_site[s["id"]].append(base)
                routes.append(dict(r, site=self.ref(s, o.P_SITES)))
        self.org[o.P_ROUTES] = routes
        self.org[o.P_SITE_ROUTES] = by_site
        for pb in self.many(o.P_PHONEBASES, self.p.phonebases, "Phone base"):
            pb.update({"state": "active", "version": 1,
                       "phoneMetaBase": {"id": "generic_sip.json", "name": "Generic SIP Phone"},
                       "lines": [{"id": self.uid(), "name": "line 1",
                                  "lineMetaBase": {"id": "generic_sip_line.json"}}]})
        users = self.org[o.P_USERS]
        for i, ph in enumerate(self.many(o.P_PHONES, self.p.phones, "Phone")):
            pb = self.org[o.P_PHONEBASES][i % len(self.org[o.P_PHONEBASES])]
            ph.update({"state": "active", "site": self.ref(sites[i % len(sites)], o.P_SITES),
                       "phoneBaseSettings": self.ref(pb, o.P_PHONEBASES),
                       "webRtcUser": self.ref(users[i % len(users)], o.P_USERS)})
        pools = self.many(o.P_DIDPOOLS, self.p.didpools, "DID pool")
        for i, pool in enumerate(pools):
            pool.update({"state": "active", "version": 1, "provider": "PURE_CLOUD",
                         "startPhoneNumber": f"+1317{i:03d}0000",
                         "endPhoneNumber": f"+1317{i:03d}9999"})
        ivrs = self.org[o.P_IVRS]
        owners = [u for u in users if u["state"] == "active"]
        inactive = [u for u in users if u["state"] == "inactive"]
        for i, d in enumerate(self.many(o.P_DIDS, self.p.dids, "DID", division=False)):
            pool = pools[i % len(pools)]
            d["name"] = d["phoneNumber"] = f"+1317{i % len(pools):03d}{i:04d}"
            d.update({"state": "active", "didPool": self.ref(pool, o.P_DIDPOOLS)})
            if i < len(ivrs):
                d.update({"owner": {"id": ivrs[i]["id"], "name": ivrs[i]["name"]},
                          "ownerType": "IVR_CONFIG"})
            else:
                u = owners[i % len(owners)]
                if self.weak and inactive and i == self.p.dids - 1:
                    u = inactive[0]  # planted: a number still assigned to a leaver
                    self.plant("leaver-owns-number", self.key("did", d), self.key("user", u))
                d.update({"owner": {"id": u["id"], "name": u["name"]}, "ownerType": "USER"})

    def misc(self) -> None:
        rng = self.rng
        chat = [f for f in self.org[o.P_FLOWS] if f["type"] == "INBOUNDSHORTMESSAGE"] or \
            self.org[o.P_FLOWS]
        for w in self.many(o.P_WEBDEPLOYMENTS, self.p.webdeployments, "Web deployment",
                           division=False):
            w.update({"description": "", "allowAllDomains": True, "status": "Active",
                      "flow": self.ref(rng.choice(chat), o.P_FLOWS),
                      "configuration": {"id": self.uid(), "version": "1"}})
        deployments = self.org[o.P_WEBDEPLOYMENTS]
        live = next((f for f in chat if "publishedVersion" in f), None)
        if self.weak and len(deployments) >= 2 and live is not None:
            for w in deployments[:2]:  # planted: two deployments behind one flow
                w["flow"] = self.ref(live, o.P_FLOWS)
            self.plant("shared-chat-flow", self.key("flow", live),
                       *(self.key("web_deployment", w) for w in deployments[:2]), exact=False)

    def email(self) -> None:
        """Inbound email domains and their routes (read per domain, as the real API serves
        them), and the queues that reply through them."""
        rng = self.rng
        flows = self.org[o.P_FLOWS]
        inbound = [f for f in flows if f["type"] == "INBOUNDEMAIL"] or flows
        queues, skills = self.org[o.P_QUEUES], self.org[o.P_SKILLS]
        langs = self.org[o.P_LANGUAGES]
        domains: list[Entity] = []
        for i in range(max(1, self.p.webdeployments // 4)):
            name = f"support{i + 1}.gcsim.mypurecloud.com"
            domains.append({"id": name, "name": name, "mxRecordStatus": "VALID",
                            "subDomain": True, "selfUri": f"{o.P_EMAIL_DOMAINS}/{name}"})
        self.org[o.P_EMAIL_DOMAINS] = domains
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
                    r["flow"] = self.ref(rng.choice(inbound), o.P_FLOWS)
                else:
                    r["queue"] = self.ref(rng.choice(queues), o.P_QUEUES)
                    r["skills"] = [self.ref(rng.choice(skills), o.P_SKILLS)]
                    r["language"] = self.ref(rng.choice(langs), o.P_LANGUAGES)
                r["spamFlow"] = self.ref(rng.choice(inbound), o.P_FLOWS)
                items.append(r)
            items[1]["replyEmailAddress"] = {
                "domain": {"id": d["id"], "name": d["name"]},
                "route": {"id": items[0]["id"], "name": items[0]["name"]}}
            routes[d["id"]] = items
        self.org[o.P_EMAIL_ROUTES] = routes
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
            gone(o.P_USERS, f"Former agent {k + 1:04d}", email=f"former{k + 1:04d}@example.com")
        gone(o.P_SITES, "Closed site", mediaModel="Premises", managed=False)
        gone(o.P_EDGEGROUPS, "Retired edge group", managed=False, hybrid=False)
        tb = gone(o.P_TRUNKBASES, "Old carrier", trunkType="EXTERNAL", managed=False)
        pb = gone(o.P_PHONEBASES, "Old phone model")
        gone(o.P_DIDPOOLS, "Released numbers", startPhoneNumber="+13179990000",
             endPhoneNumber="+13179990099")
        ivr = self.org[o.P_IVRS][0]
        flow = self.org[o.P_FLOWS][0]
        gone(o.P_EMERGENCY, "Old emergency plan", enabled=True, emergencyCallFlows=[
            {"emergencyFlow": self.ref(flow, o.P_FLOWS), "ivrs": [self.ref(ivr, o.P_IVRS)]}])
        gone(o.P_PHONES, "Returned phone")
        if self.weak:
            # planted: a live route and a live phone still name deleted objects
            route = self.org[o.P_ROUTES][-1]
            route["externalTrunkBases"].append(self.ref(tb, o.P_TRUNKBASES))
            self.plant("route-trunk-base-deleted", self.key("outbound_route", route))
            self.org[o.P_PHONES][0]["phoneBaseSettings"] = self.ref(pb, o.P_PHONEBASES)
            self.plant("phone-base-deleted", self.key("phone", self.org[o.P_PHONES][0]))

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
        self.org[o.P_LIMITS] = effective
        self.org[o.P_LIMIT_DEFAULTS] = defaults
        self.org[o.P_LIMIT_DOCS] = {"url": "https://developer.genesys.cloud/organization/"
                                         "organization/limits", "namespaces": docs}
