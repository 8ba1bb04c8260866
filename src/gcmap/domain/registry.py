"""The declarative registry: which field of which object type references which type, and
how its records are listed.

Adding a type is adding a row here (or, for what routing touches beyond its core, in
``registry_more``; the row types are in ``registry_types``): its listing path, its
``read`` (page size, paging, parameters, permission, how a change is read again), its
reference fields and kept attributes. The crawl, the re-reads, the failover rules, the
README's permission list and ``gcmap doctor`` all look a type up here. Paths use the API's
JSON names: ``a.b`` descends into an object, ``a[]`` iterates a list, ``a.*`` iterates an
object's values (the key is kept in the edge's field). A reference value is either an object
with ``id`` or an id string.
"""

from __future__ import annotations

from gcmap.domain.registry_more import MORE
from gcmap.domain.registry_types import (
    DID_OWNER_TYPES,
    TEL,
    USER_EXPAND,
    Listing,
    NodeSpec,
    Q,
    Ref,
    SubCollection,
    T,
    div,
    groups,
)

__all__ = [
    "DEPENDENCY_TYPES",
    "DT_BUILD",
    "DT_CONSUMED",
    "FLOW_TYPE_OBJECT_TYPES",
    "LIMITS",
    "NODE_TYPES",
    "NOT_DEPTH",
    "REGISTRY",
    "SUBCOLLECTIONS",
    "USER_GRANTS",
    "NodeSpec",
    "Ref",
    "SubCollection",
    "dependency_node_type",
    "spec_for",
]

