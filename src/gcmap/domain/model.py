"""Value types of the dependency graph."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal, NamedTuple

__all__ = ["Dangling", "Edge", "EdgeKind", "Finding", "Node", "Progress", "Severity", "iso_utc",
           "node_key"]

EdgeKind = Literal["reference", "failover"]
EdgeSource = Literal["field", "dependency-tracking"]
Severity = Literal["error", "warning", "info"]
# Crawl progress callback: (node type, pages done, pages known so far, objects read).
Progress = Callable[[str, int, int, int], None]


def iso_utc(ts: float) -> str:
    """A timestamp as ISO-8601 UTC, to the second (the form documents and events use)."""
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def node_key(node_type: str, node_id: str) -> str:
    """The stable key of a node: ``<type>:<id>``."""
    return f"{node_type}:{node_id}"


@dataclass(frozen=True, slots=True)
class Node:
    """One configuration object."""

    type: str
    id: str
    name: str
    division: str | None = None
    attrs: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)
    key: str = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        # Computed once: graph algorithms read keys millions of times.
        object.__setattr__(self, "key", f"{self.type}:{self.id}")


class Edge(NamedTuple):
    """``src`` holds a reference, in ``field``, to ``dst``.

    A named tuple rather than a dataclass: large orgs have millions of edges, and tuples are
    several times cheaper to create.
    """

    src: str
    dst: str
    field: str
    kind: EdgeKind = "reference"
    source: EdgeSource = "field"
    deferrable: bool = False

    def sort_key(self) -> tuple[str, str, str]:
        return (self.src, self.dst, self.field)


@dataclass(frozen=True, slots=True)
class Dangling:
    """A reference whose target was not found among the objects read."""

    src: str
    field: str
    target_type: str
    target_id: str
    source: EdgeSource = "field"
    deleted: bool = False  # the target was listed as deleted (or dependency tracking says so)


@dataclass(frozen=True)
class Finding:
    """A problem or observation about the graph, in the mapping-document shape."""

    rule: str
    severity: Severity
    nodes: tuple[str, ...]
    message: str
    evidence: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def to_dict(self) -> dict[str, Any]:
        return {"rule": self.rule, "severity": self.severity, "nodes": list(self.nodes),
                "message": self.message, "evidence": self.evidence}

    def sort_key(self) -> tuple[str, tuple[str, ...], str]:
        return (self.rule, self.nodes, self.message)
