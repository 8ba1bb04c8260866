"""What an audit record says changed, in registry terms.

Entity type names are the platform's (``AuditQueryEntity.name`` in the Java SDK models, which
``GET /api/v2/audits/query/realtime/servicemapping`` answers with; SDK 269 for Python leaves
the field a plain string). A name not listed here, in a service gcmap reads, makes the next
run a full re-map: gcmap cannot know what such a change touched. docs/crawl.md ("Audit
records") gives the evidence for each name and marks the guesses.
"""

from __future__ import annotations

__all__ = ["ENTITY_TYPES", "IGNORED_ACTIONS", "IGNORED_ENTITIES", "MEMBER_ACTIONS"]

# Audit entity type -> the node types its id may belong to (more than one: each is tried).
ENTITY_TYPES: dict[str, tuple[str, ...]] = {
    "Queue": ("queue",), "User": ("user",), "DirectoryGroup": ("group",), "Team": ("team",),
    "SkillGroup": ("skill_group",), "RoutingSkill": ("skill",),
    "RoutingLanguage": ("language",), "WrapupCode": ("wrapup_code",), "Flow": ("flow",),
    "IVR": ("ivr",), "Schedule": ("schedule",), "ScheduleGroup": ("schedule_group",),
    "EmergencyGroup": ("emergency_group",), "Prompt": ("prompt", "system_prompt"),
    "Schema": ("data_table",), "Integration": ("integration",), "Action": ("data_action",),
    "Credential": ("credential",), "Site": ("site",), "Edge": ("edge",),
    "EdgeGroup": ("edge_group",), "TrunkBase": ("trunk_base",), "Trunk": ("trunk",),
    "OutboundRoute": ("outbound_route",), "PhoneBase": ("phone_base",), "Phone": ("phone",),
    "DIDPool": ("did_pool",), "DID": ("did",), "ExtensionPool": ("extension_pool",),
    "Location": ("location",), "ComposerScript": ("script",),
    "Deployment": ("web_deployment",), "Configuration": ("web_deployment_configuration",),
    "Campaign": ("campaign",), "ContactList": ("contact_list",),
    "ContactListFilter": ("contact_list_filter",), "DNCList": ("dnc_list",),
    "CampaignRule": ("campaign_rule",), "MessagingCampaign": ("messaging_campaign",),
    "CallableTimeSet": ("callable_time_set",),
    "CallAnalysisResponseSet": ("response_set",), "RuleSet": ("rule_set",),
    "Sequence": ("campaign_sequence",), "ConversationRecipient": ("message_recipient",),
    "ConversationPhoneNumber": ("sms_number",),
    "ConversationAccount": ("messaging_integration",),
    "SupportedContent": ("supported_content",),
    "RoutingUtilizationTag": ("utilization_label",), "Role": ("role",),
    "OAuthClient": ("oauth_client",), "EvaluationForm": ("evaluation_form",),
    "SurveyForm": ("survey_form",), "Policy": ("media_retention_policy",),
    "Outcome": ("journey_outcome",), "Segment": ("journey_segment",),
    "ActionMap": ("action_map",), "KnowledgeBase": ("knowledge_base",),
    "WrapUpCodeMapping": ("wrapup_code_mapping",),
}

# Entity types whose changes cannot alter the graph (data rows, people's presence, media,
# logs, analytics, workforce schedules): never a reason to re-read or re-map.
IGNORED_ENTITIES = frozenset({
    "AccessToken", "UserPresence", "Row", "Recording", "OrphanedRecording",
    "RecordingAnnotation", "ScreenRecording", "Evaluation", "Calibration", "Feedback",
    "SentimentFeedback", "KnowledgeSearchFeedback", "KnowledgeDocument",
    "KnowledgeDocumentVariation", "KnowledgeCategory", "KnowledgeTraining",
    "MediaDiagnosticsTraceFile", "EdgeLog", "EdgeLogZip", "EdgePcaps", "Pcaps", "SupportFile",
    "Exports", "ScheduledExports", "HistoricalData", "Forecast", "TimeOffRequest",
    "ShiftTrade", "WorkPlan", "WorkPlanRotation", "ManagementUnit", "BusinessUnit",
    "PlanningGroup", "ServiceGoalTemplate", "ActivityCode", "AuthUser", "AuthOrganization",
    "Annotation", "Appointment", "EdgeTraceLevel", "Participant", "FlowOutcome",
    "FlowMilestone", "ActionDraft", "OutdatedSdkVersion",
})
# Actions that read rather than change.
IGNORED_ACTIONS = frozenset({"View", "Read", "ReadAll", "Download", "Export",
                             "Authenticate"})
# Actions on a queue that change its members (its member listing is read again).
MEMBER_ACTIONS = frozenset({"MemberAdd", "MemberUpdate", "MemberRemove"})
