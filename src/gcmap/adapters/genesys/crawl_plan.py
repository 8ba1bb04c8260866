"""What the crawl reads: one row per node type, with the largest page each endpoint accepts.

Page sizes are the documented caps where the SDK gives one, otherwise the sizes the CX as
Code provider uses successfully; a larger request would silently get the cap anyway.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from gcmap.domain.registry import spec_for

__all__ = [
    "CRAWL",
    "DT_BUILD",
    "DT_DELETED",
    "LIMITS",
    "LIMIT_DOCS",
    "QUEUE_MEMBERS",
    "CrawlSpec",
]

QUEUE_MEMBERS = "/api/v2/routing/queues/{queueId}/members"
DT_BUILD = "/api/v2/architect/dependencytracking/build"
DT_DELETED = "/api/v2/architect/dependencytracking/deletedresourceconsumers"
LIMITS = "/api/v2/organizations/limits/namespaces/{namespaceName}"
LIMIT_DOCS = "/api/v2/organizations/limits/docs"


@dataclass(frozen=True)
class CrawlSpec:
    """How to list one node type."""

    node_type: str
    page_size: int
    paging: Literal["page", "cursor", "single"] = "page"
    params: dict[str, str] = field(default_factory=dict)
    division_param: str | None = None
    permission: str = ""

    @property
    def path(self) -> str:
        return spec_for(self.node_type).source


CRAWL: tuple[CrawlSpec, ...] = (
    CrawlSpec("organization", 1, "single"),
    CrawlSpec("division", 100, permission="authorization:division:view"),
    CrawlSpec("queue", 500, division_param="divisionId", permission="routing:queue:view"),
    CrawlSpec("user", 500, params={"expand": "skills,languages,groups,locations"},
              permission="directory:user:view"),
    CrawlSpec("group", 500, permission="directory:group:view"),
    CrawlSpec("team", 100, "cursor", permission="groups:team:view"),
    CrawlSpec("skill_group", 100, "cursor", permission="routing:skillGroup:view"),
    CrawlSpec("skill", 500, permission="routing:skill:view"),
    CrawlSpec("language", 500, permission="routing:language:view"),
    CrawlSpec("wrapup_code", 100, division_param="divisionId",
              permission="routing:wrapupCode:view"),
    CrawlSpec("flow", 500, division_param="divisionId", permission="architect:flow:view"),
    CrawlSpec("ivr", 100, permission="routing:callRoute:view"),
    CrawlSpec("schedule", 100, division_param="divisionId", permission="routing:schedule:view"),
    CrawlSpec("schedule_group", 100, division_param="divisionId",
              permission="routing:scheduleGroup:view"),
    CrawlSpec("emergency_group", 100, permission="routing:emergencyGroup:view"),
    CrawlSpec("prompt", 100, permission="architect:userPrompt:view"),
    CrawlSpec("data_table", 100, division_param="divisionId",
              permission="architect:datatable:view"),
    CrawlSpec("integration", 100, params={"expand": "config.current"},
              permission="integrations:integration:view"),
    CrawlSpec("data_action", 100, params={"includeConfig": "true"},
              permission="integrations:action:view"),
    CrawlSpec("credential", 200, "cursor", permission="integrations:credential:view"),
    CrawlSpec("site", 100, permission="telephony:plugin:all"),
    CrawlSpec("edge", 100, permission="telephony:plugin:all"),
    CrawlSpec("edge_group", 100, permission="telephony:plugin:all"),
    CrawlSpec("trunk_base", 100, permission="telephony:plugin:all"),
    CrawlSpec("trunk", 100, permission="telephony:plugin:all"),
    CrawlSpec("outbound_route", 100, permission="telephony:plugin:all"),
    CrawlSpec("phone_base", 100, permission="telephony:plugin:all"),
    CrawlSpec("phone", 100, permission="telephony:plugin:all"),
    CrawlSpec("did_pool", 100, permission="telephony:plugin:all"),
    CrawlSpec("did", 100, permission="telephony:plugin:all"),
    CrawlSpec("location", 100, permission="directory:location:view"),
    CrawlSpec("script", 100, permission="scripter:script:view"),
    CrawlSpec("web_deployment", 300, "cursor", permission="webDeployments:deployment:view"),
)
