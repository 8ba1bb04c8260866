"""The declarative registry: which field of which object type references which type.

Adding a type is adding a row here. Paths use the API's JSON names: ``a.b`` descends into an
object, ``a[]`` iterates a list, ``a.*`` iterates an object's values (the key is kept in the
edge's field). A reference value is either an object with ``id`` or an id string.
"""

from __future__ import annotations

from dataclasses import dataclass

from gcmap.domain.model import EdgeKind

__all__ = [
    "DEPENDENCY_TYPES",
    "DT_CONSUMED",
    "FLOW_TYPE_OBJECT_TYPES",
    "NODE_TYPES",
    "NOT_DEPTH",
    "REGISTRY",
    "SUBCOLLECTIONS",
    "NodeSpec",
    "Ref",
    "SubCollection",
    "dependency_node_type",
    "spec_for",
]

MEMBER_GROUP_TYPES = {"GROUP": "group", "TEAM": "team", "SKILLGROUP": "skill_group"}
DID_OWNER_TYPES = {"USER": "user", "PHONE": "phone", "IVR_CONFIG": "ivr", "GROUP": "group"}


@dataclass(frozen=True)
class Ref:
    """One reference field.

    Attributes:
        path: JSON path on the source object.
        target: the node type referenced (ignored when ``by`` decides it).
        kind: ``failover`` for fields that only matter when something else fails.
        deferrable: the field can be set after both objects exist (IaC may defer it to break a
            creation-order cycle).
        by: (discriminator field, value -> node type, read on the record rather than the ref).
        self_ok: a reference to itself is the documented default, not a problem.
        inverse: the field lists objects that point back at the holder (a child listing); the
            edge is stored from the listed object to the holder, and only when that object
            does not already reference it.
        depth: the reference is part of the configuration that routing and IaC follow, so it
            counts toward ``depth-exceeded``; False for the org chart (managers), membership
            (skills held, groups, teams, member groups, owners), people (contacts, WebRTC
            users) and reply addresses. Division references never count.
        id_field: where the referenced id is, when the value is an object that keeps it in
            another field than ``id`` (a call-analysis reaction keeps its flow in ``data``).
        strict: with ``by``, only the listed discriminator values reference anything (a
            reaction that is not ``transfer_flow`` names no object).
    """

    path: str
    target: str
    kind: EdgeKind = "reference"
    deferrable: bool = False
    by: tuple[str, dict[str, str], bool] | None = None
    self_ok: bool = False
    inverse: bool = False
    depth: bool = True
    id_field: str = "id"
    strict: bool = False


@dataclass(frozen=True)
class NodeSpec:
    """One node type: where its records come from, its reference fields, kept attributes.

    Attributes:
        parent: (parent node type, field) when ``source`` is listed per parent (``{parent id:
            [records]}``); each record then references its parent under that field name (the
            path parameter it was listed under).
    """

    type: str
    source: str
    refs: tuple[Ref, ...] = ()
    attrs: tuple[tuple[str, str], ...] = ()
    name_path: str = "name"
    parent: tuple[str, str] | None = None


@dataclass(frozen=True)
class SubCollection:
    """A per-object sub-collection that adds edges: ``source[parentId] -> [items]``."""

    source: str
    parent: str
    item_path: str
    target: str
    field: str
    kind: EdgeKind = "reference"
    extra: tuple[str, ...] = ()
    depth: bool = True


def _div() -> Ref:
    return Ref("division", "division", depth=False)


def _groups(path: str, kind: EdgeKind = "reference") -> Ref:
    """Member groups (groups, teams, skill groups): membership, not routing configuration."""
    return Ref(path, "", kind, by=("type", MEMBER_GROUP_TYPES, False), depth=False)


_Q = "/api/v2/routing/queues"
_T = "/api/v2/telephony/providers/edges"

