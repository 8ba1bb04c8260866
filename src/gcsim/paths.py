"""The API path templates gcsim's org documents are keyed by, and tables shared by its parts."""

from __future__ import annotations

__all__ = [
    "DATE",
    "FLOW_DEP_TYPE",
    "P_ACTIONS",
    "P_ACTION_MAPS",
    "P_CALLABLETIMESETS",
    "P_CAMPAIGNS",
    "P_CAMPAIGN_RULES",
    "P_CONSUMED",
    "P_CONTACTLISTFILTERS",
    "P_CONTACTLISTS",
    "P_CREDENTIALS",
    "P_DATATABLES",
    "P_DIDPOOLS",
    "P_DIDS",
    "P_DIVISIONS",
    "P_DNCLISTS",
    "P_DT_BUILD",
    "P_DT_DELETED",
    "P_DT_UPDATED",
    "P_EDGEGROUPS",
    "P_EDGES",
    "P_EMAIL_DOMAINS",
    "P_EMAIL_ROUTES",
    "P_EMERGENCY",
    "P_EVAL_FORMS",
    "P_EXTENSION_POOLS",
    "P_FLOWS",
    "P_GROUPS",
    "P_INTEGRATIONS",
    "P_IVRS",
    "P_KNOWLEDGE_BASES",
    "P_LANGUAGES",
    "P_LIBRARIES",
    "P_LIMITS",
    "P_LIMIT_DEFAULTS",
    "P_LIMIT_DOCS",
    "P_LOCATIONS",
    "P_MSG_CAMPAIGNS",
    "P_MSG_INTEGRATIONS",
    "P_MSG_SETTINGS",
    "P_OAUTH_CLIENTS",
    "P_ORG",
    "P_OUTCOMES",
    "P_PHONEBASES",
    "P_PHONES",
    "P_PROMPTS",
    "P_QUEUES",
    "P_QUEUE_MEMBERS",
    "P_QUEUE_WRAPUPS",
    "P_RECIPIENTS",
    "P_RESPONSESETS",
    "P_RETENTION",
    "P_ROLES",
    "P_ROUTES",
    "P_RULESETS",
    "P_SCHEDULEGROUPS",
    "P_SCHEDULES",
    "P_SCRIPTS",
    "P_SEGMENTS",
    "P_SEQUENCES",
    "P_SITES",
    "P_SITE_ROUTES",
    "P_SKILLGROUPS",
    "P_SKILLS",
    "P_SMS_ADDRESSES",
    "P_SMS_NUMBERS",
    "P_SUBJECTS",
    "P_SUPPORTED_CONTENT",
    "P_SURVEY_FORMS",
    "P_SYSTEM_PROMPTS",
    "P_TEAMS",
    "P_TRUNKBASES",
    "P_TRUNKS",
    "P_USERS",
    "P_USERS_QUERY",
    "P_UTIL_LABELS",
    "P_WEBDEPLOYMENTS",
    "P_WEB_CONFIGS",
    "P_WORKBINS",
    "P_WORKTYPES",
    "P_WRAPUPS",
    "P_WRAPUP_MAPPINGS",
]