REGISTRY: tuple[NodeSpec, ...] = (
    NodeSpec("organization", "/api/v2/organizations/me",
             (Ref("defaultSiteId", "site", deferrable=True),),
             (("state", "state"), ("domain", "domain")),
        read=(Listing(1, "single"),)),
    NodeSpec("division", "/api/v2/authorization/divisions", (),
             (("homeDivision", "homeDivision"),),
        read=(Listing(100, permission="authorization:division:view", by_ids="id"),)),
    NodeSpec("queue", Q, (
        div(),
        Ref("queueFlow", "flow", deferrable=True),
        Ref("emailInQueueFlow", "flow", deferrable=True),
        Ref("messageInQueueFlow", "flow", deferrable=True),
        Ref("whisperPrompt", "prompt"),
        Ref("onHoldPrompt", "prompt"),
        Ref("defaultScripts.*", "script"),
        groups("memberGroups[]"),
        groups("bullseye.rings[].memberGroups[]", "failover"),
        Ref("bullseye.rings[].actions.skillsToRemove[]", "skill"),
        # The first rule applies to the holding queue and names it: not a self-reference.
        Ref("conditionalGroupRouting.rules[].queue", "queue", "failover", deferrable=True,
            self_ok=True),
        groups("conditionalGroupRouting.rules[].groups[]", "failover"),
        Ref("conditionalGroupActivation.pilotRule.conditions[].simpleMetric.queue", "queue",
            "failover", deferrable=True),
        Ref("conditionalGroupActivation.rules[].conditions[].simpleMetric.queue", "queue",
            "failover", deferrable=True),
        groups("conditionalGroupActivation.rules[].groups[]", "failover"),
        Ref("directRouting.backupQueueId", "queue", "failover", deferrable=True),
        # The reply address: CX as Code sets it in a resource of its own, after the route.
        Ref("outboundEmailAddress.route", "email_route", deferrable=True, depth=False),
        Ref("outboundEmailAddress.domain", "email_domain", depth=False),
        Ref("mediaSettings.callback.liveVoiceFlow", "flow", deferrable=True),
        Ref("mediaSettings.callback.answeringMachineFlow", "flow", deferrable=True),
        Ref("mediaSettings.callback.edgeGroup", "edge_group"),
        Ref("mediaSettings.callback.site", "site"),
        Ref("mediaSettings.message.inactivityTimeoutSettings.flowId", "flow", deferrable=True),
    ), (("memberCount", "memberCount"), ("joinedMemberCount", "joinedMemberCount"),
        ("userMemberCount", "userMemberCount"),
        ("skillEvaluationMethod", "skillEvaluationMethod")),
        read=(
            Listing(500, division_param="divisionId", permission="routing:queue:view",
                    by_ids="id"),
        )),
    NodeSpec("user", "/api/v2/users", (
        div(),
        Ref("manager", "user", deferrable=True, depth=False),
        Ref("skills[]", "skill", depth=False),
        Ref("languages[]", "language", depth=False),
        Ref("groups[]", "group", deferrable=True, depth=False),
        Ref("team", "team", deferrable=True, depth=False),
        Ref("locations[].locationDefinition", "location", depth=False),
    ), (("state", "state"), ("email", "email")),
        # Active users page by number (no cap documented for them); inactive users page past
        # 10,000 only by cursor, so they come from /users/query.
        read=(
            Listing(500, params={"expand": USER_EXPAND, "state": "active"},
                    permission="directory:user:view", by_ids="id"),
            Listing(500, "cursor", params={"expand": USER_EXPAND, "state": "inactive"},
                    permission="directory:user:view", request_path="/api/v2/users/query",
                    part="inactive", cursor_param="cursor"),
        )),
    NodeSpec("group", "/api/v2/groups", (Ref("owners[]", "user", deferrable=True,
                                             depth=False),),
             (("memberCount", "memberCount"), ("state", "state"), ("groupType", "type")),
        read=(Listing(500, permission="directory:group:view", by_ids="id"),)),
    NodeSpec("team", "/api/v2/teams", (div(),), (("memberCount", "memberCount"),),
        read=(Listing(100, "cursor", permission="groups:team:view", item="teamId"),)),
    NodeSpec("skill_group", "/api/v2/routing/skillgroups", (div(),),
             (("memberCount", "memberCount"),),
        read=(Listing(100, "cursor", permission="routing:skillGroup:view"),)),
    NodeSpec("skill", "/api/v2/routing/skills", (div(),), (("state", "state"),),
        read=(Listing(500, permission="routing:skill:view", by_ids="id"),)),
    NodeSpec("language", "/api/v2/routing/languages", (), (("state", "state"),),
        read=(Listing(100, permission="routing:language:view", by_ids="id"),)),
    NodeSpec("wrapup_code", "/api/v2/routing/wrapupcodes", (div(),),
        read=(
            Listing(100, division_param="divisionId", permission="routing:wrapupCode:view",
                    by_ids="id"),
        )),
    NodeSpec("flow", "/api/v2/flows", (div(),), (
        ("flowType", "type"), ("publishedVersion", "publishedVersion.id"),
        ("checkedInVersion", "checkedInVersion.id"), ("active", "active")),
        read=(
            Listing(500, division_param="divisionId", permission="architect:flow:view",
                    item="flowId"),
        )),
    NodeSpec("ivr", "/api/v2/architect/ivrs", (
        div(),
        Ref("openHoursFlow", "flow", deferrable=True),
        Ref("closedHoursFlow", "flow", "failover", deferrable=True),
        Ref("holidayHoursFlow", "flow", "failover", deferrable=True),
        Ref("scheduleGroup", "schedule_group"),
    ), (("state", "state"), ("dnis", "dnis")),
        read=(Listing(100, permission="routing:callRoute:view", item="ivrId"),)),
    NodeSpec("schedule", "/api/v2/architect/schedules", (div(),), (("rrule", "rrule"),),
        read=(
            Listing(100, division_param="divisionId", permission="routing:schedule:view",
                    item="scheduleId"),
        )),
    NodeSpec("schedule_group", "/api/v2/architect/schedulegroups", (
        div(),
        Ref("openSchedules[]", "schedule"),
        Ref("closedSchedules[]", "schedule"),
        Ref("holidaySchedules[]", "schedule"),
    ), (("timeZone", "timeZone"),),
        read=(
            Listing(100, division_param="divisionId", permission="routing:scheduleGroup:view",
                    item="scheduleGroupId"),
        )),
    NodeSpec("emergency_group", "/api/v2/architect/emergencygroups", (
        div(),
        Ref("emergencyCallFlows[].emergencyFlow", "flow", "failover", deferrable=True),
        Ref("emergencyCallFlows[].ivrs[]", "ivr", "failover", deferrable=True),
    ), (("enabled", "enabled"),),
        read=(Listing(100, permission="routing:emergencyGroup:view", item="emergencyGroupId"),)),
    NodeSpec("prompt", "/api/v2/architect/prompts", (div(),),
        read=(Listing(100, permission="architect:userPrompt:view", item="promptId"),)),
    NodeSpec("data_table", "/api/v2/flows/datatables", (div(),),
        read=(
            Listing(100, division_param="divisionId", permission="architect:datatable:view",
                    item="datatableId"),
        )),
    NodeSpec("integration", "/api/v2/integrations", (
        Ref("config.current.credentials.*", "credential"),
    ), (("integrationType", "integrationType.id"), ("intendedState", "intendedState"),
        ("reportedState", "reportedState.code")),
        read=(
            Listing(100, params={"expand": "config.current"},
                    permission="integrations:integration:view", by_ids="ids"),
        )),
    NodeSpec("data_action", "/api/v2/integrations/actions", (
        Ref("integrationId", "integration"),
    ), (("category", "category"), ("requestUrlTemplate", "config.request.requestUrlTemplate"),
        ("requestType", "config.request.requestType")),
        read=(
            Listing(100, params={"includeConfig": "true"}, permission="integrations:action:view",
                    by_ids="ids"),
        )),
    NodeSpec("credential", "/api/v2/integrations/credentials/listing", (),
             (("credentialType", "type.name"),),
        read=(Listing(200, "idcursor", permission="integrations:integration:view"),)),
    NodeSpec("site", f"{T}/sites", (
        div(),
        Ref("location", "location"),
        Ref("primarySites[]", "site", deferrable=True, self_ok=True),
        Ref("secondarySites[]", "site", "failover", deferrable=True),
        Ref("edges[]", "edge", inverse=True),
        Ref("primaryEdges[]", "edge", inverse=True),
        Ref("secondaryEdges[]", "edge", "failover", inverse=True),
    ), (("mediaModel", "mediaModel"), ("mediaRegions", "mediaRegions"),
        ("managed", "managed")),
        read=(
            Listing(100, params={"expand": "edges,location,primarySites,secondarySites"},
                    permission=TEL),
        )),
    NodeSpec("edge", T, (
        div(),
        Ref("site", "site"),
        Ref("edgeGroup", "edge_group"),
    ), (("onlineStatus", "onlineStatus"), ("statusCode", "statusCode"),
        ("deploymentType", "edgeDeploymentType")),
        read=(Listing(100, permission=TEL, item="edgeId"),)),
    NodeSpec("edge_group", f"{T}/edgegroups", (
        div(),
        Ref("edgeTrunkBaseAssignment.trunkBase", "trunk_base"),
        Ref("phoneTrunkBases[]", "trunk_base"),
    ), (("managed", "managed"), ("hybrid", "hybrid")),
        read=(Listing(100, permission=TEL, item="edgeGroupId"),)),
    NodeSpec("trunk_base", f"{T}/trunkbasesettings", (
        div(),
        Ref("site", "site"),
        Ref("inboundSite", "site"),
    ), (("trunkType", "trunkType"), ("state", "state")),
        read=(Listing(100, permission=TEL, item="trunkBaseSettingsId"),)),
    NodeSpec("trunk", f"{T}/trunks", (
        div(),
        Ref("edge", "edge"),
        Ref("trunkBase", "trunk_base"),
        Ref("edgeGroup", "edge_group"),
    ), (("trunkType", "trunkType"), ("inService", "inService"), ("enabled", "enabled"),
        ("connected", "connectedStatus.connected")),
        read=(Listing(100, permission=TEL, item="trunkId"),)),
    NodeSpec("outbound_route", f"{T}/outboundroutes", (
        div(),
        Ref("site", "site"),
        Ref("externalTrunkBases[]", "trunk_base"),
    ), (("distribution", "distribution"), ("enabled", "enabled"),
        ("classificationTypes", "classificationTypes")),
        read=(Listing(100, permission=TEL),)),
    NodeSpec("phone_base", f"{T}/phonebasesettings", (div(),),
        read=(Listing(100, permission=TEL, item="phoneBaseId"),)),
    NodeSpec("phone", f"{T}/phones", (
        div(),
        Ref("site", "site"),
        Ref("phoneBaseSettings", "phone_base"),
        Ref("webRtcUser", "user", deferrable=True, depth=False),
        Ref("primaryEdge", "edge"),
        Ref("secondaryEdge", "edge", "failover"),
    ), (("state", "state"),),
        # Phones reach at most 10,000 results unless sorted by id (the listing's docstring).
        read=(Listing(100, params={"sortBy": "id"}, permission=TEL, item="phoneId"),)),
    NodeSpec("did_pool", f"{T}/didpools", (div(),),
             (("startPhoneNumber", "startPhoneNumber"), ("endPhoneNumber", "endPhoneNumber")),
        read=(Listing(100, permission=TEL, by_ids="id"),)),
    NodeSpec("did", f"{T}/dids", (
        Ref("didPool", "did_pool"),
        Ref("owner", "", by=("ownerType", DID_OWNER_TYPES, True), deferrable=True),
    ), (("phoneNumber", "phoneNumber"), ("ownerType", "ownerType")),
        read=(Listing(100, permission=TEL, by_ids="id"),)),
    NodeSpec("location", "/api/v2/locations", (Ref("contactUser", "user", deferrable=True,
                                                   depth=False),),
             (("state", "state"),),
        read=(Listing(100, permission="directory:location:view", by_ids="id"),)),
    NodeSpec("script", "/api/v2/scripts", (div(),),
        read=(Listing(100, permission="scripter:script:view", item="scriptId"),)),
    NodeSpec("web_deployment", "/api/v2/webdeployments/deployments", (
        Ref("flow", "flow", deferrable=True),
        Ref("configuration", "web_deployment_configuration"),
    ), (("status", "status"),),
        read=(Listing(300, "cursor", permission="webDeployments:deployment:view"),)),
    NodeSpec("email_domain", "/api/v2/routing/email/domains", (),
             (("mxRecordStatus", "mxRecordStatus"), ("subDomain", "subDomain")),
        read=(Listing(100, permission="routing:email:manage", item="domainId"),)),
    # Routes are listed per domain; there is no org-wide route listing.
    NodeSpec("email_route", "/api/v2/routing/email/domains/{domainName}/routes", (
        Ref("queue", "queue"),
        Ref("flow", "flow", deferrable=True),
        Ref("spamFlow", "flow", deferrable=True),
        Ref("skills[]", "skill"),
        Ref("language", "language"),
        Ref("replyEmailAddress.route", "email_route", deferrable=True, depth=False),
        Ref("replyEmailAddress.domain", "email_domain", depth=False),
    ), (("pattern", "pattern"), ("priority", "priority")),
        parent=("email_domain", "domainName"),
        read=(Listing(100, permission="routing:email:manage"),)),
    *MORE,
)