REGISTRY: tuple[NodeSpec, ...] = (
    NodeSpec("organization", "/api/v2/organizations/me",
             (Ref("defaultSiteId", "site", deferrable=True),),
             (("state", "state"), ("domain", "domain"))),
    NodeSpec("division", "/api/v2/authorization/divisions", (),
             (("homeDivision", "homeDivision"),)),
    NodeSpec("queue", _Q, (
        _div(),
        Ref("queueFlow", "flow", deferrable=True),
        Ref("emailInQueueFlow", "flow", deferrable=True),
        Ref("messageInQueueFlow", "flow", deferrable=True),
        Ref("whisperPrompt", "prompt"),
        Ref("onHoldPrompt", "prompt"),
        Ref("defaultScripts.*", "script"),
        _groups("memberGroups[]"),
        _groups("bullseye.rings[].memberGroups[]", "failover"),
        Ref("bullseye.rings[].actions.skillsToRemove[]", "skill"),
        # The first rule applies to the holding queue and names it: not a self-reference.
        Ref("conditionalGroupRouting.rules[].queue", "queue", "failover", deferrable=True,
            self_ok=True),
        _groups("conditionalGroupRouting.rules[].groups[]", "failover"),
        Ref("conditionalGroupActivation.pilotRule.conditions[].simpleMetric.queue", "queue",
            "failover", deferrable=True),
        Ref("conditionalGroupActivation.rules[].conditions[].simpleMetric.queue", "queue",
            "failover", deferrable=True),
        _groups("conditionalGroupActivation.rules[].groups[]", "failover"),
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
        ("skillEvaluationMethod", "skillEvaluationMethod"))),
    NodeSpec("user", "/api/v2/users", (
        _div(),
        Ref("manager", "user", deferrable=True, depth=False),
        Ref("skills[]", "skill", depth=False),
        Ref("languages[]", "language", depth=False),
        Ref("groups[]", "group", deferrable=True, depth=False),
        Ref("team", "team", deferrable=True, depth=False),
        Ref("locations[].locationDefinition", "location", depth=False),
    ), (("state", "state"), ("email", "email"))),
    NodeSpec("group", "/api/v2/groups", (Ref("owners[]", "user", deferrable=True,
                                             depth=False),),
             (("memberCount", "memberCount"), ("state", "state"), ("groupType", "type"))),
    NodeSpec("team", "/api/v2/teams", (_div(),), (("memberCount", "memberCount"),)),
    NodeSpec("skill_group", "/api/v2/routing/skillgroups", (_div(),),
             (("memberCount", "memberCount"),)),
    NodeSpec("skill", "/api/v2/routing/skills", (_div(),), (("state", "state"),)),
    NodeSpec("language", "/api/v2/routing/languages", (), (("state", "state"),)),
    NodeSpec("wrapup_code", "/api/v2/routing/wrapupcodes", (_div(),)),
    NodeSpec("flow", "/api/v2/flows", (_div(),), (
        ("flowType", "type"), ("publishedVersion", "publishedVersion.id"),
        ("checkedInVersion", "checkedInVersion.id"), ("active", "active"))),
    NodeSpec("ivr", "/api/v2/architect/ivrs", (
        _div(),
        Ref("openHoursFlow", "flow", deferrable=True),
        Ref("closedHoursFlow", "flow", "failover", deferrable=True),
        Ref("holidayHoursFlow", "flow", "failover", deferrable=True),
        Ref("scheduleGroup", "schedule_group"),
    ), (("state", "state"), ("dnis", "dnis"))),
    NodeSpec("schedule", "/api/v2/architect/schedules", (_div(),), (("rrule", "rrule"),)),
    NodeSpec("schedule_group", "/api/v2/architect/schedulegroups", (
        _div(),
        Ref("openSchedules[]", "schedule"),
        Ref("closedSchedules[]", "schedule"),
        Ref("holidaySchedules[]", "schedule"),
    ), (("timeZone", "timeZone"),)),
    NodeSpec("emergency_group", "/api/v2/architect/emergencygroups", (
        _div(),
        Ref("emergencyCallFlows[].emergencyFlow", "flow", "failover", deferrable=True),
        Ref("emergencyCallFlows[].ivrs[]", "ivr", "failover", deferrable=True),
    ), (("enabled", "enabled"),)),
    NodeSpec("prompt", "/api/v2/architect/prompts", (_div(),)),
    NodeSpec("data_table", "/api/v2/flows/datatables", (_div(),)),
    NodeSpec("integration", "/api/v2/integrations", (
        Ref("config.current.credentials.*", "credential"),
    ), (("integrationType", "integrationType.id"), ("intendedState", "intendedState"),
        ("reportedState", "reportedState.code"))),
    NodeSpec("data_action", "/api/v2/integrations/actions", (
        Ref("integrationId", "integration"),
    ), (("category", "category"), ("requestUrlTemplate", "config.request.requestUrlTemplate"),
        ("requestType", "config.request.requestType"))),
    NodeSpec("credential", "/api/v2/integrations/credentials/listing", (),
             (("credentialType", "type.name"),)),
    NodeSpec("site", f"{_T}/sites", (
        _div(),
        Ref("location", "location"),
        Ref("primarySites[]", "site", deferrable=True, self_ok=True),
        Ref("secondarySites[]", "site", "failover", deferrable=True),
        Ref("edges[]", "edge", inverse=True),
        Ref("primaryEdges[]", "edge", inverse=True),
        Ref("secondaryEdges[]", "edge", "failover", inverse=True),
    ), (("mediaModel", "mediaModel"), ("mediaRegions", "mediaRegions"),
        ("managed", "managed"))),
    NodeSpec("edge", _T, (
        _div(),
        Ref("site", "site"),
        Ref("edgeGroup", "edge_group"),
    ), (("onlineStatus", "onlineStatus"), ("statusCode", "statusCode"),
        ("deploymentType", "edgeDeploymentType"))),
    NodeSpec("edge_group", f"{_T}/edgegroups", (
        _div(),
        Ref("edgeTrunkBaseAssignment.trunkBase", "trunk_base"),
        Ref("phoneTrunkBases[]", "trunk_base"),
    ), (("managed", "managed"), ("hybrid", "hybrid"))),
    NodeSpec("trunk_base", f"{_T}/trunkbasesettings", (
        _div(),
        Ref("site", "site"),
        Ref("inboundSite", "site"),
    ), (("trunkType", "trunkType"), ("state", "state"))),
    NodeSpec("trunk", f"{_T}/trunks", (
        _div(),
        Ref("edge", "edge"),
        Ref("trunkBase", "trunk_base"),
        Ref("edgeGroup", "edge_group"),
    ), (("trunkType", "trunkType"), ("inService", "inService"), ("enabled", "enabled"),
        ("connected", "connectedStatus.connected"))),
    NodeSpec("outbound_route", f"{_T}/outboundroutes", (
        _div(),
        Ref("site", "site"),
        Ref("externalTrunkBases[]", "trunk_base"),
    ), (("distribution", "distribution"), ("enabled", "enabled"),
        ("classificationTypes", "classificationTypes"))),
    NodeSpec("phone_base", f"{_T}/phonebasesettings", (_div(),)),
    NodeSpec("phone", f"{_T}/phones", (
        _div(),
        Ref("site", "site"),
        Ref("phoneBaseSettings", "phone_base"),
        Ref("webRtcUser", "user", deferrable=True, depth=False),
        Ref("primaryEdge", "edge"),
        Ref("secondaryEdge", "edge", "failover"),
    ), (("state", "state"),)),
    NodeSpec("did_pool", f"{_T}/didpools", (_div(),),
             (("startPhoneNumber", "startPhoneNumber"), ("endPhoneNumber", "endPhoneNumber"))),
    NodeSpec("did", f"{_T}/dids", (
        Ref("didPool", "did_pool"),
        Ref("owner", "", by=("ownerType", DID_OWNER_TYPES, True), deferrable=True),
    ), (("phoneNumber", "phoneNumber"), ("ownerType", "ownerType"))),
    NodeSpec("location", "/api/v2/locations", (Ref("contactUser", "user", deferrable=True,
                                                   depth=False),),
             (("state", "state"),)),
    NodeSpec("script", "/api/v2/scripts", (_div(),)),
    NodeSpec("web_deployment", "/api/v2/webdeployments/deployments", (
        Ref("flow", "flow", deferrable=True),
        Ref("configuration", "web_deployment_configuration"),
    ), (("status", "status"),)),
    # Outbound dialing (SDK 269 models Campaign, ContactList, ContactListFilter, DncList,
    # CallableTimeSet, ResponseSet, RuleSet, CampaignSequence; docs/crawl.md).
    NodeSpec("campaign", "/api/v2/outbound/campaigns", (
        _div(),
        Ref("contactList", "contact_list"),
        Ref("queue", "queue"),
        Ref("script", "script"),
        Ref("edgeGroup", "edge_group"),
        Ref("site", "site"),
        Ref("dncLists[]", "dnc_list"),
        Ref("callableTimeSet", "callable_time_set"),
        Ref("callAnalysisResponseSet", "response_set"),
        Ref("ruleSets[]", "rule_set"),
        Ref("contactListFilters[]", "contact_list_filter"),
    ), (("dialingMode", "dialingMode"), ("campaignStatus", "campaignStatus"))),
    NodeSpec("campaign_rule", "/api/v2/outbound/campaignrules", (
        Ref("campaignRuleEntities.campaigns[]", "campaign"),
        Ref("campaignRuleEntities.sequences[]", "campaign_sequence"),
    ), (("enabled", "enabled"),)),
    NodeSpec("messaging_campaign", "/api/v2/outbound/messagingcampaigns", (
        _div(),
        Ref("contactList", "contact_list"),
        Ref("callableTimeSet", "callable_time_set"),
        Ref("dncLists[]", "dnc_list"),
        Ref("ruleSets[]", "rule_set"),
        Ref("contactListFilters[]", "contact_list_filter"),
    ), (("campaignStatus", "campaignStatus"),)),
    NodeSpec("contact_list", "/api/v2/outbound/contactlists", (_div(),)),
    NodeSpec("contact_list_filter", "/api/v2/outbound/contactlistfilters", (
        Ref("contactList", "contact_list"),
    )),
    NodeSpec("dnc_list", "/api/v2/outbound/dnclists", (_div(),),
             (("dncSourceType", "dncSourceType"),)),
    NodeSpec("callable_time_set", "/api/v2/outbound/callabletimesets", ()),
    # A reaction of type transfer_flow keeps the (outbound) flow's id in ``data``.
    NodeSpec("response_set", "/api/v2/outbound/callanalysisresponsesets", (
        Ref("responses.*", "", by=("reactionType", {"transfer_flow": "flow"}, False),
            id_field="data", strict=True),
    )),
    NodeSpec("rule_set", "/api/v2/outbound/rulesets", (
        Ref("contactList", "contact_list"),
        Ref("queue", "queue"),
    )),
    NodeSpec("campaign_sequence", "/api/v2/outbound/sequences", (
        Ref("campaigns[]", "campaign"),
    ), (("status", "status"),)),
    # Messaging entry points, and what agents and admins work with (SDK 269 models
    # Recipient, SmsPhoneNumber, Library, ExtensionPool, UtilizationLabel,
    # DomainOrganizationRole; docs/crawl.md).
    NodeSpec("message_recipient", "/api/v2/routing/message/recipients", (
        Ref("flow", "flow", deferrable=True),
    ), (("messengerType", "messengerType"),)),
    NodeSpec("messaging_integration", "/api/v2/conversations/messaging/integrations", (
        Ref("recipient", "message_recipient"),
        Ref("messagingSetting", "messaging_setting"),
        Ref("supportedContent", "supported_content"),
    ), (("messengerType", "messengerType"), ("status", "status"))),
    NodeSpec("sms_address", "/api/v2/routing/sms/addresses", (),
             (("countryCode", "countryCode"),)),
    NodeSpec("sms_number", "/api/v2/routing/sms/phonenumbers", (),
             (("phoneNumber", "phoneNumber"), ("phoneNumberType", "phoneNumberType"))),
    NodeSpec("response_library", "/api/v2/responsemanagement/libraries", (_div(),)),
    NodeSpec("extension_pool", f"{_T}/extensionpools", (_div(),),
             (("startNumber", "startNumber"), ("endNumber", "endNumber"))),
    NodeSpec("utilization_label", "/api/v2/routing/utilization/labels", ()),
    NodeSpec("role", "/api/v2/authorization/roles", (), (("default", "default"),)),
    # Quality, journey, messaging and self-service (SDK 269 models EvaluationFormResponse,
    # SurveyForm, SystemPrompt, Outcome, JourneySegment, ActionMap, MessagingSetting,
    # SupportedContent, WebDeploymentConfigurationVersion, KnowledgeBase; docs/crawl.md).
    NodeSpec("evaluation_form", "/api/v2/quality/forms/evaluations", (_div(),),
             (("published", "published"),)),
    NodeSpec("survey_form", "/api/v2/quality/forms/surveys", (_div(),),
             (("published", "published"),)),
    NodeSpec("system_prompt", "/api/v2/architect/systemprompts", ()),
    NodeSpec("journey_outcome", "/api/v2/journey/outcomes", (), name_path="displayName"),
    NodeSpec("journey_segment", "/api/v2/journey/segments", (), name_path="displayName"),
    NodeSpec("action_map", "/api/v2/journey/actionmaps", (
        Ref("action.architectFlowFields.architectFlow", "flow"),
        Ref("triggerWithSegments[]", "journey_segment"),
        Ref("triggerWithOutcomeProbabilityConditions[].outcomeId", "journey_outcome"),
    ), (("isActive", "isActive"),), name_path="displayName"),
    NodeSpec("messaging_setting", "/api/v2/conversations/messaging/settings", ()),
    NodeSpec("supported_content", "/api/v2/conversations/messaging/supportedcontent", ()),
    NodeSpec("web_deployment_configuration", "/api/v2/webdeployments/configurations", (
        Ref("supportCenter.knowledgeBase", "knowledge_base"),
        Ref("authenticationSettings.integrationId", "integration"),
    ), (("status", "status"),)),
    # Recording: which queues, users, wrap-up codes and teams a policy applies to, and the
    # evaluation and survey forms (and survey flows) it assigns (SDK 269 model Policy).
    NodeSpec("media_retention_policy", "/api/v2/recording/mediaretentionpolicies", (
        Ref("conditions.forQueues[]", "queue"),
        Ref("conditions.forUsers[]", "user", depth=False),
        Ref("conditions.wrapupCodes[]", "wrapup_code"),
        Ref("conditions.teams[]", "team", depth=False),
        Ref("actions.assignEvaluations[].evaluationForm", "evaluation_form"),
        Ref("actions.assignSurveys[].surveyForm", "survey_form"),
        Ref("actions.assignSurveys[].flow", "flow"),
    ), (("enabled", "enabled"),)),
    # Access: the roles an OAuth client holds, in which divisions (its secret is never kept).
    NodeSpec("oauth_client", "/api/v2/oauth/clients", (
        Ref("roleDivisions[].roleId", "role", depth=False),
        Ref("roleDivisions[].divisionId", "division"),
    ), (("grantType", "authorizedGrantType"), ("state", "state"))),
    NodeSpec("knowledge_base", "/api/v2/knowledge/knowledgebases", (),
             (("published", "published"),)),
    NodeSpec("email_domain", "/api/v2/routing/email/domains", (),
             (("mxRecordStatus", "mxRecordStatus"), ("subDomain", "subDomain"))),
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
        parent=("email_domain", "domainName")),
)

NODE_TYPES: tuple[str, ...] = tuple(s.type for s in REGISTRY)
_BY_TYPE = {s.type: s for s in REGISTRY}

SUBCOLLECTIONS: tuple[SubCollection, ...] = (
    SubCollection(_Q + "/{queueId}/members", "queue", "user", "user", "members[].user",
                  extra=("joined",), depth=False),
    SubCollection(_Q + "/{queueId}/wrapupcodes", "queue", "", "wrapup_code", "wrapupCodes[]"),
)

# Architect dependency tracking: what each (published) flow consumes, keyed by flow id.
DT_CONSUMED = "/api/v2/architect/dependencytracking/consumedresources"

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
