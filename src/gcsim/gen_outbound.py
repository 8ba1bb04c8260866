"""Outbound dialing: campaigns and what they run on (contact lists and their filters, DNC
lists, callable time sets, call-analysis response sets, rule sets) and campaign sequences,
in the shape of the SDK's models."""

from __future__ import annotations

from gcsim import paths as o
from gcsim.genbase import Entity, GenBase

__all__ = ["MessagingGen", "OutboundGen"]

DISPOSITIONS = ("disposition.classification.callable.person",
                "disposition.classification.callable.machine",
                "disposition.classification.callable.noanswer")


class OutboundGen(GenBase):
    """Generates the outbound configuration of an org (after everything it references)."""

    def outbound(self) -> None:
        rng, p = self.rng, self.p
        # Outbound call flows: a response set's transfer_flow reaction runs one of them.
        flows: list[Entity] = []
        for i in range(p.outboundflows):
            f = self.base(o.P_FLOWS, f"Outbound call flow {i + 1:03d}")
            version = {"id": "1.0", "name": f["name"], "commitVersion": "1.0",
                       "configurationVersion": "1.0", "type": "PUBLISH", "secure": False,
                       "datePublished": o.DATE}
            f.update({"description": "", "type": "OUTBOUNDCALL", "active": True,
                      "system": False, "deleted": False, "publishedVersion": version,
                      "checkedInVersion": dict(version, type="CHECKIN")})
            self.org[o.P_FLOWS].append(f)
            self.org[o.P_CONSUMED][f["id"]] = []
            flows.append(f)
        lists = self.many(o.P_CONTACTLISTS, p.contactlists, "Contact list")
        for cl in lists:
            cl.update({"version": 1, "dateCreated": o.DATE, "columnNames": ["name", "phone"],
                       "phoneColumns": [{"columnName": "phone", "type": "cell"}]})
        filters: dict[str, list[Entity]] = {}
        self.org[o.P_CONTACTLISTFILTERS] = []
        for i, cl in enumerate(lists[::2]):
            flt = self.base(o.P_CONTACTLISTFILTERS, f"Filter {i + 1:03d}", division=False)
            flt.update({"version": 1, "contactList": self.ref(cl, o.P_CONTACTLISTS),
                        "filterType": "AND", "clauses": []})
            self.org[o.P_CONTACTLISTFILTERS].append(flt)
            filters[cl["id"]] = [flt]
        dncs = self.many(o.P_DNCLISTS, p.dnclists, "DNC list")
        for d in dncs:
            d.update({"version": 1, "dncSourceType": "rds", "contactMethod": "Phone"})
        times = self.many(o.P_CALLABLETIMESETS, p.callabletimesets, "Callable hours",
                          division=False)
        for t in times:
            t.update({"version": 1, "callableTimes": [{"timeZoneId": "America/New_York",
                                                       "timeSlots": [{"startTime": "09:00:00",
                                                                      "stopTime": "17:00:00",
                                                                      "day": d}
                                                                     for d in range(1, 6)]}]})
        responses = self.many(o.P_RESPONSESETS, p.responsesets, "Call analysis", division=False)
        for i, rs in enumerate(responses):
            reactions: dict[str, Entity] = {DISPOSITIONS[0]: {"reactionType": "transfer"},
                                            DISPOSITIONS[2]: {"reactionType": "hangup"}}
            if flows:
                f = flows[i % len(flows)]
                reactions[DISPOSITIONS[1]] = {"reactionType": "transfer_flow",
                                              "data": f["id"], "name": f["name"]}
            rs.update({"version": 1, "responses": reactions, "beepDetectionEnabled": False})
        queues = self.org[o.P_QUEUES]
        rules = self.many(o.P_RULESETS, p.rulesets, "Rule set", division=False)
        for rule in rules:
            rule.update({"version": 1, "rules": [],
                         "contactList": self.ref(rng.choice(lists), o.P_CONTACTLISTS),
                         "queue": self.ref(rng.choice(queues), o.P_QUEUES)})
        scripts = self.org[o.P_SCRIPTS]
        sites = [x for x in self.org[o.P_SITES] if x.get("state") != "deleted"]
        campaigns = self.many(o.P_CAMPAIGNS, p.campaigns, "Campaign")
        # Campaigns dial for staffed queues (an unstaffed one is a planted weakness).
        staffed = [q for q in queues if q.get("joinedMemberCount")] or queues
        for i, c in enumerate(campaigns):
            cl = lists[i % len(lists)]
            c.update({"version": 1, "dialingMode": rng.choice(["preview", "progressive",
                                                               "power"]),
                      "campaignStatus": "off", "abandonRate": 5.0, "outboundLineCount": 2,
                      "phoneColumns": [{"columnName": "phone", "type": "cell"}],
                      "contactList": self.ref(cl, o.P_CONTACTLISTS),
                      "queue": self.ref(rng.choice(staffed), o.P_QUEUES),
                      "script": self.ref(rng.choice(scripts), o.P_SCRIPTS),
                      "site": self.ref(rng.choice(sites), o.P_SITES),
                      "dncLists": [self.ref(d, o.P_DNCLISTS)
                                   for d in rng.sample(dncs, min(len(dncs), 2))],
                      "callableTimeSet": self.ref(rng.choice(times), o.P_CALLABLETIMESETS),
                      "callAnalysisResponseSet": self.ref(rng.choice(responses),
                                                          o.P_RESPONSESETS),
                      "ruleSets": [self.ref(rng.choice(rules), o.P_RULESETS)],
                      "contactListFilters": [self.ref(f, o.P_CONTACTLISTFILTERS)
                                             for f in filters.get(cl["id"], [])]})
        sequences = self.many(o.P_SEQUENCES, p.sequences, "Sequence", division=False)
        for s in sequences:
            s.update({"version": 1, "status": "off", "repeat": False, "currentCampaign": 0,
                      "campaigns": [self.ref(c, o.P_CAMPAIGNS)
                                    for c in rng.sample(campaigns, min(len(campaigns), 2))]})


