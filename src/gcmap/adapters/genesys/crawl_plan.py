"""What the crawl reads: one row per listing, with the largest page each endpoint accepts.

Page sizes are the documented caps where the SDK gives one, otherwise the sizes the CX as
Code provider uses successfully; a larger request would silently get the cap anyway. The
evidence for each row is in docs/crawl.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from gcmap.domain.registry import DT_BUILD, LIMITS, spec_for

__all__ = [
    "CRAWL",
    "DT_BUILD",
    "DT_DELETED",
    "LIMITS",
    "LIMIT_DOCS",
    "QUEUE_MEMBERS",
    "QUEUE_WRAPUPS",
    "CrawlSpec",
]

QUEUE_MEMBERS = "/api/v2/routing/queues/{queueId}/members"
QUEUE_WRAPUPS = "/api/v2/routing/queues/{queueId}/wrapupcodes"
DT_DELETED = "/api/v2/architect/dependencytracking/deletedresourceconsumers"
LIMIT_DOCS = "/api/v2/organizations/limits/docs"
# The user fields the registry reads; /users fills them only when named in expand.
USER_EXPAND = "skills,languages,groups,locations,team"
Paging = Literal["page", "cursor", "idcursor", "single"]


@dataclass(frozen=True)
class CrawlSpec:
    """How to list one node type (or one part of it).

    Attributes:
        node_type: the registry type the records belong to.
        page_size: the largest page the endpoint honours.
        paging: ``page`` (pageNumber/pageCount), ``cursor`` (follow nextUri),
            ``idcursor`` (``after`` = the last id seen, until an empty page) or ``single``.
        params: query parameters every request sends (expand, state, sortBy, ...).
        division_param: the query parameter that filters by division, if any.
        permission: the read permission the endpoint needs (named when it answers 403).
        request_path: the path to call when it is not the registry row's source (the
            inactive users come from ``/users/query``).
        part: names a second listing of the same type (progress, failures).
        cursor_param: the query parameter a cursor goes back in.
        parent: (parent node type, path parameter): a sub-listing read once per parent.
        by_ids: the listing's id filter (``id`` or ``ids``), when it takes one: changed
            objects are read again through it, many in one call, in the listing's own shape.
        item: the path parameter of the single-object GET, used to read a changed object
            again when the listing has no id filter; only where the SDK gives that GET the
            listing's entity model. With neither, a change re-reads the whole listing.
    """

    node_type: str
    page_size: int
    paging: Paging = "page"
    params: dict[str, str] = field(default_factory=dict)
    division_param: str | None = None
    permission: str = ""
    request_path: str | None = None
    part: str = ""
    cursor_param: str = "after"
    parent: tuple[str, str] | None = None
    by_ids: str = ""
    item: str = ""

    @property
    def path(self) -> str:
        """The path template requested."""
        return self.request_path or spec_for(self.node_type).source

    @property
    def doc_key(self) -> str:
        """The org-document key the records go under (the registry row's source)."""
        return spec_for(self.node_type).source

    @property
    def kind(self) -> str:
        """The name this listing's progress and failures are reported under."""
        return f"{self.node_type}.{self.part}" if self.part else self.node_type


_TEL = "telephony:plugin:all"
CRAWL: tuple[CrawlSpec, ...] = (
    CrawlSpec("organization", 1, "single"),
    CrawlSpec("division", 100, permission="authorization:division:view", by_ids="id"),
    CrawlSpec("queue", 500, division_param="divisionId", permission="routing:queue:view",
              by_ids="id"),
    # Active users page by number (no cap documented for them); inactive users page past
    # 10,000 only by cursor, so they come from /users/query.
    CrawlSpec("user", 500, params={"expand": USER_EXPAND, "state": "active"},
              permission="directory:user:view", by_ids="id"),
    CrawlSpec("user", 500, "cursor", params={"expand": USER_EXPAND, "state": "inactive"},
              permission="directory:user:view", request_path="/api/v2/users/query",
              part="inactive", cursor_param="cursor"),
    CrawlSpec("group", 500, permission="directory:group:view", by_ids="id"),
    CrawlSpec("team", 100, "cursor", permission="groups:team:view", item="teamId"),
    CrawlSpec("skill_group", 100, "cursor", permission="routing:skillGroup:view"),
    CrawlSpec("skill", 500, permission="routing:skill:view", by_ids="id"),
    CrawlSpec("language", 100, permission="routing:language:view", by_ids="id"),
    CrawlSpec("wrapup_code", 100, division_param="divisionId",
              permission="routing:wrapupCode:view", by_ids="id"),
    CrawlSpec("flow", 500, division_param="divisionId", permission="architect:flow:view",
              item="flowId"),
    CrawlSpec("ivr", 100, permission="routing:callRoute:view", item="ivrId"),
    CrawlSpec("schedule", 100, division_param="divisionId", permission="routing:schedule:view",
              item="scheduleId"),
    CrawlSpec("schedule_group", 100, division_param="divisionId",
              permission="routing:scheduleGroup:view", item="scheduleGroupId"),
    CrawlSpec("emergency_group", 100, permission="routing:emergencyGroup:view",
              item="emergencyGroupId"),
    CrawlSpec("prompt", 100, permission="architect:userPrompt:view", item="promptId"),
    CrawlSpec("data_table", 100, division_param="divisionId",
              permission="architect:datatable:view", item="datatableId"),
    CrawlSpec("integration", 100, params={"expand": "config.current"},
              permission="integrations:integration:view", by_ids="ids"),
    CrawlSpec("data_action", 100, params={"includeConfig": "true"},
              permission="integrations:action:view", by_ids="ids"),
    CrawlSpec("credential", 200, "idcursor", permission="integrations:integration:view"),
    CrawlSpec("site", 100, params={"expand": "edges,location,primarySites,secondarySites"},
              permission=_TEL),
    CrawlSpec("edge", 100, permission=_TEL, item="edgeId"),
    CrawlSpec("edge_group", 100, permission=_TEL, item="edgeGroupId"),
    CrawlSpec("trunk_base", 100, permission=_TEL, item="trunkBaseSettingsId"),
    CrawlSpec("trunk", 100, permission=_TEL, item="trunkId"),
    CrawlSpec("outbound_route", 100, permission=_TEL),
    CrawlSpec("phone_base", 100, permission=_TEL, item="phoneBaseId"),
    # Phones reach at most 10,000 results unless sorted by id (the listing's docstring).
    CrawlSpec("phone", 100, params={"sortBy": "id"}, permission=_TEL, item="phoneId"),
    CrawlSpec("did_pool", 100, permission=_TEL, by_ids="id"),
    CrawlSpec("did", 100, permission=_TEL, by_ids="id"),
    CrawlSpec("location", 100, permission="directory:location:view", by_ids="id"),
    CrawlSpec("script", 100, permission="scripter:script:view", item="scriptId"),
    CrawlSpec("web_deployment", 300, "cursor", permission="webDeployments:deployment:view"),
    # Outbound: every listing says "The max that will be returned is 100" (SDK 269
    # outbound_api.py); permissions from SDK docs OutboundApi.md.
    CrawlSpec("campaign", 100, division_param="divisionId",
              permission="outbound:campaign:view", by_ids="id"),
    CrawlSpec("contact_list", 100, division_param="divisionId",
              permission="outbound:contactList:view", by_ids="id"),
    CrawlSpec("contact_list_filter", 100, permission="outbound:contactListFilter:view",
              item="contactListFilterId"),
    CrawlSpec("dnc_list", 100, division_param="divisionId",
              permission="outbound:dncList:view", item="dncListId"),
    CrawlSpec("campaign_rule", 100, permission="outbound:campaignRule:view",
              item="campaignRuleId"),
    CrawlSpec("messaging_campaign", 100, division_param="divisionId",
              permission="outbound:messagingCampaign:view", by_ids="id"),
    CrawlSpec("callable_time_set", 100, permission="outbound:callableTimeSet:view",
              item="callableTimeSetId"),
    CrawlSpec("response_set", 100, permission="outbound:responseSet:view",
              item="callAnalysisSetId"),
    CrawlSpec("rule_set", 100, permission="outbound:ruleSet:view", item="ruleSetId"),
    CrawlSpec("campaign_sequence", 100, permission="outbound:campaignSequence:view",
              item="sequenceId"),
    # No documented page cap on these: 100, the size the other listings cap at (a larger
    # cap would only cost pages; **unverified**, docs/crawl.md).
    CrawlSpec("message_recipient", 100, permission="routing:message:manage", item="recipientId"),
    CrawlSpec("sms_number", 100, permission="sms:phoneNumber:view", item="phoneNumberId"),
    CrawlSpec("sms_address", 100, permission="sms:phoneNumber:view", item="addressId"),
    CrawlSpec("messaging_integration", 100, permission="messaging:integration:view"),
    CrawlSpec("response_library", 100, permission="responses:library:view", item="libraryId"),
    CrawlSpec("extension_pool", 100, permission="telephony:extensionPool:view",
              item="extensionPoolId"),
    CrawlSpec("utilization_label", 100, permission="routing:utilization:view", item="labelId"),
    CrawlSpec("role", 100, permission="authorization:role:view", by_ids="id"),
    CrawlSpec("evaluation_form", 100, permission="quality:evaluationForm:view", item="formId"),
    CrawlSpec("survey_form", 100, permission="quality:surveyForm:view", item="formId"),
    CrawlSpec("system_prompt", 100, permission="architect:systemPrompt:view", item="promptId"),
    CrawlSpec("journey_outcome", 100, permission="journey:outcome:view", item="outcomeId"),
    CrawlSpec("journey_segment", 100, permission="journey:segment:view", item="segmentId"),
    CrawlSpec("action_map", 100, permission="journey:actionmap:view", item="actionMapId"),
    CrawlSpec("messaging_setting", 100, permission="messaging:setting:view",
              item="messageSettingId"),
    CrawlSpec("supported_content", 100, permission="messaging:supportedContent:view",
              item="supportedContentId"),
    # Cursor listings: configurations default to 300 a page, knowledge bases at most 100
    # (SDK 269 docstrings).
    CrawlSpec("web_deployment_configuration", 300, "cursor",
              permission="webDeployments:configuration:view"),
    CrawlSpec("knowledge_base", 100, "cursor", permission="knowledge:knowledgebase:view",
              item="knowledgeBaseId"),
    CrawlSpec("media_retention_policy", 100, permission="recording:retentionPolicy:view",
              item="policyId"),
    # The SDK's get_oauth_clients takes no paging parameters; one page is asked for with
    # the usual size (whether the listing pages at all is **unverified**).
    CrawlSpec("oauth_client", 100, permission="oauth:client:view", item="clientId"),
    CrawlSpec("email_domain", 100, permission="routing:email:manage", item="domainId"),
    CrawlSpec("email_route", 100, permission="routing:email:manage",
              parent=("email_domain", "domainName")),
)
