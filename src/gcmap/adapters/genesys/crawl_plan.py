"""What the crawl reads: the listings the registry rows name, as the crawl uses them.

Each row's ``read`` (page size, paging, parameters, permission, how a changed object is read
again) is written in the registry; page sizes are the documented caps where the SDK gives
one, otherwise the sizes the CX as Code provider uses successfully. The evidence for each
row is in docs/crawl.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from gcmap.domain.registry import DT_BUILD, LIMITS, REGISTRY, spec_for
from gcmap.domain.registry_types import Listing, NodeSpec, Paging

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


@dataclass(frozen=True)
class CrawlSpec:
    """One listing of one node type: the registry row's ``Listing`` with its type (and its
    parent, for a sub-listing read once per parent). See ``Listing`` for the fields."""

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

    @classmethod
    def of(cls, spec: NodeSpec, listing: Listing) -> CrawlSpec:
        return cls(spec.type, listing.page_size, listing.paging, dict(listing.params),
                   listing.division_param, listing.permission, listing.request_path,
                   listing.part, listing.cursor_param, spec.parent, listing.by_ids,
                   listing.item)

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


# Every listing of every registry row, in registry order (a row without one is not read).
CRAWL: tuple[CrawlSpec, ...] = tuple(CrawlSpec.of(spec, listing) for spec in REGISTRY
                                     for listing in spec.read)
