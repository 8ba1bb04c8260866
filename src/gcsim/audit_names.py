"""How gcsim labels its audit records: the service and entity type of each writable listing.

Entity type names follow the platform's audit enums (``AuditQueryEntity.name`` and
``AuditTopicAuditLogMessage.entityType`` in the Java SDK models; the Python SDK 269 leaves
them as plain strings). Service names follow ``AuditTopicAuditLogMessage.serviceName`` where it
lists one; the rest are gcsim's assumption (docs/crawl.md, "Audit records"). A name that is
not in either enum is marked "unverified" there, and gcmap must treat an entity type it does
not know as "re-map everything", which the incremental tests exercise.
"""

from __future__ import annotations

from gcsim import paths as o

__all__ = ["AUDIT_NAMES", "EXTRA_ACTIONS", "service_mapping"]

AUDIT_NAMES: dict[str, tuple[str, str]] = {
    o.P_DIVISIONS: ("Authorization", "Division"),  # unverified
    o.P_QUEUES: ("Routing", "Queue"),
    o.P_USERS: ("Directory", "User"),
    o.P_GROUPS: ("Directory", "DirectoryGroup"),
    o.P_TEAMS: ("Groups", "Team"),
    o.P_SKILLS: ("Routing", "RoutingSkill"),
    o.P_LANGUAGES: ("Routing", "RoutingLanguage"),
    o.P_WRAPUPS: ("Routing", "WrapupCode"),
    o.P_SKILLGROUPS: ("Routing", "SkillGroup"),
    o.P_FLOWS: ("Architect", "Flow"),
    o.P_IVRS: ("Architect", "IVR"),
    o.P_SCHEDULES: ("Architect", "Schedule"),
    o.P_SCHEDULEGROUPS: ("Architect", "ScheduleGroup"),
    o.P_EMERGENCY: ("Architect", "EmergencyGroup"),
    o.P_PROMPTS: ("Architect", "Prompt"),
    o.P_SYSTEM_PROMPTS: ("Architect", "Prompt"),
    o.P_DATATABLES: ("Datatables", "Schema"),
    o.P_INTEGRATIONS: ("Integrations", "Integration"),
    o.P_ACTIONS: ("Integrations", "Action"),
    o.P_CREDENTIALS: ("Integrations", "Credential"),
    o.P_SITES: ("Telephony", "Site"),
    o.P_EDGES: ("Telephony", "Edge"),
    o.P_EDGEGROUPS: ("Telephony", "EdgeGroup"),
    o.P_TRUNKBASES: ("Telephony", "TrunkBase"),
    o.P_TRUNKS: ("Telephony", "Trunk"),
    o.P_ROUTES: ("Telephony", "OutboundRoute"),
    o.P_PHONEBASES: ("Telephony", "PhoneBase"),
    o.P_PHONES: ("Telephony", "Phone"),
    o.P_DIDPOOLS: ("Telephony", "DIDPool"),
    o.P_DIDS: ("Telephony", "DID"),
    o.P_EXTENSION_POOLS: ("Telephony", "ExtensionPool"),
    o.P_LOCATIONS: ("Locations", "Location"),
    o.P_SCRIPTS: ("Scripter", "ComposerScript"),
    o.P_WEBDEPLOYMENTS: ("WebDeployments", "Deployment"),
    o.P_WEB_CONFIGS: ("WebDeployments", "Configuration"),
    o.P_CAMPAIGNS: ("Outbound", "Campaign"),
    o.P_CONTACTLISTS: ("Outbound", "ContactList"),
    o.P_CONTACTLISTFILTERS: ("Outbound", "ContactListFilter"),
    o.P_DNCLISTS: ("Outbound", "DNCList"),
    o.P_CAMPAIGN_RULES: ("Outbound", "CampaignRule"),
    o.P_MSG_CAMPAIGNS: ("Outbound", "MessagingCampaign"),
    o.P_CALLABLETIMESETS: ("Outbound", "CallableTimeSet"),
    o.P_RESPONSESETS: ("Outbound", "CallAnalysisResponseSet"),
    o.P_RULESETS: ("Outbound", "RuleSet"),
    o.P_SEQUENCES: ("Outbound", "Sequence"),
    o.P_RECIPIENTS: ("Routing", "ConversationRecipient"),
    o.P_SMS_NUMBERS: ("Routing", "ConversationPhoneNumber"),
    o.P_SMS_ADDRESSES: ("Routing", "SmsAddress"),  # unverified
    o.P_MSG_INTEGRATIONS: ("Routing", "ConversationAccount"),
    o.P_MSG_SETTINGS: ("Routing", "MessagingSetting"),  # unverified
    o.P_SUPPORTED_CONTENT: ("Routing", "SupportedContent"),
    o.P_LIBRARIES: ("ResponseManagement", "Library"),  # unverified
    o.P_UTIL_LABELS: ("Routing", "RoutingUtilizationTag"),
    o.P_ROLES: ("PeoplePermissions", "Role"),
    o.P_OAUTH_CLIENTS: ("PeoplePermissions", "OAuthClient"),
    o.P_EVAL_FORMS: ("Quality", "EvaluationForm"),
    o.P_SURVEY_FORMS: ("Quality", "SurveyForm"),
    o.P_RETENTION: ("Quality", "Policy"),
    o.P_OUTCOMES: ("PredictiveEngagement", "Outcome"),
    o.P_SEGMENTS: ("PredictiveEngagement", "Segment"),
    o.P_ACTION_MAPS: ("PredictiveEngagement", "ActionMap"),
    o.P_KNOWLEDGE_BASES: ("Knowledge", "KnowledgeBase"),
    o.P_EMAIL_DOMAINS: ("Routing", "EmailDomain"),  # unverified
    o.P_WORKBINS: ("TaskManagement", "Workbin"),  # unverified
    o.P_WORKTYPES: ("TaskManagement", "Worktype"),  # unverified
}

# Actions beyond Create/Update/Delete, by entity type (the ActionsEnum names).
EXTRA_ACTIONS = {"Queue": ("MemberAdd", "MemberRemove"), "Flow": ("Publish",)}


def service_mapping() -> dict[str, list[dict[str, object]]]:
    """The ``GET /api/v2/audits/query/realtime/servicemapping`` body
    (``AuditQueryServiceMapping``): every service with its entity types and actions."""
    services: dict[str, set[str]] = {}
    for service, entity in AUDIT_NAMES.values():
        services.setdefault(service, set()).add(entity)
    return {"services": [
        {"name": s, "entities": [
            {"name": e, "actions": ["Create", "Update", "Delete", *EXTRA_ACTIONS.get(e, ())]}
            for e in sorted(services[s])]}
        for s in sorted(services)]}