NODE_TYPES: tuple[str, ...] = tuple(s.type for s in REGISTRY)
_BY_TYPE = {s.type: s for s in REGISTRY}

# A user's grants, ``{user id: [AuthzGrant]}`` (GET /authorization/subjects/{subjectId}).
USER_GRANTS = "/api/v2/authorization/subjects/{subjectId}"
SUBCOLLECTIONS: tuple[SubCollection, ...] = (
    SubCollection(Q + "/{queueId}/members", "queue", "user", "user", "members[].user",
                  extra=("joined",), depth=False),
    SubCollection(Q + "/{queueId}/wrapupcodes", "queue", "", "wrapup_code", "wrapupCodes[]"),
    # Which role a user holds in which division (AuthzSubject.grants, one call per user:
    # read only with GCMAP_USER_GRANTS). Access, not routing: no depth.
    SubCollection(USER_GRANTS, "user", "role", "role", "grants[].role", depth=False),
    SubCollection(USER_GRANTS, "user", "division", "division", "grants[].division",
                  depth=False),
)

# Architect dependency tracking: what each (published) flow consumes, keyed by flow id.
DT_CONSUMED = "/api/v2/architect/dependencytracking/consumedresources"
# Organization limits, ``{namespace: [limits]}`` (not a node type; the document's limits).
LIMITS = "/api/v2/organizations/limits/namespaces/{namespaceName}"
# Dependency tracking's build status (one object), read with the flows.
DT_BUILD = "/api/v2/architect/dependencytracking/build"

