"""The table of read endpoints gcsim serves: paging style, page-size cap and response model.

Caps follow the SDK docstrings where they give one and the sizes the CX as Code provider uses
successfully elsewhere. Asking for a larger ``pageSize`` silently returns the cap, as the real
platform does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from gcsim import paths as o

__all__ = ["COLLECTIONS", "RESULT_CAP", "Collection", "match_collection"]

Paging = Literal["page", "cursor", "idcursor", "members", "limits", "postcursor", "subject"]
# The real API's result cap on listings that warn of one (see docs/crawl.md).
RESULT_CAP = 10_000


@dataclass(frozen=True)
class Collection:
    """One listing endpoint.

    Attributes:
        path: the API path template, parameter names as the API spells them.
        listing: the SDK listing model the response deserializes into.
        item: the SDK model of one entity (also served by ``{path}/{id_param}``).
        cap: the largest page size the endpoint honours.
        paging: ``page`` (pageNumber/pageCount), ``cursor`` (after/nextUri), ``idcursor``
            (``after`` is the last entity id seen; no nextUri), ``members`` (page numbers
            without total/pageCount/lastUri), ``postcursor`` (only ``POST {path}/query``,
            ``pageSize`` and ``after`` in the body, the next cursor in the answer's ``after``),
            ``subject`` (one ``AuthzSubject`` per parent: ``grants``, not ``entities``).
        id_param: the path parameter of the single-object GET, when there is one.
        telephony_total: listing also carries ``totalNumberOfEntities``.
        expandable: field -> expand value that makes the API return it.
        include_config: ``config`` only with ``includeConfig=true``.
        division_filter: the query parameter that filters by division.
        store_key: the org-document key holding the entities (defaults to ``path``).
        cursor_param: the query parameter carrying a cursor (``after``, or ``cursor``).
        states: the listing honours ``state`` (this default when absent; ``any`` for all).
        deep_paging_limit: (state, n): with that state, pages past the first n results
            answer 400 (the inactive-users listing).
        result_cap: at most this many results unless sorted by ``uncapped_sort``.
    """

    path: str
    listing: str
    item: str
    cap: int
    paging: Paging = "page"
    id_param: str | None = None
    telephony_total: bool = False
    expandable: dict[str, str] = field(default_factory=dict)
    include_config: bool = False
    division_filter: str | None = None
    store_key: str | None = None
    default_page_size: int = 25
    cursor_param: str = "after"
    states: str | None = None
    deep_paging_limit: tuple[str, int] | None = None
    result_cap: int | None = None
    uncapped_sort: str | None = None

    @property
    def key(self) -> str:
        return self.store_key or self.path

    @property
    def sub_param(self) -> str | None:
        """The path parameter that selects a sub-collection (``queueId``), if any."""
        m = re.search(r"\{(\w+)\}", self.path)
        return m.group(1) if m else None


_USER_EXPAND = {"skills": "skills", "languages": "languages", "groups": "groups",
                "locations": "locations", "team": "team"}
# Sites: the SDK documents expand values edges, location, primarySites, secondarySites.
_SITE_EXPAND = {"edges": "edges", "location": "location", "primarySites": "primarySites",
                "secondarySites": "secondarySites"}

COLLECTIONS: list[Collection] = [
    Collection(o.P_DIVISIONS, "AuthzDivisionEntityListing", "AuthzDivision", 100,
               id_param="divisionId"),
    Collection(o.P_QUEUES, "QueueEntityListing", "Queue", 500, id_param="queueId",
               division_filter="divisionId"),
    Collection(o.P_QUEUE_MEMBERS, "QueueMemberEntityListing", "QueueMember", 100,
               paging="members"),
    Collection(o.P_QUEUE_WRAPUPS, "WrapupCodeEntityListing", "WrapupCode", 100),
    Collection(o.P_USERS, "UserEntityListing", "User", 500, id_param="userId",
               expandable=_USER_EXPAND, states="active",
               deep_paging_limit=("inactive", RESULT_CAP)),
    Collection(o.P_USERS_QUERY, "UserCursorEntityListing", "User", 500, paging="cursor",
               store_key=o.P_USERS, expandable=_USER_EXPAND, states="active",
               cursor_param="cursor"),
    Collection(o.P_GROUPS, "GroupEntityListing", "Group", 500, id_param="groupId"),
    Collection(o.P_TEAMS, "TeamEntityListing", "Team", 100, paging="cursor",
               id_param="teamId"),
    Collection(o.P_SKILLS, "SkillEntityListing", "RoutingSkill", 500, id_param="skillId"),
    Collection(o.P_LANGUAGES, "LanguageEntityListing", "Language", 100,
               id_param="languageId"),
    Collection(o.P_WRAPUPS, "WrapupCodeEntityListing", "WrapupCode", 100, id_param="codeId",
               division_filter="divisionId"),
    Collection(o.P_SKILLGROUPS, "SkillGroupEntityListing", "SkillGroupDefinition", 100,
               paging="cursor", id_param="skillGroupId"),
    Collection(o.P_FLOWS, "FlowEntityListing", "Flow", 500, id_param="flowId",
               division_filter="divisionId"),
    Collection("/api/v2/flows/lookup", "FlowEntityListing", "Flow", 500, store_key=o.P_FLOWS),
    Collection(o.P_IVRS, "IVREntityListing", "IVR", 100, id_param="ivrId", telephony_total=True),
    Collection(o.P_SCHEDULES, "ScheduleEntityListing", "Schedule", 100, id_param="scheduleId",
               division_filter="divisionId", telephony_total=True),
    Collection(o.P_SCHEDULEGROUPS, "ScheduleGroupEntityListing", "ScheduleGroup", 100,
               id_param="scheduleGroupId", division_filter="divisionId", telephony_total=True),
    Collection(o.P_EMERGENCY, "EmergencyGroupListing", "EmergencyGroup", 100,
               id_param="emergencyGroupId"),
    Collection(o.P_PROMPTS, "PromptEntityListing", "Prompt", 100, id_param="promptId"),
    Collection(o.P_DATATABLES, "DataTablesDomainEntityListing", "DataTable", 100,
               id_param="datatableId", division_filter="divisionId",
               expandable={"schema": "schema"}),
    Collection(o.P_INTEGRATIONS, "IntegrationEntityListing", "Integration", 100,
               id_param="integrationId", expandable={"config": "config.current"}),
    Collection(o.P_ACTIONS, "ActionEntityListing", "Action", 100, id_param="actionId",
               include_config=True),
    Collection(o.P_CREDENTIALS, "CredentialInfoCursorListing", "CredentialInfo", 200,
               paging="idcursor"),
    Collection(o.P_SITES, "SiteEntityListing", "Site", 100, id_param="siteId",
               telephony_total=True, expandable=_SITE_EXPAND),
    Collection(o.P_SITE_ROUTES, "OutboundRouteBaseEntityListing", "OutboundRouteBase", 100,
               telephony_total=True),
    Collection(o.P_ROUTES, "OutboundRouteEntityListing", "OutboundRoute", 100,
               id_param="outboundRouteId", telephony_total=True),
    Collection(o.P_EDGES, "EdgeEntityListing", "Edge", 100, id_param="edgeId",
               telephony_total=True),
    Collection(o.P_EDGEGROUPS, "EdgeGroupEntityListing", "EdgeGroup", 100,
               id_param="edgeGroupId", telephony_total=True),
    Collection(o.P_TRUNKBASES, "TrunkBaseEntityListing", "TrunkBase", 100,
               id_param="trunkBaseSettingsId", telephony_total=True),
    Collection(o.P_TRUNKS, "TrunkEntityListing", "Trunk", 100, id_param="trunkId"),
    Collection(o.P_PHONEBASES, "PhoneBaseEntityListing", "PhoneBase", 100,
               id_param="phoneBaseId", telephony_total=True, expandable={"lines": "lines"}),
    Collection(o.P_PHONES, "PhoneEntityListing", "Phone", 100, id_param="phoneId",
               result_cap=RESULT_CAP, uncapped_sort="id"),
    Collection(o.P_DIDPOOLS, "DIDPoolEntityListing", "DIDPool", 100, id_param="didPoolId"),
    Collection(o.P_DIDS, "DIDEntityListing", "DID", 100, id_param="didId"),
    Collection(o.P_LOCATIONS, "LocationEntityListing", "LocationDefinition", 100,
               id_param="locationId"),
    Collection(o.P_SCRIPTS, "ScriptEntityListing", "Script", 100, id_param="scriptId"),
    Collection(o.P_EMAIL_DOMAINS, "InboundDomainEntityListing", "InboundDomain", 100,
               id_param="domainId"),
    Collection(o.P_EMAIL_ROUTES, "InboundRouteEntityListing", "InboundRoute", 100),
    Collection(o.P_WEBDEPLOYMENTS, "ExpandableWebDeploymentEntityListing",
               "ExpandableWebDeployment", 300, paging="cursor", id_param="deploymentId",
               default_page_size=300),
    Collection(o.P_CONSUMED, "ConsumedResourcesEntityListing", "Dependency", 100),
    Collection(o.P_DT_DELETED, "DependencyObjectEntityListing", "DependencyObject", 100),
    Collection(o.P_DT_UPDATED, "DependencyObjectEntityListing", "DependencyObject", 100),
    Collection(o.P_RECIPIENTS, "RecipientListing", "Recipient", 100, id_param="recipientId"),
    Collection(o.P_SMS_NUMBERS, "SmsPhoneNumberEntityListing", "SmsPhoneNumber", 100,
               id_param="phoneNumberId"),
    Collection(o.P_LIBRARIES, "LibraryEntityListing", "Library", 100, id_param="libraryId"),
    Collection(o.P_EXTENSION_POOLS, "ExtensionPoolEntityListing", "ExtensionPool", 100,
               id_param="extensionPoolId", telephony_total=True),
    Collection(o.P_UTIL_LABELS, "UtilizationLabelEntityListing", "UtilizationLabel", 100,
               id_param="labelId"),
    Collection(o.P_ROLES, "OrganizationRoleEntityListing", "DomainOrganizationRole", 100,
               id_param="roleId"),
    Collection(o.P_EVAL_FORMS, "EvaluationFormResponseEntityListing", "EvaluationFormResponse",
               100, id_param="formId"),
    Collection(o.P_SURVEY_FORMS, "SurveyFormEntityListing", "SurveyForm", 100,
               id_param="formId"),
    Collection(o.P_SYSTEM_PROMPTS, "SystemPromptEntityListing", "SystemPrompt", 100,
               id_param="promptId"),
    Collection(o.P_OUTCOMES, "OutcomeListing", "Outcome", 100, id_param="outcomeId"),
    Collection(o.P_SEGMENTS, "SegmentListing", "JourneySegment", 100, id_param="segmentId"),
    Collection(o.P_ACTION_MAPS, "ActionMapListing", "ActionMap", 100, id_param="actionMapId"),
    Collection(o.P_MSG_SETTINGS, "MessagingConfigListing", "MessagingSetting", 100,
               id_param="messageSettingId"),
    Collection(o.P_SUPPORTED_CONTENT, "SupportedContentListing", "SupportedContent", 100,
               id_param="supportedContentId"),
    Collection(o.P_WEB_CONFIGS, "WebDeploymentConfigurationVersionEntityListing",
               "WebDeploymentConfigurationVersion", 300, paging="cursor",
               id_param="configurationId", default_page_size=300),
    Collection(o.P_KNOWLEDGE_BASES, "KnowledgeBaseListing", "KnowledgeBase", 100,
               paging="cursor", id_param="knowledgeBaseId"),
    Collection(o.P_RETENTION, "PolicyEntityListing", "Policy", 100, id_param="policyId"),
    Collection(o.P_OAUTH_CLIENTS, "OAuthClientEntityListing", "OAuthClient", 100,
               id_param="clientId"),
    Collection(o.P_CAMPAIGN_RULES, "CampaignRuleEntityListing", "CampaignRule", 100,
               id_param="campaignRuleId"),
    Collection(o.P_MSG_CAMPAIGNS, "MessagingCampaignEntityListing", "MessagingCampaign", 100,
               id_param="messagingCampaignId", division_filter="divisionId"),
    Collection(o.P_SMS_ADDRESSES, "SmsAddressEntityListing", "SmsAddress", 100,
               id_param="addressId"),
    Collection(o.P_MSG_INTEGRATIONS, "MessagingIntegrationEntityListing",
               "MessagingIntegration", 100, id_param="integrationId"),
    # Outbound: page caps of 100 ("The max that will be returned is 100", SDK 269).
    Collection(o.P_CAMPAIGNS, "CampaignEntityListing", "Campaign", 100,
               id_param="campaignId", division_filter="divisionId"),
    Collection(o.P_CONTACTLISTS, "ContactListEntityListing", "ContactList", 100,
               id_param="contactListId", division_filter="divisionId"),
    Collection(o.P_CONTACTLISTFILTERS, "ContactListFilterEntityListing", "ContactListFilter",
               100, id_param="contactListFilterId"),
    Collection(o.P_DNCLISTS, "DncListEntityListing", "DncList", 100, id_param="dncListId",
               division_filter="divisionId"),
    Collection(o.P_CALLABLETIMESETS, "CallableTimeSetEntityListing", "CallableTimeSet", 100,
               id_param="callableTimeSetId"),
    Collection(o.P_RESPONSESETS, "ResponseSetEntityListing", "ResponseSet", 100,
               id_param="callAnalysisSetId"),
    Collection(o.P_RULESETS, "RuleSetEntityListing", "RuleSet", 100, id_param="ruleSetId"),
    Collection(o.P_SEQUENCES, "CampaignSequenceEntityListing", "CampaignSequence", 100,
               id_param="sequenceId"),
    Collection(o.P_SUBJECTS, "AuthzSubject", "AuthzGrant", 100, paging="subject"),
    # Task management: "Maximum of 200" a page (SDK 269 WorktypeQueryRequest.page_size).
    Collection(o.P_WORKBINS, "WorkbinQueryEntityListing", "Workbin", 200,
               paging="postcursor", id_param="workbinId"),
    Collection(o.P_WORKTYPES, "WorktypeQueryEntityListing", "Worktype", 200,
               paging="postcursor", id_param="worktypeId"),
]


def _compile(template: str) -> re.Pattern[str]:
    pattern = re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", re.escape(template))
    return re.compile(f"^{pattern}$")


_ROUTES: list[tuple[re.Pattern[str], Collection, bool]] = []
for _c in COLLECTIONS:
    _ROUTES.append((_compile(_c.path), _c, False))
    if _c.id_param:
        _ROUTES.append((_compile(f"{_c.path}/{{{_c.id_param}}}"), _c, True))
# Literal segments win over parameters: /edges/sites is the site listing, not an edge id.
_ROUTES.sort(key=lambda r: r[0].pattern.count("(?P<"))


def match_collection(path: str) -> tuple[Collection, dict[str, str], bool] | None:
    """Find the collection serving ``path``: (collection, path params, is single-object GET)."""
    for rx, coll, single in _ROUTES:
        m = rx.match(path)
        if m:
            return coll, m.groupdict(), single
    return None
