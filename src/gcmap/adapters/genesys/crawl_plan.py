"""What the crawl reads: the listings the registry rows name, as the crawl uses them.

Each row's ``read`` (page size, paging, parameters, permission, how a changed object is read
again) is written in the registry; page sizes are the documented caps where the SDK gives
one, otherwise the sizes the CX as Code provider uses successfully. The evidence for each
row is in docs/crawl.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields

from gcmap.domain.registry import DT_BUILD, LIMITS, REGISTRY, spec_for
from gcmap.domain.registry_types import Listing, NodeSpec

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
class CrawlSpec(Listing):
    """One listing of one node type: the registry row's ``Listing`` (its fields, as they
    are) with the type it lists and, for a sub-listing read once per parent, the parent."""

    node_type: str = field(kw_only=True)
    parent: tuple[str, str] | None = field(default=None, kw_only=True)

    @classmethod
    def of(cls, spec: NodeSpec, listing: Listing) -> CrawlSpec:
        shared = {f.name: getattr(listing, f.name) for f in fields(Listing)}
        return cls(**shared, node_type=spec.type, parent=spec.parent)

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