DEPENDENCY_TYPES: dict[str, str] = {
    "QUEUE": "queue", "DATAACTION": "data_action", "DATATABLE": "data_table",
    "USERPROMPT": "prompt", "SCHEDULE": "schedule", "SCHEDULEGROUP": "schedule_group",
    "EMERGENCYGROUP": "emergency_group", "IVRCONFIGURATION": "ivr", "ACDSKILL": "skill",
    "ACDLANGUAGE": "language", "LANGUAGE": "language", "ACDWRAPUPCODE": "wrapup_code",
    "USER": "user", "GROUP": "group", "COMPOSERSCRIPT": "script", "EMAILROUTE": "email_route",
    "DIVISION": "division", "BRIDGEACTION": "data_action",
}
# Flow.type -> dependency-tracking object type (as the CX as Code provider maps them).
FLOW_TYPE_OBJECT_TYPES: dict[str, str] = {
    "BOT": "BOTFLOW", "COMMONMODULE": "COMMONMODULEFLOW", "DIGITALBOT": "DIGITALBOTFLOW",
    "INBOUNDCALL": "INBOUNDCALLFLOW", "INBOUNDCHAT": "INBOUNDCHATFLOW",
    "INBOUNDEMAIL": "INBOUNDEMAILFLOW", "INBOUNDSHORTMESSAGE": "INBOUNDSHORTMESSAGEFLOW",
    "INQUEUECALL": "INQUEUECALLFLOW", "INQUEUEEMAIL": "INQUEUEEMAILFLOW",
    "INQUEUESHORTMESSAGE": "INQUEUESHORTMESSAGEFLOW", "OUTBOUNDCALL": "OUTBOUNDCALLFLOW",
    "SECURECALL": "SECURECALLFLOW", "SURVEYINVITE": "SURVEYINVITEFLOW", "VOICE": "VOICEFLOW",
    "VOICEMAIL": "VOICEMAILFLOW", "WORKFLOW": "WORKFLOW", "WORKITEM": "WORKITEMFLOW",
    # Missing from the provider's table; SDK 269's dependency-tracking object types have them.
    "EMAILSEND": "EMAILSENDFLOW", "VOICESURVEY": "VOICESURVEYFLOW",
    "BUSINESSPROCESS": "BUSINESSPROCESSFLOW",
}
FLOW_OBJECT_TYPES = frozenset({
    "BOTFLOW", "COMMONMODULEFLOW", "DIGITALBOTFLOW", "INBOUNDCALLFLOW", "INBOUNDCHATFLOW",
    "INBOUNDEMAILFLOW", "INBOUNDSHORTMESSAGEFLOW", "INQUEUECALLFLOW", "INQUEUEEMAILFLOW",
    "INQUEUESHORTMESSAGEFLOW", "OUTBOUNDCALLFLOW", "SECURECALLFLOW", "SURVEYINVITEFLOW",
    "VOICEFLOW", "VOICEMAILFLOW", "WORKFLOW", "WORKITEMFLOW", "EMAILSENDFLOW",
    "VOICESURVEYFLOW", "BUSINESSPROCESSFLOW"})


def _not_depth() -> frozenset[tuple[str, str]]:
    out = {(spec.type, r.path) for spec in REGISTRY for r in spec.refs if not r.depth}
    out |= {(sub.parent, sub.field) for sub in SUBCOLLECTIONS if not sub.depth}
    return frozenset(out)


# (holder type, field) pairs that do not count toward configuration depth.
NOT_DEPTH: frozenset[tuple[str, str]] = _not_depth()


def dependency_node_type(object_type: str) -> str:
    """Node type of a dependency-tracking object type; unknown types keep their own name."""
    t = object_type.upper()
    if t in FLOW_OBJECT_TYPES:
        return "flow"
    return DEPENDENCY_TYPES.get(t, t.lower())


def spec_for(node_type: str) -> NodeSpec:
    """The registry row of a node type (KeyError names the unknown type)."""
    return _BY_TYPE[node_type]