P_ORG = "/api/v2/organizations/me"
P_DIVISIONS = "/api/v2/authorization/divisions"
P_QUEUES = "/api/v2/routing/queues"
P_QUEUE_MEMBERS = "/api/v2/routing/queues/{queueId}/members"
P_QUEUE_WRAPUPS = "/api/v2/routing/queues/{queueId}/wrapupcodes"
P_USERS = "/api/v2/users"
P_USERS_QUERY = "/api/v2/users/query"
P_GROUPS = "/api/v2/groups"
P_TEAMS = "/api/v2/teams"
P_SKILLS = "/api/v2/routing/skills"
P_LANGUAGES = "/api/v2/routing/languages"
P_WRAPUPS = "/api/v2/routing/wrapupcodes"
P_SKILLGROUPS = "/api/v2/routing/skillgroups"
P_FLOWS = "/api/v2/flows"
P_IVRS = "/api/v2/architect/ivrs"
P_SCHEDULES = "/api/v2/architect/schedules"
P_SCHEDULEGROUPS = "/api/v2/architect/schedulegroups"
P_EMERGENCY = "/api/v2/architect/emergencygroups"
P_PROMPTS = "/api/v2/architect/prompts"
P_DATATABLES = "/api/v2/flows/datatables"
P_INTEGRATIONS = "/api/v2/integrations"
P_ACTIONS = "/api/v2/integrations/actions"
P_CREDENTIALS = "/api/v2/integrations/credentials/listing"
_EDGES = "/api/v2/telephony/providers/edges"
P_SITES = _EDGES + "/sites"
P_SITE_ROUTES = _EDGES + "/sites/{siteId}/outboundroutes"
P_ROUTES = _EDGES + "/outboundroutes"
P_EDGES = _EDGES
P_EDGEGROUPS = _EDGES + "/edgegroups"
P_TRUNKBASES = _EDGES + "/trunkbasesettings"
P_TRUNKS = _EDGES + "/trunks"
P_PHONEBASES = _EDGES + "/phonebasesettings"
P_PHONES = _EDGES + "/phones"
P_DIDPOOLS = _EDGES + "/didpools"
P_DIDS = _EDGES + "/dids"
P_LOCATIONS = "/api/v2/locations"
P_SCRIPTS = "/api/v2/scripts"
P_EMAIL_DOMAINS = "/api/v2/routing/email/domains"
P_EMAIL_ROUTES = "/api/v2/routing/email/domains/{domainName}/routes"
P_WEBDEPLOYMENTS = "/api/v2/webdeployments/deployments"
P_RECIPIENTS = "/api/v2/routing/message/recipients"
P_SMS_NUMBERS = "/api/v2/routing/sms/phonenumbers"
P_LIBRARIES = "/api/v2/responsemanagement/libraries"
P_EXTENSION_POOLS = _EDGES + "/extensionpools"
P_UTIL_LABELS = "/api/v2/routing/utilization/labels"
P_ROLES = "/api/v2/authorization/roles"
# A subject's (user's) role grants per division: one AuthzSubject per GET.
P_SUBJECTS = "/api/v2/authorization/subjects/{subjectId}"
P_EVAL_FORMS = "/api/v2/quality/forms/evaluations"
P_SURVEY_FORMS = "/api/v2/quality/forms/surveys"
P_SYSTEM_PROMPTS = "/api/v2/architect/systemprompts"
P_OUTCOMES = "/api/v2/journey/outcomes"
P_SEGMENTS = "/api/v2/journey/segments"
P_ACTION_MAPS = "/api/v2/journey/actionmaps"
P_MSG_SETTINGS = "/api/v2/conversations/messaging/settings"
P_SUPPORTED_CONTENT = "/api/v2/conversations/messaging/supportedcontent"
P_WEB_CONFIGS = "/api/v2/webdeployments/configurations"
P_KNOWLEDGE_BASES = "/api/v2/knowledge/knowledgebases"
# The dialer's wrap-up code mapping: one object (WrapUpCodeMapping).
P_WRAPUP_MAPPINGS = "/api/v2/outbound/wrapupcodemappings"
# Task management: listed only by POST {path}/query (no GET listing in SDK 269).
P_WORKBINS = "/api/v2/taskmanagement/workbins"
P_WORKTYPES = "/api/v2/taskmanagement/worktypes"
P_RETENTION = "/api/v2/recording/mediaretentionpolicies"
P_OAUTH_CLIENTS = "/api/v2/oauth/clients"
P_SMS_ADDRESSES = "/api/v2/routing/sms/addresses"
P_MSG_INTEGRATIONS = "/api/v2/conversations/messaging/integrations"
_OUT = "/api/v2/outbound"
P_CAMPAIGN_RULES = _OUT + "/campaignrules"
P_MSG_CAMPAIGNS = _OUT + "/messagingcampaigns"
P_CAMPAIGNS = _OUT + "/campaigns"
P_CONTACTLISTS = _OUT + "/contactlists"
P_CONTACTLISTFILTERS = _OUT + "/contactlistfilters"
P_DNCLISTS = _OUT + "/dnclists"
P_CALLABLETIMESETS = _OUT + "/callabletimesets"
P_RESPONSESETS = _OUT + "/callanalysisresponsesets"
P_RULESETS = _OUT + "/rulesets"
P_SEQUENCES = _OUT + "/sequences"
P_CONSUMED = "/api/v2/architect/dependencytracking/consumedresources"
P_DT_BUILD = "/api/v2/architect/dependencytracking/build"
P_DT_DELETED = "/api/v2/architect/dependencytracking/deletedresourceconsumers"
P_DT_UPDATED = "/api/v2/architect/dependencytracking/updatedresourceconsumers"
P_LIMITS = "/api/v2/organizations/limits/namespaces/{namespaceName}"
P_LIMIT_DEFAULTS = "/api/v2/organizations/limits/namespaces/{namespaceName}/defaults"
P_LIMIT_DOCS = "/api/v2/organizations/limits/docs"

DATE = "2026-01-05T10:00:00.000Z"

# Flow.type -> dependency-tracking object type (CX as Code's table).
FLOW_DEP_TYPE = {
    "BOT": "BOTFLOW",
    "COMMONMODULE": "COMMONMODULEFLOW",
    "DIGITALBOT": "DIGITALBOTFLOW",
    "INBOUNDCALL": "INBOUNDCALLFLOW",
    "INBOUNDCHAT": "INBOUNDCHATFLOW",
    "INBOUNDEMAIL": "INBOUNDEMAILFLOW",
    "INBOUNDSHORTMESSAGE": "INBOUNDSHORTMESSAGEFLOW",
    "INQUEUECALL": "INQUEUECALLFLOW",
    "INQUEUEEMAIL": "INQUEUEEMAILFLOW",
    "INQUEUESHORTMESSAGE": "INQUEUESHORTMESSAGEFLOW",
    "OUTBOUNDCALL": "OUTBOUNDCALLFLOW",
    "SECURECALL": "SECURECALLFLOW",
    "SURVEYINVITE": "SURVEYINVITEFLOW",
    "VOICE": "VOICEFLOW",
    "VOICEMAIL": "VOICEMAILFLOW",
    "WORKFLOW": "WORKFLOW",
    "WORKITEM": "WORKITEMFLOW",
    # Not in the provider's table; the SDK 269 dependency object types name them.
    "EMAILSEND": "EMAILSENDFLOW",
    "VOICESURVEY": "VOICESURVEYFLOW",
    "BUSINESSPROCESS": "BUSINESSPROCESSFLOW",
}
