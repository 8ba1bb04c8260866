"""Registry rows for what routing touches beyond its core: outbound dialing, messaging,
quality and recording, self-service and journeys, and access (same row format as
``gcmap.domain.registry``; evidence per endpoint in docs/crawl.md)."""

from __future__ import annotations

from gcmap.domain.registry_types import NodeSpec, Ref, T, div

__all__ = ["MORE"]

MORE: tuple[NodeSpec, ...] = (
    # Outbound dialing (SDK 269 models Campaign, ContactList, ContactListFilter, DncList,
    # CallableTimeSet, ResponseSet, RuleSet, CampaignSequence; docs/crawl.md).
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
    ), (("dialingMode", "dialingMode"), ("campaignStatus", "campaignStatus"))),
    NodeSpec("campaign_rule", "/api/v2/outbound/campaignrules", (
        Ref("campaignRuleEntities.campaigns[]", "campaign"),
        Ref("campaignRuleEntities.sequences[]", "campaign_sequence"),
    ), (("enabled", "enabled"),)),
    NodeSpec("messaging_campaign", "/api/v2/outbound/messagingcampaigns", (
        div(),
        Ref("contactList", "contact_list"),
        Ref("callableTimeSet", "callable_time_set"),
        Ref("dncLists[]", "dnc_list"),
        Ref("ruleSets[]", "rule_set"),
        Ref("contactListFilters[]", "contact_list_filter"),
    ), (("campaignStatus", "campaignStatus"),)),
    NodeSpec("contact_list", "/api/v2/outbound/contactlists", (div(),)),
    NodeSpec("contact_list_filter", "/api/v2/outbound/contactlistfilters", (
        Ref("contactList", "contact_list"),
    )),
    NodeSpec("dnc_list", "/api/v2/outbound/dnclists", (div(),),
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
    NodeSpec("response_library", "/api/v2/responsemanagement/libraries", (div(),)),
    NodeSpec("extension_pool", f"{T}/extensionpools", (div(),),
             (("startNumber", "startNumber"), ("endNumber", "endNumber"))),
    NodeSpec("utilization_label", "/api/v2/routing/utilization/labels", ()),
    NodeSpec("role", "/api/v2/authorization/roles", (), (("default", "default"),)),
    # Quality, journey, messaging and self-service (SDK 269 models EvaluationFormResponse,
    # SurveyForm, SystemPrompt, Outcome, JourneySegment, ActionMap, MessagingSetting,
    # SupportedContent, WebDeploymentConfigurationVersion, KnowledgeBase; docs/crawl.md).
    NodeSpec("evaluation_form", "/api/v2/quality/forms/evaluations", (div(),),
             (("published", "published"),)),
    NodeSpec("survey_form", "/api/v2/quality/forms/surveys", (div(),),
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
)