class MessagingGen(GenBase):
    """Messaging entry points (recipients, SMS numbers) and what agents and admins work
    with (response libraries, extension pools, utilization labels, roles)."""

    def messaging(self) -> None:
        rng, p = self.rng, self.p
        chat = [f for f in self.org[o.P_FLOWS] if f["type"] == "INBOUNDSHORTMESSAGE"
                and "publishedVersion" in f] or self.org[o.P_FLOWS]
        for i, r in enumerate(self.many(o.P_RECIPIENTS, p.recipients, "Messaging recipient",
                                        division=False)):
            f = chat[i % len(chat)]
            r.update({"messengerType": rng.choice(["sms", "open", "webmessaging"]),
                      "dateCreated": o.DATE,
                      "flow": {"id": f["id"], "name": f["name"], "selfUri": f["selfUri"]}})
        for i, n in enumerate(self.many(o.P_SMS_NUMBERS, p.recipients, "SMS number",
                                        division=False)):
            number = f"+1317444{i:04d}"
            n.update({"name": number, "phoneNumber": number, "phoneNumberType": "local",
                      "phoneNumberStatus": "active", "countryCode": "US", "version": 1,
                      "provisionedThroughPureCloud": True, "supportsSms": True})
        for lib in self.many(o.P_LIBRARIES, p.libraries, "Response library"):
            lib.update({"version": 1, "dateCreated": o.DATE, "responseType": "MessagingTemplate"})
        for i, pool in enumerate(self.many(o.P_EXTENSION_POOLS, p.extensionpools,
                                           "Extension pool")):
            start = (i + 1) * 1000
            pool.update({"version": 1, "state": "active", "description": "",
                         "startNumber": str(start), "endNumber": str(start + 999)})
        self.many(o.P_UTIL_LABELS, p.utilizationlabels, "Utilization label", division=False)
        for role in self.many(o.P_ROLES, p.roles, "Role", division=False):
            role.update({"description": "", "default": False, "base": False,
                         "permissions": ["routing:queue:view"]})

    def self_service(self) -> None:
        """Quality forms, system prompts, journey outcomes, segments and action maps,
        messaging settings and supported content, knowledge bases, and the configurations
        web deployments run (each deployment pointed at one that exists)."""
        rng, p = self.rng, self.p
        for kind, path in (("Evaluation form", o.P_EVAL_FORMS),
                           ("Survey form", o.P_SURVEY_FORMS)):
            for form in self.many(path, p.forms, kind):
                form.update({"published": True, "questionGroups": []})
        for sp in self.many(o.P_SYSTEM_PROMPTS, p.forms, "System prompt", division=False):
            sp.update({"description": ""})
        outcomes = self._journey(o.P_OUTCOMES, "Outcome", p.journeys)
        segments = self._journey(o.P_SEGMENTS, "Segment", p.journeys)
        flows = [f for f in self.org[o.P_FLOWS] if f["type"] == "WORKFLOW"
                 and "publishedVersion" in f] or self.org[o.P_FLOWS]
        maps = self._journey(o.P_ACTION_MAPS, "Action map", p.journeys)
        for i, am in enumerate(maps):
            f = flows[i % len(flows)]
            am.update({"weight": 1, "ignoreFrequencyCap": False,
                       "triggerWithSegments": [segments[i % len(segments)]["id"]],
                       "triggerWithOutcomeProbabilityConditions": [
                           {"outcomeId": outcomes[i % len(outcomes)]["id"],
                            "probability": 0.5}],
                       "action": {"mediaType": "architectFlow", "architectFlowFields": {
                           "architectFlow": {"id": f["id"], "selfUri": f["selfUri"]}}}})
        for ms in self.many(o.P_MSG_SETTINGS, p.forms, "Messaging setting", division=False):
            ms.update({"version": "1", "dateCreated": o.DATE})
        for sc in self.many(o.P_SUPPORTED_CONTENT, p.forms, "Supported content",
                            division=False):
            sc.update({"version": 1, "dateCreated": o.DATE})
        kbs = self.many(o.P_KNOWLEDGE_BASES, p.forms, "Knowledge base", division=False)
        for kb in kbs:
            kb.update({"coreLanguage": "en-US", "published": True, "articleCount": 0})
        integrations = self.org[o.P_INTEGRATIONS]
        configs = self.many(o.P_WEB_CONFIGS, p.webdeployments, "Messenger configuration",
                            division=False)
        for i, cfg in enumerate(configs):
            kb = kbs[i % len(kbs)]
            cfg.update({"version": "1", "status": "Active", "languages": ["en-us"],
                        "defaultLanguage": "en-us",
                        "supportCenter": {"enabled": True, "knowledgeBase": {
                            "id": kb["id"], "selfUri": kb["selfUri"]}},
                        "authenticationSettings": {"enabled": True, "integrationId":
                                                   rng.choice(integrations)["id"]}})
        for dep, cfg in zip(self.org[o.P_WEBDEPLOYMENTS], configs, strict=False):
            dep["configuration"] = {"id": cfg["id"], "version": "1"}

    def _journey(self, path: str, label: str, n: int) -> list[Entity]:
        items = self.many(path, n, label, division=False)
        for e in items:
            e["displayName"] = e.pop("name")
            e.update({"isActive": True, "version": 1})
        return items

    def governance(self) -> None:
        """Campaign rules and messaging campaigns, media retention policies, OAuth clients
        with their role grants per division (no secrets served)."""
        rng, p = self.rng, self.p
        campaigns, sequences = self.org[o.P_CAMPAIGNS], self.org[o.P_SEQUENCES]
        for rule in self.many(o.P_CAMPAIGN_RULES, p.forms, "Campaign rule", division=False):
            rule.update({"version": 1, "enabled": True, "matchAnyConditions": False,
                         "campaignRuleEntities": {
                             "campaigns": [self.ref(rng.choice(campaigns), o.P_CAMPAIGNS)],
                             "sequences": [self.ref(rng.choice(sequences), o.P_SEQUENCES)]},
                         "campaignRuleConditions": [], "campaignRuleActions": []})
        lists, dncs = self.org[o.P_CONTACTLISTS], self.org[o.P_DNCLISTS]
        times, rules = self.org[o.P_CALLABLETIMESETS], self.org[o.P_RULESETS]
        for mc in self.many(o.P_MSG_CAMPAIGNS, p.forms, "SMS campaign"):
            mc.update({"version": 1, "campaignStatus": "off", "messagesPerMinute": 10,
                       "contactList": self.ref(rng.choice(lists), o.P_CONTACTLISTS),
                       "callableTimeSet": self.ref(rng.choice(times), o.P_CALLABLETIMESETS),
                       "dncLists": [self.ref(rng.choice(dncs), o.P_DNCLISTS)],
                       "ruleSets": [self.ref(rng.choice(rules), o.P_RULESETS)],
                       "contactListFilters": []})
        queues, wraps = self.org[o.P_QUEUES], self.org[o.P_WRAPUPS]
        users = [u for u in self.org[o.P_USERS] if u["state"] == "active"]
        teams, evals = self.org[o.P_TEAMS], self.org[o.P_EVAL_FORMS]
        surveys = self.org[o.P_SURVEY_FORMS]
        flows = [f for f in self.org[o.P_FLOWS] if "publishedVersion" in f]
        languages, integrations = self.org[o.P_LANGUAGES], self.org[o.P_INTEGRATIONS]
        for i, pol in enumerate(self.many(o.P_RETENTION, p.forms, "Recording policy",
                                          division=False)):
            # Per medium: calls in one language exported to an integration, chats metered.
            pol["mediaPolicies"] = {
                "callPolicy": {"conditions": {
                    "languages": [self.ref(languages[i % len(languages)], o.P_LANGUAGES)],
                    "forQueues": [self.ref(queues[i % len(queues)], o.P_QUEUES)]},
                    "actions": {"retainRecording": True, "integrationExport": {
                        "integration": self.ref(integrations[i % len(integrations)],
                                                o.P_INTEGRATIONS)}}},
                "chatPolicy": {"conditions": {"wrapupCodes": [
                    self.ref(wraps[i % len(wraps)], o.P_WRAPUPS)]},
                    "actions": {"assignMeteredEvaluations": [{
                        "evaluationForm": self.ref(evals[i % len(evals)], o.P_EVAL_FORMS),
                        "maxNumberEvaluations": 1}]}}}
            pol.update({"enabled": True, "order": 1, "description": "", "conditions": {
                "forQueues": [self.ref(rng.choice(queues), o.P_QUEUES)],
                "forUsers": [self.ref(rng.choice(users), o.P_USERS)],
                "wrapupCodes": [self.ref(rng.choice(wraps), o.P_WRAPUPS)],
                "teams": [self.ref(rng.choice(teams), o.P_TEAMS)]},
                "actions": {"retainRecording": True,
                            "assignEvaluations": [{"evaluationForm": self.ref(
                                rng.choice(evals), o.P_EVAL_FORMS)}],
                            "assignSurveys": [{"surveyForm": self.ref(rng.choice(surveys),
                                                                      o.P_SURVEY_FORMS),
                                               "flow": self.ref(rng.choice(flows),
                                                                o.P_FLOWS)}]}})
        for a in self.many(o.P_SMS_ADDRESSES, p.forms, "Address", division=False):
            a.update({"street": "1 Main St", "city": "Indianapolis", "region": "IN",
                      "postalCode": "46204", "countryCode": "US", "validated": True})
        recipients = self.org[o.P_RECIPIENTS]
        settings, content = self.org[o.P_MSG_SETTINGS], self.org[o.P_SUPPORTED_CONTENT]
        for i, mi in enumerate(self.many(o.P_MSG_INTEGRATIONS, len(recipients),
                                         "Messaging integration", division=False)):
            r = recipients[i]
            mi.update({"status": "Active", "messengerType": r["messengerType"], "version": 1,
                       "recipient": self.ref(r, o.P_RECIPIENTS),
                       "messagingSetting": self.ref(settings[i % len(settings)],
                                                    o.P_MSG_SETTINGS),
                       "supportedContent": self.ref(content[i % len(content)],
                                                    o.P_SUPPORTED_CONTENT)})
        roles, divisions = self.org[o.P_ROLES], self.org[o.P_DIVISIONS]
        for i, c in enumerate(self.many(o.P_OAUTH_CLIENTS, p.forms, "Integration client",
                                        division=False)):
            role = roles[i % len(roles)]
            c.update({"authorizedGrantType": "CLIENT-CREDENTIALS", "state": "active",
                      "accessTokenValiditySeconds": 86400, "description": "",
                      "roleIds": [role["id"]],
                      "roleDivisions": [{"roleId": role["id"], "divisionId": d["id"]}
                                        for d in divisions[:2]]})

    def task_management(self) -> None:
        """Workbins and work types: each work type's default workbin, queue, skills,
        language, script and flow are real objects of the org."""
        rng, p = self.rng, self.p
        bins = self.many(o.P_WORKBINS, max(2, p.forms // 2), "Workbin")
        queues = [q for q in self.org[o.P_QUEUES] if q.get("joinedMemberCount")] \
            or self.org[o.P_QUEUES]  # staffed: an unstaffed one is a planted weakness
        skills = self.org[o.P_SKILLS]
        languages, scripts = self.org[o.P_LANGUAGES], self.org[o.P_SCRIPTS]
        flows = [f for f in self.org[o.P_FLOWS] if "publishedVersion" in f]
        for wt in self.many(o.P_WORKTYPES, p.forms, "Work type"):
            wt.update({"description": "", "defaultPriority": 5, "assignmentEnabled": True,
                       "defaultDurationSeconds": 86400,
                       "defaultWorkbin": self.ref(rng.choice(bins), o.P_WORKBINS),
                       "defaultQueue": self.ref(rng.choice(queues), o.P_QUEUES),
                       "defaultSkills": [self.ref(s, o.P_SKILLS)
                                         for s in rng.sample(skills, min(2, len(skills)))],
                       "defaultLanguage": self.ref(rng.choice(languages), o.P_LANGUAGES),
                       "defaultScript": self.ref(rng.choice(scripts), o.P_SCRIPTS),
                       "flow": self.ref(rng.choice(flows), o.P_FLOWS),
                       "statuses": [], "serviceLevelTarget": 80})
        self._plant_beyond_voice()
        self._grants()
        wraps = self.org[o.P_WRAPUPS]
        # The dialer's mapping: what a few wrap-up codes mean for a contact.
        self.org[o.P_WRAPUP_MAPPINGS] = {
            "id": self.uid(), "name": "Wrap-up code mappings", "version": 1,
            "dateCreated": o.DATE, "dateModified": o.DATE,
            "defaultSet": ["Contact_UnCallable", "Number_UnCallable"],
            "mapping": {w["id"]: ["Right_Party_Contact"] for w in wraps[:3]},
            "selfUri": o.P_WRAPUP_MAPPINGS}

    def _grants(self) -> None:
        """Each active user holds one role in one division (AuthzSubject.grants)."""
        roles, divisions = self.org[o.P_ROLES], self.org[o.P_DIVISIONS]
        self.org[o.P_SUBJECTS] = {
            u["id"]: [{"subjectId": u["id"], "grantMadeAt": o.DATE,
                       "role": {"id": roles[i % len(roles)]["id"],
                                "name": roles[i % len(roles)]["name"], "default": False},
                       "division": self.ref(divisions[i % len(divisions)], o.P_DIVISIONS)}]
            for i, u in enumerate(self.org[o.P_USERS]) if u.get("state") == "active"}

    def _plant_beyond_voice(self) -> None:
        """Weak orgs: campaigns, a message recipient and work types whose queue or flow is
        gone or unstaffed (queue 4 is the one with no members)."""
        types, campaigns = self.org[o.P_WORKTYPES], self.org[o.P_CAMPAIGNS]
        recipients, queues = self.org[o.P_RECIPIENTS], self.org[o.P_QUEUES]
        if not self.weak or len(queues) < 8 or len(types) < 2 or len(campaigns) < 2 \
                or not recipients:
            return
        empty = self.ref(queues[3], o.P_QUEUES)
        gone = {"id": self.uid(), "name": "Deleted queue",
                "selfUri": f"{o.P_QUEUES}/deleted"}
        campaigns[0]["queue"], campaigns[1]["queue"] = empty, gone
        types[0]["defaultQueue"], types[1]["defaultQueue"] = empty, dict(gone, id=self.uid())
        recipients[0]["flow"] = {"id": self.uid(), "name": "Deleted flow",
                                 "selfUri": f"{o.P_FLOWS}/deleted"}
        self.plant("campaign-queue-no-agents", self.key("campaign", campaigns[0]),
                   self.key("queue", queues[3]))
        self.plant("campaign-queue-missing", self.key("campaign", campaigns[1]))
        self.plant("worktype-queue-no-agents", self.key("work_type", types[0]),
                   self.key("queue", queues[3]))
        self.plant("worktype-queue-missing", self.key("work_type", types[1]))
        self.plant("recipient-flow-missing", self.key("message_recipient", recipients[0]))
