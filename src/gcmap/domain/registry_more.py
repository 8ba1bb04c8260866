"""Registry rows for what routing touches beyond its core: outbound dialing, messaging,
quality and recording, self-service and journeys, and access (same row format as
``gcmap.domain.registry``; evidence per endpoint in docs/crawl.md)."""

from __future__ import annotations

from gcmap.domain.registry_types import (
    Listing,
    NodeSpec,
    Ref,
    T,
    div,
)

__all__ = ["MORE"]

_MEDIA = ("callPolicy", "chatPolicy", "emailPolicy", "messagePolicy")


def _policy_refs(prefix: str, languages: bool = False) -> tuple[Ref, ...]:
    """The references of one recording policy's conditions and actions under ``prefix``."""
    return (
        Ref(f"{prefix}conditions.forQueues[]", "queue"),
        Ref(f"{prefix}conditions.forUsers[]", "user", depth=False),
        Ref(f"{prefix}conditions.wrapupCodes[]", "wrapup_code"),
        Ref(f"{prefix}conditions.teams[]", "team", depth=False),
        *((Ref(f"{prefix}conditions.languages[]", "language"),) if languages else ()),
        Ref(f"{prefix}actions.assignEvaluations[].evaluationForm", "evaluation_form"),
        Ref(f"{prefix}actions.assignMeteredEvaluations[].evaluationForm", "evaluation_form"),
        Ref(f"{prefix}actions.assignSurveys[].surveyForm", "survey_form"),
        Ref(f"{prefix}actions.assignSurveys[].flow", "flow"),
        Ref(f"{prefix}actions.integrationExport.integration", "integration"),
    )

MORE: tuple[NodeSpec, ...] = (
    # Outbound dialing (SDK 269 models Campaign, ContactList, ContactListFilter, DncList,
    # CallableTimeSet, ResponseSet, RuleSet, CampaignSequence; docs/crawl.md). Every
    # outbound listing says "The max that will be returned is 100" (SDK 269 outbound_api.py).
    # Listings with no documented cap are asked for 100 a page, the size the others cap at
    # (a larger cap would only cost pages; **unverified**, docs/crawl.md).
    NodeSpec("campaign", "/api/v2/outbound/campaigns", (
        div(),
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
    ), (("dialingMode", "dialingMode"), ("campaignStatus", "campaignStatus")),
        read=(
            Listing(100, division_param="divisionId", permission="outbound:campaign:view",
                    by_ids="id"),
        )),
    # The dialer's wrap-up code mapping: one object, keyed by wrap-up code id (SDK 269
    # WrapUpCodeMapping.mapping: dict(str, list[str]); CX as Code outbound_wrapupcodemappings
    # reads GET /api/v2/outbound/wrapupcodemappings with outbound:wrapUpCodeMapping:view).
    NodeSpec("wrapup_code_mapping", "/api/v2/outbound/wrapupcodemappings", (
        Ref("mapping.*", "wrapup_code", key=True),
    ), (("defaultSet", "defaultSet"),),
        read=(Listing(1, "single", permission="outbound:wrapUpCodeMapping:view"),)),
    NodeSpec("campaign_rule", "/api/v2/outbound/campaignrules", (
        Ref("campaignRuleEntities.campaigns[]", "campaign"),
        Ref("campaignRuleEntities.sequences[]", "campaign_sequence"),
    ), (("enabled", "enabled"),),
        read=(Listing(100, permission="outbound:campaignRule:view", item="campaignRuleId"),)),
    NodeSpec("messaging_campaign", "/api/v2/outbound/messagingcampaigns", (
        div(),
        Ref("contactList", "contact_list"),
        Ref("callableTimeSet", "callable_time_set"),
        Ref("dncLists[]", "dnc_list"),
        Ref("ruleSets[]", "rule_set"),
        Ref("contactListFilters[]", "contact_list_filter"),
    ), (("campaignStatus", "campaignStatus"),),
        read=(
            Listing(100, division_param="divisionId",
                    permission="outbound:messagingCampaign:view", by_ids="id"),
        )),
    NodeSpec("contact_list", "/api/v2/outbound/contactlists", (div(),),
        read=(
            Listing(100, division_param="divisionId", permission="outbound:contactList:view",
                    by_ids="id"),
        )),
    NodeSpec("contact_list_filter", "/api/v2/outbound/contactlistfilters", (
        Ref("contactList", "contact_list"),
    ),
        read=(
            Listing(100, permission="outbound:contactListFilter:view", item="contactListFilterId"),
        )),
    NodeSpec("dnc_list", "/api/v2/outbound/dnclists", (div(),),
             (("dncSourceType", "dncSourceType"),),
        read=(
            Listing(100, division_param="divisionId", permission="outbound:dncList:view",
                    item="dncListId"),
        )),
    NodeSpec("callable_time_set", "/api/v2/outbound/callabletimesets", (),
        read=(
            Listing(100, permission="outbound:callableTimeSet:view", item="callableTimeSetId"),
        )),
    # A reaction of type transfer_flow keeps the (outbound) flow's id in ``data``.
    NodeSpec("response_set", "/api/v2/outbound/callanalysisresponsesets", (
        Ref("responses.*", "", by=("reactionType", {"transfer_flow": "flow"}, False),
            id_field="data", strict=True),
    ),
        read=(Listing(100, permission="outbound:responseSet:view", item="callAnalysisSetId"),)),
    NodeSpec("rule_set", "/api/v2/outbound/rulesets", (
        Ref("contactList", "contact_list"),
        Ref("queue", "queue"),
    ),
        read=(Listing(100, permission="outbound:ruleSet:view", item="ruleSetId"),)),
    NodeSpec("campaign_sequence", "/api/v2/outbound/sequences", (
        Ref("campaigns[]", "campaign"),
    ), (("status", "status"),),
        read=(Listing(100, permission="outbound:campaignSequence:view", item="sequenceId"),)),
    # Messaging entry points, and what agents and admins work with (SDK 269 models
    # Recipient, SmsPhoneNumber, Library, ExtensionPool, UtilizationLabel,
    # DomainOrganizationRole; docs/crawl.md).
    NodeSpec("message_recipient", "/api/v2/routing/message/recipients", (
        Ref("flow", "flow", deferrable=True),
    ), (("messengerType", "messengerType"),),
        read=(Listing(100, permission="routing:message:manage", item="recipientId"),)),
    NodeSpec("messaging_integration", "/api/v2/conversations/messaging/integrations", (
        Ref("recipient", "message_recipient"),
        Ref("messagingSetting", "messaging_setting"),
        Ref("supportedContent", "supported_content"),
    ), (("messengerType", "messengerType"), ("status", "status")),
        read=(Listing(100, permission="messaging:integration:view"),)),
    NodeSpec("sms_address", "/api/v2/routing/sms/addresses", (),
             (("countryCode", "countryCode"),),
        read=(Listing(100, permission="sms:phoneNumber:view", item="addressId"),)),
    NodeSpec("sms_number", "/api/v2/routing/sms/phonenumbers", (),
             (("phoneNumber", "phoneNumber"), ("phoneNumberType", "phoneNumberType")),
        read=(Listing(100, permission="sms:phoneNumber:view", item="phoneNumberId"),)),
    NodeSpec("response_library", "/api/v2/responsemanagement/libraries", (div(),),
        read=(Listing(100, permission="responses:library:view", item="libraryId"),)),
    NodeSpec("extension_pool", f"{T}/extensionpools", (div(),),
             (("startNumber", "startNumber"), ("endNumber", "endNumber")),
        read=(Listing(100, permission="telephony:extensionPool:view", item="extensionPoolId"),)),
    NodeSpec("utilization_label", "/api/v2/routing/utilization/labels", (),
        read=(Listing(100, permission="routing:utilization:view", item="labelId"),)),
    NodeSpec("role", "/api/v2/authorization/roles", (), (("default", "default"),),
        read=(Listing(100, permission="authorization:role:view", by_ids="id"),)),
    # Quality, journey, messaging and self-service (SDK 269 models EvaluationFormResponse,
    # SurveyForm, SystemPrompt, Outcome, JourneySegment, ActionMap, MessagingSetting,
    # SupportedContent, WebDeploymentConfigurationVersion, KnowledgeBase; docs/crawl.md).
    NodeSpec("evaluation_form", "/api/v2/quality/forms/evaluations", (div(),),
             (("published", "published"),),
        read=(Listing(100, permission="quality:evaluationForm:view", item="formId"),)),
    NodeSpec("survey_form", "/api/v2/quality/forms/surveys", (div(),),
             (("published", "published"),),
        read=(Listing(100, permission="quality:surveyForm:view", item="formId"),)),
    NodeSpec("system_prompt", "/api/v2/architect/systemprompts", (),
        read=(Listing(100, permission="architect:systemPrompt:view", item="promptId"),)),
    NodeSpec("journey_outcome", "/api/v2/journey/outcomes", (), name_path="displayName",
        read=(Listing(100, permission="journey:outcome:view", item="outcomeId"),)),
    NodeSpec("journey_segment", "/api/v2/journey/segments", (), name_path="displayName",
        read=(Listing(100, permission="journey:segment:view", item="segmentId"),)),
    NodeSpec("action_map", "/api/v2/journey/actionmaps", (
        Ref("action.architectFlowFields.architectFlow", "flow"),
        Ref("triggerWithSegments[]", "journey_segment"),
        Ref("triggerWithOutcomeProbabilityConditions[].outcomeId", "journey_outcome"),
    ), (("isActive", "isActive"),), name_path="displayName",
        read=(Listing(100, permission="journey:actionmap:view", item="actionMapId"),)),
    NodeSpec("messaging_setting", "/api/v2/conversations/messaging/settings", (),
        read=(Listing(100, permission="messaging:setting:view", item="messageSettingId"),)),
    NodeSpec("supported_content", "/api/v2/conversations/messaging/supportedcontent", (),
        read=(
            Listing(100, permission="messaging:supportedContent:view", item="supportedContentId"),
        )),
    NodeSpec("web_deployment_configuration", "/api/v2/webdeployments/configurations", (
        Ref("supportCenter.knowledgeBase", "knowledge_base"),
        Ref("authenticationSettings.integrationId", "integration"),
    ), (("status", "status"),),
        read=(Listing(300, "cursor", permission="webDeployments:configuration:view"),)),
    # Recording: which queues, users, wrap-up codes and teams a policy applies to, and the
    # evaluation and survey forms (and survey flows) it assigns (SDK 269 model Policy).
    # A policy's own conditions and actions, and the same again per medium (SDK 269 Policy,
    # MediaPolicies: callPolicy, chatPolicy, emailPolicy, messagePolicy, each with
    # *MediaPolicyConditions, which add languages, and PolicyActions).
    NodeSpec("media_retention_policy", "/api/v2/recording/mediaretentionpolicies", (
        *_policy_refs(""),
        *(r for medium in _MEDIA for r in _policy_refs(f"mediaPolicies.{medium}.",
                                                       languages=True)),
    ), (("enabled", "enabled"),),
        read=(Listing(100, permission="recording:retentionPolicy:view", item="policyId"),)),
    # Task management (SDK 269 models Worktype, Workbin): listed by POST query, at most 200 a
    # page ("Maximum of 200"), the next cursor in the answer's `after` (CX as Code
    # task_management_worktype/..._proxy.go getAllTaskManagementWorktypeFn, the same for
    # workbins); permissions from the provider's docs.
    NodeSpec("workbin", "/api/v2/taskmanagement/workbins", (div(),),
        read=(Listing(200, "postcursor", permission="workitems:workbin:view",
                      request_path="/api/v2/taskmanagement/workbins/query"),)),
    NodeSpec("work_type", "/api/v2/taskmanagement/worktypes", (
        div(),
        Ref("defaultWorkbin", "workbin"),
        Ref("defaultQueue", "queue"),
        Ref("defaultSkills[]", "skill"),
        Ref("defaultLanguage", "language"),
        Ref("defaultScript", "script"),
        Ref("flow", "flow", deferrable=True),
    ), (("assignmentEnabled", "assignmentEnabled"),),
        read=(Listing(200, "postcursor", permission="workitems:worktype:view",
                      request_path="/api/v2/taskmanagement/worktypes/query"),)),
    # Access: the roles an OAuth client holds, in which divisions (its secret is never kept).
    # get_oauth_clients takes no paging parameters; one page of the usual size is asked for
    # (whether the listing pages at all is **unverified**).
    NodeSpec("oauth_client", "/api/v2/oauth/clients", (
        Ref("roleDivisions[].roleId", "role", depth=False),
        Ref("roleDivisions[].divisionId", "division"),
    ), (("grantType", "authorizedGrantType"), ("state", "state")),
        read=(Listing(100, permission="oauth:client:view", item="clientId"),)),
    NodeSpec("knowledge_base", "/api/v2/knowledge/knowledgebases", (),
             (("published", "published"),),
        read=(
            Listing(100, "cursor", permission="knowledge:knowledgebase:view",
                    item="knowledgeBaseId"),
        )),
)
